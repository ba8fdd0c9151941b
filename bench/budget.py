"""The GPU's step budget, measured on the CPU: yardstick errors at 1024 px against steps and schedule.

    nice -n 5 python -m bench.budget > bench/out/budget.log     # hours on two cores
    python -m bench.budget --quick                               # a smoke run at 128 px

The algorithm is the same arithmetic on every device (up to float noise), so the number of L-BFGS
steps a 1024 px picture needs can be found on the CPU, slowly. For each run it prints the steps,
the schedule, the yardstick errors, the style progress and the CPU seconds (only a guide: the GPU
is what the budget is for). Then the "large" size (2048 px) at the chosen budget and twice it.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from dataclasses import replace
from pathlib import Path

import torch
from PIL import Image

from bench.pictures import pairs
from engine.params import BUDGETS, StyleParams
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import DEFAULT_STRENGTH

ROOT = Path(__file__).resolve().parents[1]


def run(
    label: str,
    content: Image.Image,
    style: Image.Image,
    params: StyleParams,
    net: FeatureNet,
    ruler: FeatureNet,
    out: Path,
) -> None:
    started = time.process_time()  # this process's CPU time: other work on the machine does not count
    result = stylize(content, style, net=net, params=params)
    seconds = time.process_time() - started
    size = result.image.size
    photo = measure(ruler, content.resize(size, Image.Resampling.LANCZOS), content, style)
    errors = measure(ruler, result.image, content, style)
    result.image.save(out / f"{label.replace(' ', '_')}.png")
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"| {size[0]}×{size[1]} | {label} | {params.steps} | {result.iterations} | {errors.content:.3f} | "
        f"{errors.style:.4f} | {1 - errors.style / photo.style:.3f} | {seconds:.0f} | {peak_gb:.1f} |",
        flush=True,
    )


def available_gb() -> float:
    """MemAvailable from /proc/meminfo (Linux): the large run needs about 3.3 kB a pixel on the CPU."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 2**20
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pair", default="cat+strokes")
    parser.add_argument("--side", type=int, default=1024)
    parser.add_argument("--steps", default="40,80,160,320", help="the step curve at --side")
    parser.add_argument("--budget", type=int, default=BUDGETS["cuda"].steps, help="for the schedule runs")
    parser.add_argument("--large", type=int, default=2048, help="0: skip the large size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "budget")
    parser.add_argument("--precision", choices=["float32", "bfloat16"], help="default: the CUDA budget's")
    parser.add_argument("--quick", action="store_true", help="smoke run: 128 px, a few steps")
    # One thread: on a shared machine, OpenMP threads waiting for each other cost more than they give.
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        args.side, args.steps, args.budget, args.large = 128, "4,8", 8, 160
    args.out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.threads)
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    content, style = pairs()[args.pair]
    # The photo upscaled once, so that every size below is made from a picture at least that large.
    big = max(args.side, args.large)
    content = content.resize((big, round(big * content.height / content.width)), Image.Resampling.LANCZOS)
    # The CUDA budget's canvases, precision and layout (bfloat16 NHWC: fast on CPUs that have it).
    cuda = BUDGETS["cuda"]
    params = StyleParams(
        strength=DEFAULT_STRENGTH,
        max_side=args.side,
        bucket=cuda.bucket,
        precision=args.precision or cuda.precision,
        channels_last=cuda.channels_last,
    )
    print(
        f"{args.pair}, strength {params.strength}, {params.precision}, "
        f"{os.cpu_count()} CPUs ({args.threads} thread), "
        f"torch {torch.__version__}; "
        f"default schedule: {params.max_scales} scales, step decay {params.step_decay}"
    )
    print("| size | run | steps | per scale | content_err | style_err | progress | CPU s | peak GB |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|")
    for steps in (int(s) for s in args.steps.split(",")):
        run(f"{steps} steps", content, style, replace(params, steps=steps), net, ruler, args.out)
    if args.large and not args.quick and available_gb() < 16:
        print(f"large size skipped: {available_gb():.0f} GB available, about 12 GB needed at {args.large} px")
    elif args.large:
        for steps in (args.budget, 2 * args.budget):
            large = replace(params, max_side=args.large, steps=steps)
            run(f"large {steps} steps", content, style, large, net, ruler, args.out)

    # Other schedules last: the step curve and the large size are what the budget is chosen from.
    for max_scales, decay in ((5, 0.8), (6, 0.8), (4, 0.65), (4, 1.0)):
        label = f"{max_scales} scales decay {decay}"
        other = replace(params, steps=args.budget, max_scales=max_scales, step_decay=decay)
        run(label, content, style, other, net, ruler, args.out)


if __name__ == "__main__":
    main()
