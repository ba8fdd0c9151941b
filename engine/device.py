"""Which device to run on and how to set it up (its size and step budget: engine.params)."""

from __future__ import annotations

import functools
import itertools
import time

import torch
import torch.nn.functional as F


def resolve_device(name: str) -> torch.device:
    """'auto' means CUDA when available; an explicit 'cuda' without a GPU is an error, not a fallback."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"ENGINE_DEVICE={name} but no CUDA device is available")
    return device


@functools.cache
def cpu_has_fast_bfloat16() -> bool:
    """Whether the network's convolutions run faster in bfloat16 than in float32 on this CPU.

    The hardware flag (AVX512-BF16 or AMX) is needed, else bfloat16 is emulated, but does not
    settle it: with AVX512-BF16, a picture took 0.66x the float32 time on one development machine
    (AMD EPYC) and 1.3x on another (Intel Xeon; README). So where the flag is set, a few
    convolutions are timed in both precisions, once per process (about 0.2 s).
    """
    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    if not any(bool(getattr(cpu, name, lambda: False)()) for name in checks):
        return False
    return convolution_seconds(torch.bfloat16) < convolution_seconds(torch.float32)


def convolution_seconds(dtype: torch.dtype, side: int = 48, rounds: int = 3) -> float:
    """The fastest of `rounds` forward and backward passes through a stack of convolutions shaped
    like VGG's first blocks, at `dtype` under autocast; the first round warms up and is not counted."""
    generator = torch.Generator().manual_seed(0)
    widths = (3, 64, 64, 128, 256, 512)
    weights = [
        torch.randn(out, into, 3, 3, generator=generator) * 0.05 for into, out in itertools.pairwise(widths)
    ]
    picture = torch.rand(1, 3, side, side, generator=generator)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        x = picture.clone().requires_grad_(True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == torch.bfloat16):
            y = x
            for index, weight in enumerate(weights):
                y = F.relu(F.conv2d(y, weight, padding=1))
                y = F.max_pool2d(y, 2) if index > 0 else y  # VGG's first block: two at full size
        y.float().square().mean().backward()
        times.append(time.perf_counter() - started)
    return min(times[1:])


def configure(device: torch.device) -> None:
    """Speed settings that do not change results beyond float noise."""
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
