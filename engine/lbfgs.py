"""L-BFGS for images: torch's L-BFGS, minus the two ways it fails here.

torch.optim.LBFGS (without a line search) accepts every step. Its first step is 1/‖g‖₁ long,
tiny over thousands of pixels, and the curvature it then estimates from that step can be so
flat that the second step is enormous: at the start of a new scale we saw the loss jump from 37
to 1e15 and the optimiser stay stuck there. With the strong-Wolfe line search it is safe, but
spends several evaluations per step on the first steps of every scale.

Here a step is capped in pixel units (no pixel moves more than `max_step` at once, a trust
region), the first step is sized in pixel units too, and a step that raises the loss is halved
and tried again (rarely needed, so almost every evaluation is an iteration). Every point tried is
clipped to `bounds` (a projected step): the loss is then always measured on pixels the picture can
hold. Unclipped, the optimiser put colour beyond 0..1 that clamping the result took away again,
so the delivered picture had less style than the optimiser had reached.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import torch

LossAndGrad = Callable[[torch.Tensor], tuple[float, torch.Tensor]]


def minimize(
    loss_and_grad: LossAndGrad,
    start: torch.Tensor,
    *,
    evaluations: int,
    history_size: int,
    first_step: float,
    max_step: float,
    backtracks: int = 3,
    bounds: tuple[float, float] = (0.0, 1.0),
    enough: Callable[[], bool] | None = None,
) -> torch.Tensor:
    """Minimises from `start` within `evaluations` calls of `loss_and_grad`, every point within
    `bounds`, or until `enough()` says so before a step; returns the best point.

    The settings come from engine.params.StyleParams, where their defaults are; `backtracks` is
    how many halvings of a step that raised the loss are tried (rarely more than one is needed).
    """
    x = start.detach().clamp(*bounds)
    loss, grad = loss_and_grad(x)
    used = 1
    steps: deque[torch.Tensor] = deque(maxlen=history_size)
    changes: deque[torch.Tensor] = deque(maxlen=history_size)
    rhos: deque[float] = deque(maxlen=history_size)
    while used < evaluations and not (enough is not None and enough()):
        direction = _direction(grad, steps, changes, rhos)
        if not steps:  # no curvature yet: a gradient step of `first_step` pixels at most
            direction.mul_(first_step / max(float(direction.abs().max()), 1e-12))
        largest = float(direction.abs().max())
        if largest > max_step:
            direction.mul_(max_step / largest)
        for _ in range(backtracks + 1):
            candidate = (x + direction).clamp_(*bounds)
            new_loss, new_grad = loss_and_grad(candidate)
            used += 1
            if new_loss <= loss or used >= evaluations:
                break
            direction.mul_(0.5)
        if new_loss > loss:  # no descent even after halving: forget the curvature, keep x
            steps.clear()
            changes.clear()
            rhos.clear()
            continue
        step, change = candidate - x, new_grad - grad
        curvature = float((step * change).sum())
        if curvature > 1e-10 * float((change * change).sum()):
            steps.append(step.flatten())
            changes.append(change.flatten())
            rhos.append(1.0 / curvature)
        x, loss, grad = candidate, new_loss, new_grad
    return x


def _direction(
    grad: torch.Tensor, steps: deque[torch.Tensor], changes: deque[torch.Tensor], rhos: deque[float]
) -> torch.Tensor:
    """The two-loop recursion: -H·g with H the L-BFGS inverse-Hessian estimate."""
    q = grad.flatten().neg()
    alphas = []
    for s, y, rho in zip(reversed(steps), reversed(changes), reversed(rhos), strict=True):
        alpha = rho * float(s @ q)
        q.add_(y, alpha=-alpha)
        alphas.append(alpha)
    if steps:
        s, y = steps[-1], changes[-1]
        q.mul_(float(s @ y) / float(y @ y))
    for (s, y, rho), alpha in zip(zip(steps, changes, rhos, strict=True), reversed(alphas), strict=True):
        beta = rho * float(y @ q)
        q.add_(s, alpha=alpha - beta)
    return q.view_as(grad)


def minimize_torch(
    loss_and_grad: LossAndGrad,
    start: torch.Tensor,
    *,
    evaluations: int,
    history_size: int,
    line_search: str | None,
) -> torch.Tensor:
    """torch.optim.LBFGS over the same loss, for comparison (lr=1, as usually used)."""
    pixels = start.detach().contiguous().clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS(
        [pixels],
        lr=1.0,
        max_iter=evaluations,
        max_eval=evaluations,
        history_size=history_size,
        line_search_fn=line_search,
        tolerance_grad=0.0,
        tolerance_change=0.0,
    )

    def closure() -> torch.Tensor:
        loss, grad = loss_and_grad(pixels.detach())
        pixels.grad = grad
        return torch.tensor(loss)

    optimizer.step(closure)
    return pixels.detach()
