"""Neural style transfer (Gatys et al. 2015): L-BFGS on the pixels, coarse to fine.

The core is `stylize`: two pictures and parameters in, a picture out; progress through a callback
and cancellation through `should_stop`, checked at every evaluation of the loss. `stylize_many`
makes several strengths of one pair in one call, sharing the network and each scale's targets.
Each scale's L-BFGS is engine/optimise.py; what `stylize` answers is engine/results.py.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import torch
import torch.nn.functional as F
from PIL import Image

from engine.calibration import Goal
from engine.imaging import keep_content_colours, resize_to_pixels, to_image, to_tensor
from engine.losses import Targets
from engine.optimise import features, optimise_scale
from engine.params import BRUSH_SCALE, STYLE_LAYER_WEIGHTS, StyleParams
from engine.preview import Preview, Previews
from engine.results import Smaller, StylizeResult, check_strength
from engine.scales import canvas_size, from_canvas, output_size, scale_sizes, step_schedule, to_canvas
from engine.start import colour_start
from engine.vgg import FeatureNet
from engine.work import scale_costs
from stylebot.choices import Strength

log = logging.getLogger(__name__)

CONTENT_LAYERS = ("block4_conv2",)
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
ALL_LAYERS = STYLE_LAYERS + CONTENT_LAYERS


def fit_to_memory(
    width: int, height: int, device: torch.device, pictures: int = 1, *, params: StyleParams | None = None
) -> tuple[int, int]:
    """On CUDA, shrinks (width, height) so that the optimisation fits in the free GPU memory."""
    if device.type != "cuda":
        return width, height
    params = params or StyleParams()
    free, _ = torch.cuda.mem_get_info(device)
    max_pixels = int(free * params.cuda_memory_share / params.cuda_bytes_per_pixel)
    if width * height <= max_pixels:
        return width, height
    factor = math.sqrt(max_pixels / (width * height))
    return max(16, int(width * factor)), max(16, int(height * factor))


def stylize(
    content: Image.Image,
    style: Image.Image,
    *,
    net: FeatureNet,
    params: StyleParams | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_preview: Preview | None = None,
) -> StylizeResult:
    """Paints `content` in the manner of `style`. Both are RGB PIL images; returns an RGB image.

    The long side is at most params.max_side, and on CUDA small enough for the free memory. If the
    device still runs out of memory, it tries once more at a smaller size. `result.smaller` says
    whether and why the picture is smaller than asked.
    """
    params = params or StyleParams()
    (result,) = stylize_many(
        content,
        style,
        net=net,
        params=params,
        strengths=[params.strength],
        progress=progress,
        should_stop=should_stop,
        on_preview=on_preview,
    )
    return result


def stylize_many(
    content: Image.Image,
    style: Image.Image,
    *,
    net: FeatureNet,
    params: StyleParams,
    strengths: Sequence[Strength | float],
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_preview: Preview | None = None,
) -> list[StylizeResult]:
    """The pair at each of `strengths` (params.strength is ignored), in that order, in one call.

    Each scale's resized pictures and targets (content features, style Gram matrices, the photo's
    own style error) are computed once for all strengths; progress runs once from 0 to 1 over all.
    The results are the same pictures as separate calls would make. `on_preview` is handed the
    picture so far (the middle strength's) after each scale and every few seconds within one.
    """
    if not strengths:
        raise ValueError("no strengths asked for")
    for strength in strengths:
        check_strength(strength)  # before any work
    device = next(net.parameters()).device
    width, height = output_size(content.width, content.height, params.max_side)
    smaller = None
    fitted = fit_to_memory(width, height, device, params=params)
    if fitted != (width, height):
        smaller = Smaller.TO_FIT_MEMORY
        width, height = fitted
    previews = Previews(on_preview)
    try:
        results = _stylize_at(
            content, style, (width, height), net, params, strengths, progress, should_stop, previews
        )
    except torch.OutOfMemoryError:
        if device.type == "cuda":
            torch.cuda.empty_cache()
        shrink = params.oom_retry_shrink
        width, height = max(16, int(width * shrink)), max(16, int(height * shrink))
        results = _stylize_at(
            content, style, (width, height), net, params, strengths, progress, should_stop, previews
        )
        smaller = Smaller.AFTER_OUT_OF_MEMORY
    for result in results:
        result.smaller = smaller
    return results


def _upsample(image: torch.Tensor, height: int, width: int) -> torch.Tensor:
    return F.interpolate(image, size=(height, width), mode="bicubic", align_corners=False)


@torch.no_grad()
def _style_err(
    net: FeatureNet, targets: Targets, canvas: tuple[int, int], params: StyleParams, pixels: torch.Tensor
) -> float:
    """The style error of `pixels` at this scale, in the engine's own loss."""
    return float(targets.style_loss(features(net, to_canvas(pixels, canvas), params)))


def _style_features(net: FeatureNet, style: torch.Tensor, params: StyleParams) -> dict[str, torch.Tensor]:
    """The style picture has its own aspect ratio, so its shape is new on every job: run it
    without cuDNN's per-shape benchmark (one pass per scale; the heuristics' choice will do)."""
    with torch.backends.cudnn.flags(enabled=True, benchmark=False):
        return features(net, style, params)


@dataclass
class _Picture:
    """One strength's picture as it goes from scale to scale."""

    strength: Strength | float
    goal: Goal
    schedule: list[int]  # each scale's iterations (engine.scales.step_schedule)
    costs: list[float]  # each scale's work (engine.work), which progress follows
    image: torch.Tensor | None = None  # (1, 3, h, w) at the previous scale, without the margin
    progress: float = 0.0
    used: list[int] = field(default_factory=list)  # the evaluations each scale ran


def _stylize_at(
    content: Image.Image,
    style: Image.Image,
    size: tuple[int, int],
    net: FeatureNet,
    params: StyleParams,
    strengths: Sequence[Strength | float],
    progress: Callable[[float], None] | None,
    should_stop: Callable[[], bool] | None,
    previews: Previews | None = None,
) -> list[StylizeResult]:
    device = next(net.parameters()).device
    started = time.perf_counter()

    width, height = size
    sizes = scale_sizes(width, height, max_scales=params.max_scales, min_side=params.min_scale_side)
    pictures = []
    for strength in strengths:
        schedule = step_schedule(params, strength, len(sizes))
        goal = Goal(strength, params.strength_calibration())
        # progress follows the work, not the count of steps
        pictures.append(_Picture(strength, goal, schedule, scale_costs(sizes, schedule)))
    total_cost, done_cost = sum(sum(picture.costs) for picture in pictures), 0.0
    previous_content: torch.Tensor | None = None
    scale_seconds: list[float] = []
    shown = len(pictures) // 2  # the middle strength: a comparison's own request
    for index, (w, h) in enumerate(sizes):
        scale_started = time.perf_counter()
        canvas = canvas_size(w, h, params.bucket)
        content_t = to_tensor(content.resize((w, h), Image.Resampling.LANCZOS), device)
        # The brush: the style picture as many times the painting's pixels as its scale squared.
        style_t = to_tensor(resize_to_pixels(style, round(w * h * BRUSH_SCALE[params.brush] ** 2)), device)
        with torch.no_grad():
            content_features = features(net, to_canvas(content_t, canvas), params)
            # The sliced loss's directions: fixed within a scale (L-BFGS needs a deterministic
            # objective), new at the next.
            targets = Targets(
                content_features,
                _style_features(net, style_t, params),
                CONTENT_LAYERS,
                STYLE_LAYERS,
                style_loss=params.style_loss,
                seed=params.seed * 1000 + index,
                max_positions=params.sliced_positions,
                max_directions=params.sliced_directions,
                style_weights=STYLE_LAYER_WEIGHTS[params.brush],
                texture=params.texture_weight > 0,
            )
            photo_style_err = float(targets.style_loss(content_features))
            del content_features
        for picture in pictures:
            if picture.image is None or previous_content is None:
                start = colour_start(
                    content_t,
                    style_t,
                    picture.goal.progress,
                    params.colour_start_share,
                    partial(_style_err, net, targets, canvas, params),
                    photo_style_err,
                )
            elif params.detail:
                # Upsampling blurs; put back the content's own detail band (a Laplacian-pyramid step)
                # so the finer scale starts sharp rather than spending its costly iterations on it.
                detail = content_t - _upsample(previous_content, h, w)
                start = (_upsample(picture.image, h, w) + detail).clamp(0, 1)
            else:
                start = _upsample(picture.image, h, w).clamp(0, 1)
            picture.goal.start_scale(photo_style_err)
            cost = picture.costs[index]

            def report(share: float, cost: float = cost, before: float = done_cost) -> None:
                if progress is not None:
                    progress(min(1.0, (before + cost * share) / total_cost))

            watch: partial[None] | None = None
            if previews is not None and picture is pictures[shown]:
                watch = partial(previews.offer, size=(w, h))
            pixels, style_err, used = optimise_scale(
                to_canvas(start, canvas),
                net,
                targets,
                picture.goal,
                params,
                picture.schedule[index],
                report,
                should_stop,
                watch,
            )
            picture.goal.correct(style_err)
            picture.used.append(used)
            picture.image = from_canvas(pixels, (w, h)).clamp_(0, 1)
            if watch is not None:
                watch(picture.image, force=True)
            picture.progress = 1 - style_err / photo_style_err
            done_cost += cost
        previous_content = content_t
        del style_t
        scale_seconds.append(time.perf_counter() - scale_started)
        log.debug("scale %dx%d on %dx%d: %s iterations", w, h, *canvas, [p.used[-1] for p in pictures])

    results = []
    for picture in pictures:
        assert picture.image is not None
        image = to_image(picture.image)
        if params.keep_colors:
            image = keep_content_colours(image, content)
        results.append(
            StylizeResult(
                image=image,
                seconds=time.perf_counter() - started,
                device=str(device),
                sizes=sizes,
                iterations=picture.used,
                strength=picture.strength,
                style_progress=picture.progress,
                scale_seconds=tuple(scale_seconds),
            )
        )
    if progress is not None:
        progress(1.0)
    return results
