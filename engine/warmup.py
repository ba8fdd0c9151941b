"""Prepares a CUDA device for the shapes photos will come in, before the first job.

With `cudnn.benchmark` on (engine/device.py), cuDNN times its convolution algorithms the first time
it sees an input shape. Canvases (engine/scales.py) make the shapes repeat, so this is paid once
per shape and device; `warm_up` pays it for the commonest photo shapes at start-up instead of
during a user's first job. bench/gpu.py measures the first job with and without it.
"""

from __future__ import annotations

import time

import torch

from engine.optimise import features
from engine.params import StyleParams
from engine.scales import canvas_size, output_size, scale_sizes
from engine.vgg import FeatureNet

# Landscape width:height of the commonest photos (phones, cameras, screenshots); portraits too.
COMMON_RATIOS = ((1, 1), (4, 3), (3, 2), (16, 9), (2, 1))


def shapes_for(
    params: StyleParams, ratios: tuple[tuple[int, int], ...] = COMMON_RATIOS
) -> set[tuple[int, int]]:
    """Every canvas (width, height) a photo of these aspect ratios, both ways up, is made on."""
    shapes: set[tuple[int, int]] = set()
    for long, short in ratios:
        for width, height in ((long, short), (short, long)):
            size = output_size(width * 10_000, height * 10_000, params.max_side)
            ladder = scale_sizes(*size, max_scales=params.max_scales, min_side=params.min_scale_side)
            shapes.update(canvas_size(w, h, params.bucket) for w, h in ladder)
    return shapes


def warm_up(
    net: FeatureNet, params: StyleParams, ratios: tuple[tuple[int, int], ...] = COMMON_RATIOS
) -> float:
    """One forward and backward pass through `net` on each canvas; returns the seconds it took."""

    device = next(net.parameters()).device
    started = time.perf_counter()
    for width, height in sorted(shapes_for(params, ratios)):
        pixels = torch.rand(1, 3, height, width, device=device, requires_grad=True)
        activations = features(net, pixels, params)
        torch.autograd.grad(torch.stack([a.float().mean() for a in activations.values()]).sum(), pixels)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - started
