"""The CUDA figures (for a machine with a GPU): engine-call time at 1024 px, peak memory by size.

    python -m bench.gpu

Prints the wall time of the engine call at 1024 px long side, default strength and steps, with the
model already loaded (median of 3 after a warm-up), and the peak GPU memory at 512, 1024, 2048 px.
"""

from __future__ import annotations

import statistics
import sys
import time

import torch

from bench.pictures import pairs
from engine.device import configure, resolve_device
from engine.params import BUDGETS
from engine.transfer import ALL_LAYERS, StyleParams, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net

STEPS = BUDGETS["cuda"].steps


def main() -> None:
    if not torch.cuda.is_available():
        sys.exit("no CUDA device: this benchmark is for GPU machines")
    device = resolve_device("cuda")
    configure(device)
    print(f"{torch.cuda.get_device_name(device)}, torch {torch.__version__}, steps {BUDGETS['cuda'].steps}")
    net = FeatureNet(ALL_LAYERS).to(device)
    ruler = yardstick_net(device)
    content, style = pairs()["cat+strokes"]
    content = content.resize((2048, 1365))
    params = StyleParams(max_side=1024, steps=STEPS)
    stylize(content, style, net=net, params=params)  # warm-up: cuDNN picks its algorithms
    times = []
    for _ in range(3):
        torch.cuda.synchronize()
        started = time.perf_counter()
        result = stylize(content, style, net=net, params=params)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    errors = measure(ruler, result.image, content, style)
    print(
        f"1024 px, medium: median {statistics.median(times):.2f} s "
        f"of {[round(t, 2) for t in times]}; {errors}"
    )
    for side in (512, 1024, 2048):
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
        result = stylize(content, style, net=net, params=StyleParams(max_side=side, steps=STEPS))
        peak = torch.cuda.max_memory_allocated(device) / 2**20
        print(
            f"{side} px: {result.image.width}x{result.image.height}, {result.seconds:.2f} s, "
            f"peak {peak:.0f} MiB, smaller: {result.smaller}"
        )


if __name__ == "__main__":
    main()
