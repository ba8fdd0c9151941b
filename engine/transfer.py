"""Neural style transfer (Gatys et al. 2015): L-BFGS on the pixels, coarse to fine.

The core is `stylize`: two pictures and parameters in, a picture out; progress through a callback
and cancellation through `should_stop`, checked at every evaluation of the loss.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from engine.losses import Targets, total_variation
from engine.vgg import FeatureNet

log = logging.getLogger(__name__)

CONTENT_LAYERS = ("block5_conv2",)
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
ALL_LAYERS = STYLE_LAYERS + CONTENT_LAYERS

# Style weight relative to the content weight (1); each level is about three times the one before.
STRENGTHS: dict[str, float] = {
    "lightest": 0.3,
    "light": 1.0,
    "medium": 3.0,
    "strong": 10.0,
    "strongest": 30.0,
}
DEFAULT_STRENGTH = "medium"
TV_WEIGHT = 10.0
# torch's L-BFGS takes a first step of 1/‖g‖₁ and drops curvature pairs with y·s <= 1e-10; the
# normalised loss is about 1, so its gradients over pixels in 0..1 are tiny. Scaling it up lets
# the optimiser see gradients of a useful size (tests/test_engine.py checks that pixels move).
LOSS_SCALE = 1e4
MIN_SCALE_SIDE = 64
# Scale i of n (0 = coarsest) gets a share of the iterations proportional to STEP_DECAY ** i.
STEP_DECAY = 0.7


class Cancelled(Exception):
    """should_stop() returned True; the job was cancelled."""


@dataclass(frozen=True)
class StyleParams:
    strength: str | float = DEFAULT_STRENGTH
    max_side: int = 384
    steps: int = 120
    keep_colors: bool = False
    tv_weight: float = TV_WEIGHT
    seed: int = 0
    history_size: int = 50

    def style_weight(self) -> float:
        if isinstance(self.strength, str):
            if self.strength not in STRENGTHS:
                raise ValueError(f"unknown strength {self.strength!r}; one of {', '.join(STRENGTHS)}")
            return STRENGTHS[self.strength]
        if not self.strength > 0:
            raise ValueError("a numeric strength must be positive")
        return float(self.strength)


@dataclass
class StylizeResult:
    image: Image.Image
    seconds: float
    device: str
    sizes: list[tuple[int, int]]
    iterations: list[int]
    losses: list[float] = field(default_factory=list)


def output_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) with the long side capped at max_side; never upscales; aspect kept."""
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def scale_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """Sizes from coarse to fine, about √2 apart in side, the finest being (width, height)."""
    sizes = [(width, height)]
    factor = 1.0
    while max(width, height) * factor / math.sqrt(2) >= MIN_SCALE_SIDE:
        factor /= math.sqrt(2)
        sizes.append((max(1, round(width * factor)), max(1, round(height * factor))))
    return sizes[::-1]


def split_steps(total: int, scales: int) -> list[int]:
    """Most iterations at the cheap, coarse scales; at least one at each."""
    shares = [STEP_DECAY**i for i in range(scales)]
    counts = [max(1, round(total * s / sum(shares))) for s in shares]
    return counts


def to_tensor(image: Image.Image, device: torch.device) -> torch.Tensor:
    """PIL RGB -> (1, 3, H, W) float in 0..1."""
    array = np.asarray(image, dtype=np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).to(device)


def to_image(tensor: torch.Tensor) -> Image.Image:
    array = tensor.detach().clamp(0, 1).squeeze(0).permute(1, 2, 0).mul(255).round().byte().cpu().numpy()
    return Image.fromarray(array, "RGB")


def resize_to_pixels(image: Image.Image, pixels: int) -> Image.Image:
    """Resizes keeping the aspect ratio so that width*height is about `pixels`."""
    factor = math.sqrt(pixels / (image.width * image.height))
    size = (max(16, round(image.width * factor)), max(16, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def keep_content_colours(output: Image.Image, content: Image.Image) -> Image.Image:
    """Luminance from the output, colour (Cb, Cr) from the content."""
    y, _, _ = output.convert("YCbCr").split()
    _, cb, cr = content.resize(output.size, Image.Resampling.LANCZOS).convert("YCbCr").split()
    return Image.merge("YCbCr", (y, cb, cr)).convert("RGB")


def _targets(net: FeatureNet, content: torch.Tensor, style: torch.Tensor) -> Targets:
    with torch.no_grad():
        return Targets(net(content), net(style), CONTENT_LAYERS, STYLE_LAYERS)


def stylize(
    content: Image.Image,
    style: Image.Image,
    *,
    net: FeatureNet,
    params: StyleParams | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> StylizeResult:
    """Paints `content` in the manner of `style`. Both are RGB PIL images; returns an RGB image."""
    params = params or StyleParams()
    style_weight = params.style_weight()
    device = next(net.parameters()).device
    torch.manual_seed(params.seed)
    started = time.perf_counter()

    width, height = output_size(content.width, content.height, params.max_side)
    sizes = scale_sizes(width, height)
    iterations = split_steps(params.steps, len(sizes))
    costs = [n * w * h for n, (w, h) in zip(iterations, sizes, strict=True)]
    total_cost, done_cost = float(sum(costs)), 0.0
    losses: list[float] = []

    image: torch.Tensor | None = None
    for (w, h), n_iter, cost in zip(sizes, iterations, costs, strict=True):
        content_t = to_tensor(content.resize((w, h), Image.Resampling.LANCZOS), device)
        style_t = to_tensor(resize_to_pixels(style, w * h), device)
        targets = _targets(net, content_t, style_t)
        del style_t
        if image is None:
            start = content_t
        else:
            start = F.interpolate(image, size=(h, w), mode="bicubic", align_corners=False).clamp(0, 1)
        pixels = start.detach().contiguous().clone().requires_grad_(True)
        optimizer = torch.optim.LBFGS(
            [pixels],
            lr=1.0,
            max_iter=n_iter,
            max_eval=n_iter + n_iter // 4 + 1,
            history_size=params.history_size,
            tolerance_grad=0.0,
            tolerance_change=0.0,
        )
        evaluations = 0

        def closure(
            pixels: torch.Tensor = pixels,
            targets: Targets = targets,
            n_iter: int = n_iter,
            cost: int = cost,
            done_cost: float = done_cost,
        ) -> torch.Tensor:
            nonlocal evaluations
            if should_stop is not None and should_stop():
                raise Cancelled
            optimizer.zero_grad(set_to_none=True)
            features = net(pixels)
            loss = (
                targets.content_loss(features)
                + style_weight * targets.style_loss(features)
                + params.tv_weight * total_variation(pixels)
            )
            (loss * LOSS_SCALE).backward()
            evaluations += 1
            losses.append(loss.item())
            if progress is not None:
                progress(min(1.0, (done_cost + cost * min(evaluations, n_iter) / n_iter) / total_cost))
            return loss * LOSS_SCALE

        optimizer.step(closure)
        image = pixels.detach().clamp_(0, 1)
        done_cost += cost
        log.debug("scale %dx%d: %d iterations, loss %.4f", w, h, n_iter, losses[-1])

    assert image is not None
    result = to_image(image)
    if params.keep_colors:
        result = keep_content_colours(result, content)
    if progress is not None:
        progress(1.0)
    return StylizeResult(
        image=result,
        seconds=time.perf_counter() - started,
        device=str(device),
        sizes=sizes,
        iterations=iterations,
        losses=losses,
    )
