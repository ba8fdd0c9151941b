"""Which device to run on and how to set it up (its size and step budget: engine.params)."""

from __future__ import annotations

import functools
import itertools
import os
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


def cpu_has_bfloat16() -> bool:
    """Whether this CPU has bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch emulates it,
    many times slower than float32."""
    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


Setup = tuple[str, bool]  # (precision, channels_last) of the network's layers


@functools.cache
def cpu_convolution_seconds() -> dict[Setup, float]:
    """How fast this CPU runs the network's convolutions in each precision and layout it can run
    well: float32, and bfloat16 where the hardware has it (AVX512-BF16 or AMX; else it is emulated),
    each in NCHW and NHWC. Measured, not assumed: which is fastest differs from one CPU to another
    even where both have bfloat16 in hardware (docs/benchmarks.md has the figures). Once per process.
    """
    precisions = ["float32", "bfloat16"] if cpu_has_bfloat16() else ["float32"]
    return {
        (precision, channels_last): convolution_seconds(getattr(torch, precision), channels_last)
        for precision in precisions
        for channels_last in (False, True)
    }


def convolution_seconds(dtype: torch.dtype, channels_last: bool, side: int = 48, rounds: int = 3) -> float:
    """The fastest of `rounds` forward and backward passes through a stack of convolutions shaped
    like VGG's first blocks, in `dtype` and layout; the first round warms up and is not counted."""
    generator = torch.Generator().manual_seed(0)
    layout = torch.channels_last if channels_last else torch.contiguous_format
    widths = (3, 64, 64, 128, 256, 512)
    weights = [
        (torch.randn(out, into, 3, 3, generator=generator) * 0.05).to(dtype).contiguous(memory_format=layout)
        for into, out in itertools.pairwise(widths)
    ]
    picture = torch.rand(1, 3, side, side, generator=generator).to(dtype).contiguous(memory_format=layout)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        x = picture.clone().requires_grad_(True)
        y = x
        for index, weight in enumerate(weights):
            y = F.relu(F.conv2d(y, weight, padding=1))
            y = F.max_pool2d(y, 2) if index > 0 else y  # VGG's first block: two at full size
        y.float().square().mean().backward()
        times.append(time.perf_counter() - started)
    return min(times[1:])


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's or taskset's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def share_cpu(loops: int, threads: int | None = None) -> int:
    """Gives each of the `loops` job loops on this machine its share of the CPUs as torch threads
    (or `threads`, the operator's ENGINE_THREADS), and returns the count. Torch's default, every CPU
    for each, makes loops running at once wait on each other's spinning threads (docs/benchmarks.md
    has the figures)."""
    count = threads or max(1, usable_cpus() // max(1, loops))
    torch.set_num_threads(count)
    return count


def configure(device: torch.device) -> None:
    """Speed settings that do not change results beyond float noise."""
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
