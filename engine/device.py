"""Which device to run on, how to set it up, and the default size and step budget for it."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Budget:
    max_side: int  # the "standard" output size
    steps: int
    large_side: int  # the "large" output size a user may choose in /settings


# Measured on this project's machines (README, "Benchmarks"): a result in seconds, not minutes.
# Large costs about (large/standard)² the time: ~25 s on two CPU cores.
CPU_BUDGET = Budget(max_side=384, steps=45, large_side=576)
CUDA_BUDGET = Budget(max_side=1024, steps=80, large_side=2048)


def resolve_device(name: str) -> torch.device:
    """'auto' means CUDA when available; an explicit 'cuda' without a GPU is an error, not a fallback."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"ENGINE_DEVICE={name} but no CUDA device is available")
    return device


def default_budget(device: torch.device) -> Budget:
    return CUDA_BUDGET if device.type == "cuda" else CPU_BUDGET


def configure(device: torch.device) -> None:
    """Speed settings that do not change results beyond float noise."""
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
