"""One scale's optimisation: L-BFGS on the pixels from a start picture, against that scale's targets.

`objective` is the loss it minimises (content error, the goal's style term, total variation and,
where asked, the texture term) in one pass of the network; `features` runs the network in the
precision and layout of the params.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from engine.calibration import Goal
from engine.lbfgs import minimize, minimize_torch
from engine.losses import Targets, total_variation
from engine.params import StyleParams
from engine.results import Cancelled
from engine.vgg import FeatureNet


def features(net: FeatureNet, pixels: torch.Tensor, params: StyleParams) -> dict[str, torch.Tensor]:
    """The network's activations in params' precision and layout (the losses are float32)."""
    dtype = torch.bfloat16 if params.precision == "bfloat16" else torch.float32
    return net(pixels, dtype=dtype, channels_last=params.channels_last)


def objective(
    net: FeatureNet, pixels: torch.Tensor, targets: Targets, goal: Goal, params: StyleParams
) -> tuple[torch.Tensor, torch.Tensor]:
    """The loss L-BFGS minimises at `pixels`, and their style error: one pass of the network."""
    activations = features(net, pixels, params)
    texture_err = None
    if params.texture_weight > 0:  # beside the style term, on the same pass: colour cannot lower it
        style_err, texture_err = targets.style_and_texture(activations)
    else:
        style_err = targets.style_loss(activations)
    content_err = targets.content_loss(activations)
    loss = content_err + goal.term(style_err) + params.tv_weight * total_variation(pixels)
    if texture_err is not None:
        loss = loss + goal.weight * params.texture_weight * texture_err
    return loss, style_err


def optimise_scale(
    start: torch.Tensor,
    net: FeatureNet,
    targets: Targets,
    goal: Goal,
    params: StyleParams,
    n_iter: int,
    progress: Callable[[float], None],
    should_stop: Callable[[], bool] | None,
    watch: Callable[[torch.Tensor], None] | None = None,
) -> tuple[torch.Tensor, float, int]:
    """One scale's L-BFGS from `start`; the best pixels, their style error and the evaluations run
    (fewer than n_iter when params.stop_when_flat stopped it)."""
    evaluations = 0
    best = (math.inf, math.inf)  # (loss, style error) at the lowest loss seen: L-BFGS returns that point
    lowest: list[float] = []  # the lowest loss after each evaluation

    def flat() -> bool:
        """The objective has stopped falling: less than params.flat_fall a step over the last
        params.flat_window, and half the scale's share spent."""
        window = params.flat_window
        if not params.stop_when_flat or 2 * evaluations < n_iter or len(lowest) <= window:
            return False
        return lowest[-1] > lowest[-1 - window] * (1 - params.flat_fall) ** window

    def loss_and_grad(pixels: torch.Tensor) -> tuple[float, torch.Tensor]:
        nonlocal evaluations, best
        if should_stop is not None and should_stop():
            raise Cancelled
        pixels = pixels.detach().requires_grad_(True)
        loss, style_err = objective(net, pixels, targets, goal, params)
        (grad,) = torch.autograd.grad(loss, pixels)
        evaluations += 1
        value = loss.item()
        if value <= best[0]:
            best = (value, style_err.item())
        lowest.append(best[0])
        progress(min(evaluations, n_iter) / n_iter)
        if watch is not None:
            watch(pixels)
        return value, grad

    if params.optimizer == "lbfgs":
        pixels = minimize(
            loss_and_grad,
            start.contiguous(),
            evaluations=n_iter,
            history_size=params.history_size,
            first_step=params.first_step,
            max_step=params.max_step,
            backtracks=params.backtracks,
            enough=flat,
        )
    else:  # torch's own, for the benchmark's comparison (without the stop rule)
        line_search = "strong_wolfe" if params.optimizer == "torch-lbfgs-wolfe" else None
        pixels = minimize_torch(
            loss_and_grad,
            start,
            evaluations=n_iter,
            history_size=params.history_size,
            line_search=line_search,
        )
    return pixels, best[1], evaluations
