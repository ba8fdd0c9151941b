"""The parameters of one picture, decided in one place for a device and a size.

Every default of the engine is here: `StyleParams` holds the algorithm's settings with their
defaults (the options a user may set, and below them the tuning knobs that benchmarks vary with
`dataclasses.replace`), `Calibration` how the strengths find their weight, `BUDGETS` the size and
step budget of each device, and `params_for` combines them with the operator's settings
(ENGINE_MAX_SIDE, ENGINE_STEPS, ENGINE_LARGE_SIDE) and a caller's overrides. The bands of style
progress that name the strengths are in engine/calibration.py.
The worker and the command line both ask `params_for`; the command line builds its options from
the fields of `StyleParams` that carry a help text. Imports no torch, so `--help` is instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, cast

from stylebot.choices import DEFAULT_STRENGTH, Brush, Size, Strength, StyleLoss

if TYPE_CHECKING:
    import torch

    from stylebot.settings import Settings


Precision = Literal["float32", "bfloat16"]


@dataclass(frozen=True)
class Budget:
    max_side: int  # the "standard" output size
    steps: int
    large_side: int  # the "large" output size a user may choose in /settings
    bucket: int  # each scale runs on a canvas with sides in multiples of this (engine/scales.py)
    precision: Precision  # of the network's layers and Gram products; the losses are float32
    channels_last: bool  # the network's layout: NHWC (what cuDNN's tensor cores want) or NCHW


# Chosen for a result in seconds, not minutes (docs/benchmarks.md has the timings); large costs
# about (large/standard)² the time. On the CPU, canvases would only add pixels (no per-shape cost to
# save); the CPU's precision and layout are the fastest a probe finds (`budget_for`): bfloat16 is
# faster only where the CPU has it in hardware, and not on every such CPU (engine/device.py).
BUDGETS: dict[str, Budget] = {
    "cpu": Budget(max_side=384, steps=45, large_side=576, bucket=1, precision="float32", channels_last=False),
    "cuda": Budget(
        max_side=1024, steps=80, large_side=2048, bucket=64, precision="bfloat16", channels_last=True
    ),
}


@dataclass(frozen=True)
class Calibration:
    """How a preset finds its style weight (engine/calibration.py explains the scheme). Tuned on the
    benchmark pairs (bench/ladder.py): a weaker pull lets a scale end further from its goal, a
    stronger one or a higher cap costs the photo; the correction exponent makes one scale's miss
    count for more than its share, because a finer scale starts with less style than the coarse one
    ended with."""

    pull: float = 10.0  # how fast the slope of the style term changes around the goal
    boost: float = 2.0  # short of the goal, the weight grows at most (1 + boost)-fold
    prior_scale: float = 1.5  # the first weight: prior_scale · odds ** prior_power
    prior_power: float = 0.77
    correction_power: float = 2.5  # after a scale the weight is multiplied by miss ** this
    max_correction: float = 10.0  # ... by at most this factor or its inverse
    # Aim this much above the band's middle: a loss along a sample of directions (sliced) fits
    # those a little better than all of them, which an independent yardstick measures.
    progress_offset: float = 0.0


# Each style loss may answer the weight differently, so each has its own calibration
# (bench/ladder.py --style-loss); the Gram loss's weights serve the sliced one too.
CALIBRATIONS: dict[StyleLoss, Calibration] = {
    StyleLoss.GRAM: Calibration(),
    StyleLoss.SLICED: Calibration(progress_offset=0.02),
}


# The style picture's side against the painting's at each brush size: its strokes and tiles come
# out that much smaller or larger (bench/brushes.py measures by how much); fine is not smaller still
# because VGG's deepest style layers would then see the style picture only a few positions wide.
BRUSH_SCALE: dict[Brush, float] = {Brush.FINE: 0.42, Brush.MEDIUM: 1.0, Brush.COARSE: 2.8}

# The style term's weight on each style layer (block1_conv1 … block5_conv1) at each brush size,
# relative (normalised to sum to one). All alike: weighing the deep layers at coarse and the shallow
# ones at fine (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style Transfer") made
# coarse's strokes no larger, and fine, its deep layers let go, fell short of its strength on the
# yardstick, which weighs every layer (docs/engine.md, "Brush size"). A knob for bench.brushes.
STYLE_LAYER_WEIGHTS: dict[Brush, tuple[float, ...]] = {
    Brush.FINE: (1.0, 1.0, 1.0, 1.0, 1.0),
    Brush.MEDIUM: (1.0, 1.0, 1.0, 1.0, 1.0),
    Brush.COARSE: (1.0, 1.0, 1.0, 1.0, 1.0),
}


def _option(help: str, **metadata: Any) -> dict[str, Any]:
    """Field metadata: a field with a help text is a command-line option."""
    return {"help": help, **metadata}


@dataclass(frozen=True)
class StyleParams:
    """How one picture is made. The defaults are the CPU budget's; `params_for` sets the device's."""

    strength: Strength | float = field(
        default=DEFAULT_STRENGTH,
        metadata=_option(f"{', '.join(Strength)}, or a style progress between 0 and 1 (README)"),
    )
    max_side: int = field(
        default=BUDGETS["cpu"].max_side,
        metadata=_option("long side of the result in px", device_default="max_side"),
    )
    steps: int = field(
        default=BUDGETS["cpu"].steps,
        metadata=_option(
            "L-BFGS iterations over all scales (the strongest presets get more)", device_default="steps"
        ),
    )
    keep_colors: bool = field(default=False, metadata=_option("keep the content photo's colours"))
    tv_weight: float = field(
        default=10.0, metadata=_option("weight of the smoothness (total variation) term")
    )
    seed: int = field(
        default=0, metadata=_option("seeds the sliced loss's random directions (the Gram loss has none)")
    )
    brush: Brush = field(
        default=Brush.MEDIUM,
        metadata=_option(f"size of the brush strokes: {', '.join(Brush)}, the style picture's scale"),
    )
    style_loss: StyleLoss = field(
        default=StyleLoss.GRAM,
        metadata=_option("how texture is compared: gram or sliced Wasserstein", setting="engine_style_loss"),
    )
    texture_weight: float = field(
        default=0.0,
        metadata=_option(
            "weight of the texture term beside the style term (the style layers' channel correlations, "
            "which colour alone cannot match); 0: off"
        ),
    )
    bucket: int = BUDGETS["cpu"].bucket
    precision: Precision = BUDGETS["cpu"].precision
    channels_last: bool = BUDGETS["cpu"].channels_last
    # Tuning knobs, not options: benchmarks vary them with dataclasses.replace.
    # L-BFGS settings, chosen on bench/engine_vs_pastiche.py (its output lists what was tried).
    optimizer: Literal["lbfgs", "torch-lbfgs", "torch-lbfgs-wolfe"] = "lbfgs"
    history_size: int = 20
    first_step: float = 0.02  # the first step moves no pixel more than this (0..1 units)
    max_step: float = 0.1  # nor does any later step
    backtracks: int = 3  # halvings of a step that raised the loss before the curvature is forgotten
    # The coarse-to-fine schedule (engine/scales.py): scales about √2 apart, the coarsest no smaller
    # than min_scale_side, scale i of n (0 = coarsest) getting a share of the steps ∝ step_decay ** i.
    # The result's style error is set mostly by the last scales (upsampling blurs the fine texture
    # that block1 and block2 measure), so more scales for the same steps only starve them; a
    # picture of 64 px still gets two scales, so that its strength is corrected once.
    max_scales: int = 4
    min_scale_side: int = 44
    step_decay: float = 0.8
    # The step budget grows with the style asked for: a strength aiming at strong_from or more runs
    # strong_step_factor × steps. Much style is far from the photo and L-BFGS gets there slowly: at
    # the plain budget some pairs stopped short of the strongest band (docs/engine.md, "The step
    # budget"); the weaker presets reach theirs and keep their time.
    strong_step_factor: float = 1.5
    strong_from: float = 0.8
    # ... and from strong up at a coarse brush: strokes 2.8 times the size are further from the
    # photo, and some pairs stopped short of strong's band at the plain budget (docs/engine.md,
    # "Brush size"; the figures are in docs/benchmarks.md).
    strong_from_coarse: float = 0.7
    # Optional: a scale stops once its objective falls by less than flat_fall a step (on average over
    # the last flat_window steps), but not before half its share. Off: a job's time would then vary
    # by pair and could not be told before it runs, and a fixed strong_step_factor is nearly as good
    # (docs/engine.md, "The step budget").
    stop_when_flat: bool = False
    flat_fall: float = 0.01
    flat_window: int = 5
    # Optional: the coarsest scale starts from the photo in the style's colours no further than this
    # share of the strength's progress, so that on fine textures in a few colours, where the colours
    # alone reach most of a strength, the rest must be painted (engine/start.py). Off (1: as far as
    # the strength goes): on most such pairs the optimiser then reached the band by a faint grain
    # instead of the colours, and the strengths looked more like the photo (docs/engine.md, "Where
    # a painting starts").
    colour_start_share: float = 1.0
    # Start each finer scale from the upsampled result plus the content's own detail band.
    detail: bool = True
    calibration: Calibration | None = None  # None: the style loss's own (CALIBRATIONS)
    # The sliced loss compares at most this many positions of a layer (a fixed random subset) along
    # at most this many directions: sorting the projections is most of its time on a CPU. Fewer
    # directions fit those few and leave the others behind (an independent yardstick measures less
    # style than the engine aimed at), more cost time (docs/engine.md).
    sliced_positions: int = 4096
    sliced_directions: int = 128
    # CUDA memory: VGG19 activations to block5_conv1 kept for the backward pass, their gradients and
    # the L-BFGS history in fp32 take about 6 kB a pixel; 8 kB leaves room for cuDNN's workspaces.
    cuda_bytes_per_pixel: int = 8_000
    cuda_memory_share: float = 0.8  # of the free memory at the start
    oom_retry_shrink: float = 0.7  # the side's factor for the second try after running out

    def strength_calibration(self) -> Calibration:
        """The calibration the strengths use: the one given, or the style loss's own."""
        return self.calibration or CALIBRATIONS[self.style_loss]


def user_fields() -> list[Any]:
    """The fields of StyleParams a user may set (those with a help text), in their order."""
    return [f for f in fields(StyleParams) if "help" in f.metadata]


def budget_for(device: torch.device, precision: Precision | Literal["auto"] = "auto") -> Budget:
    """The device's budget; `precision` "auto" keeps the budget's (ENGINE_PRECISION). On a CPU the
    precision and layout are the fastest the probe found (engine.device), within `precision`."""
    from engine.device import cpu_convolution_seconds

    budget = BUDGETS["cuda" if device.type == "cuda" else "cpu"]
    if precision != "auto":
        budget = replace(budget, precision=precision)
    if device.type != "cpu":
        return budget
    timed = cpu_convolution_seconds()
    allowed = [setup for setup in timed if precision in ("auto", setup[0])]
    if not allowed:  # bfloat16 asked for on a CPU that only emulates it: not worth timing
        return budget
    chosen, channels_last = min(allowed, key=timed.__getitem__)
    return replace(budget, precision=cast(Precision, chosen), channels_last=channels_last)


def params_for(device: torch.device, size: Size, settings: Settings, **overrides: Any) -> StyleParams:
    """The parameters for a picture of `size` on `device`: the device's budget, then the operator's
    settings, then `overrides` (a None override means "not given" and is ignored)."""
    budget = budget_for(device, settings.engine_precision)
    standard = settings.engine_max_side or budget.max_side
    large = max(standard, settings.engine_large_side or budget.large_side)
    chosen: dict[str, Any] = {
        "max_side": large if size == Size.LARGE else standard,
        "steps": settings.engine_steps or budget.steps,
        "bucket": budget.bucket,
        "precision": budget.precision,
        "channels_last": budget.channels_last,
        "style_loss": settings.engine_style_loss,
    }
    unknown = set(overrides) - {f.name for f in fields(StyleParams)}
    if unknown:
        raise TypeError(f"unknown parameters: {sorted(unknown)}")
    chosen.update({name: value for name, value in overrides.items() if value is not None})
    return StyleParams(**chosen)
