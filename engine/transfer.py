"""Neural style transfer (Gatys et al. 2015): L-BFGS on the pixels, coarse to fine.

The core is `stylize`: two pictures and parameters in, a picture out; progress through a callback
and cancellation through `should_stop`, checked at every evaluation of the loss.
"""

from __future__ import annotations

import enum
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from engine.lbfgs import minimize, minimize_torch
from engine.losses import Targets, total_variation
from engine.params import StyleParams
from engine.vgg import FeatureNet
from stylebot.choices import Strength

log = logging.getLogger(__name__)

CONTENT_LAYERS = ("block4_conv2",)
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
ALL_LAYERS = STYLE_LAYERS + CONTENT_LAYERS

# Style weight relative to the content weight (1); each level is 2 to 3.3 times the one before.
# Chosen on the benchmark pairs at 256 px: "medium" keeps faces and eyes clearly recognisable.
STRENGTHS: dict[Strength, float] = {
    Strength.LIGHTEST: 1.0,
    Strength.LIGHT: 2.5,
    Strength.MEDIUM: 5.0,
    Strength.STRONG: 15.0,
    Strength.STRONGEST: 50.0,
}
# Coarse to fine over at most four scales, the coarsest about 1/2.8 of the final side. The style
# error of the result is set mostly by the iterations at the last scales (upsampling blurs the
# fine texture that block1 and block2 measure), so more scales for the same steps only starve them.
MIN_SCALE_SIDE = 64
MAX_SCALES = 4
# Scale i of n (0 = coarsest) gets a share of the iterations proportional to STEP_DECAY ** i.
STEP_DECAY = 0.8
# Start each finer scale from the upsampled result plus the content's own detail band.
DETAIL = True
# VGG19 activations to block5_conv1 kept for the backward pass, their gradients and the L-BFGS
# history, in fp32: about 6 kB a pixel; 8 kB leaves room for cuDNN's workspaces.
CUDA_BYTES_PER_PIXEL = 8_000
CUDA_MEMORY_SHARE = 0.8
OOM_RETRY_SHRINK = 0.7


class Cancelled(Exception):
    """should_stop() returned True; the job was cancelled."""


def style_weight(strength: Strength | float) -> float:
    """The style weight of a preset, or a positive number taken as the weight itself."""
    if isinstance(strength, str):
        parsed = Strength.parse(strength)
        if parsed is None:
            raise ValueError(f"unknown strength {strength!r}; one of {', '.join(Strength)}")
        return STRENGTHS[parsed]
    if not strength > 0:
        raise ValueError("a numeric strength must be positive")
    return float(strength)


class Smaller(enum.StrEnum):
    """Why a picture was made smaller than asked."""

    TO_FIT_MEMORY = "to_fit_memory"  # the free GPU memory at the start was too little
    AFTER_OUT_OF_MEMORY = "after_out_of_memory"  # the device ran out of memory; made again smaller


@dataclass
class StylizeResult:
    image: Image.Image
    seconds: float
    device: str
    sizes: list[tuple[int, int]]
    iterations: list[int]
    losses: list[float] = field(default_factory=list)
    scale_seconds: list[float] = field(default_factory=list)
    smaller: Smaller | None = None  # None: made at the size asked for


def output_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) with the long side capped at max_side; never upscales; aspect kept."""
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def scale_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """Sizes from coarse to fine, about √2 apart in side, the finest being (width, height)."""
    sizes = [(width, height)]
    factor = 1.0
    while len(sizes) < MAX_SCALES and max(width, height) * factor / math.sqrt(2) >= MIN_SCALE_SIDE:
        factor /= math.sqrt(2)
        sizes.append((max(1, round(width * factor)), max(1, round(height * factor))))
    return sizes[::-1]


def split_steps(total: int, scales: int) -> list[int]:
    """Most iterations at the cheap, coarse scales; at least one at each."""
    shares = [STEP_DECAY**i for i in range(scales)]
    counts = [max(1, round(total * s / sum(shares))) for s in shares]
    return counts


def fit_to_memory(width: int, height: int, device: torch.device) -> tuple[int, int]:
    """On CUDA, shrinks (width, height) so that the optimisation fits in the free GPU memory."""
    if device.type != "cuda":
        return width, height
    free, _ = torch.cuda.mem_get_info(device)
    max_pixels = int(free * CUDA_MEMORY_SHARE / CUDA_BYTES_PER_PIXEL)
    if width * height <= max_pixels:
        return width, height
    factor = math.sqrt(max_pixels / (width * height))
    return max(16, int(width * factor)), max(16, int(height * factor))


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


def _upsample(image: torch.Tensor, height: int, width: int) -> torch.Tensor:
    return F.interpolate(image, size=(height, width), mode="bicubic", align_corners=False)


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
    """Paints `content` in the manner of `style`. Both are RGB PIL images; returns an RGB image.

    The long side is at most params.max_side, and on CUDA small enough for the free memory. If the
    device still runs out of memory, it tries once more at a smaller size. `result.smaller` says
    whether and why the picture is smaller than asked.
    """
    params = params or StyleParams()
    style_weight(params.strength)  # an unknown strength fails here, before any work
    device = next(net.parameters()).device
    width, height = output_size(content.width, content.height, params.max_side)
    smaller = None
    fitted = fit_to_memory(width, height, device)
    if fitted != (width, height):
        smaller = Smaller.TO_FIT_MEMORY
        width, height = fitted
    try:
        result = _stylize_at(content, style, (width, height), net, params, progress, should_stop)
    except torch.OutOfMemoryError:
        if device.type == "cuda":
            torch.cuda.empty_cache()
        width, height = max(16, int(width * OOM_RETRY_SHRINK)), max(16, int(height * OOM_RETRY_SHRINK))
        result = _stylize_at(content, style, (width, height), net, params, progress, should_stop)
        smaller = Smaller.AFTER_OUT_OF_MEMORY
    result.smaller = smaller
    return result


def _stylize_at(
    content: Image.Image,
    style: Image.Image,
    size: tuple[int, int],
    net: FeatureNet,
    params: StyleParams,
    progress: Callable[[float], None] | None,
    should_stop: Callable[[], bool] | None,
) -> StylizeResult:
    weight = style_weight(params.strength)
    device = next(net.parameters()).device
    torch.manual_seed(params.seed)  # nothing is random yet; a future noise start will follow the seed
    started = time.perf_counter()

    width, height = size
    sizes = scale_sizes(width, height)
    iterations = split_steps(params.steps, len(sizes))
    costs = [n * w * h for n, (w, h) in zip(iterations, sizes, strict=True)]
    total_cost, done_cost = float(sum(costs)), 0.0
    losses: list[float] = []

    image: torch.Tensor | None = None
    previous_content: torch.Tensor | None = None
    scale_seconds: list[float] = []
    for (w, h), n_iter, cost in zip(sizes, iterations, costs, strict=True):
        scale_started = time.perf_counter()
        content_t = to_tensor(content.resize((w, h), Image.Resampling.LANCZOS), device)
        style_t = to_tensor(resize_to_pixels(style, w * h), device)
        targets = _targets(net, content_t, style_t)
        del style_t
        if image is None or previous_content is None:
            start = content_t
        elif DETAIL:
            # Upsampling blurs; put back the content's own detail band (a Laplacian-pyramid step)
            # so the finer scale starts sharp rather than spending its costly iterations on it.
            detail = content_t - _upsample(previous_content, h, w)
            start = (_upsample(image, h, w) + detail).clamp(0, 1)
        else:
            start = _upsample(image, h, w).clamp(0, 1)
        previous_content = content_t
        evaluations = 0

        def loss_and_grad(
            pixels: torch.Tensor,
            targets: Targets = targets,
            n_iter: int = n_iter,
            cost: int = cost,
            done_cost: float = done_cost,
        ) -> tuple[float, torch.Tensor]:
            nonlocal evaluations
            if should_stop is not None and should_stop():
                raise Cancelled
            pixels = pixels.detach().requires_grad_(True)
            features = net(pixels)
            loss = (
                targets.content_loss(features)
                + weight * targets.style_loss(features)
                + params.tv_weight * total_variation(pixels)
            )
            (grad,) = torch.autograd.grad(loss, pixels)
            evaluations += 1
            value = loss.item()
            losses.append(value)
            if progress is not None:
                progress(min(1.0, (done_cost + cost * min(evaluations, n_iter) / n_iter) / total_cost))
            return value, grad

        if params.optimizer == "lbfgs":
            pixels = minimize(
                loss_and_grad,
                start.contiguous(),
                evaluations=n_iter,
                history_size=params.history_size,
                first_step=params.first_step,
                max_step=params.max_step,
            )
        else:  # torch's own, for the benchmark's comparison
            line_search = "strong_wolfe" if params.optimizer == "torch-lbfgs-wolfe" else None
            pixels = minimize_torch(
                loss_and_grad,
                start,
                evaluations=n_iter,
                history_size=params.history_size,
                line_search=line_search,
            )
        image = pixels.clamp_(0, 1)
        done_cost += cost
        scale_seconds.append(time.perf_counter() - scale_started)
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
        scale_seconds=scale_seconds,
    )
