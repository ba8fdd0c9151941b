"""The CUDA figures (for a machine with a GPU): the first and the median job, peak memory by size.

    python -m bench.gpu                 # every variant, each in a fresh process (about 5 minutes)
    python -m bench.gpu --variant default

In a bot nearly every job is a photo of a new shape, so each variant makes ten photos of different
aspect ratios in a row at 1024 px (the CUDA budget's standard size, default strength), each in a
fresh process with the model loaded, and reports the first engine call and the median of the ten.
The variants change one thing from the default (canvases of 64 px, bfloat16 network and Grams,
channels_last, cudnn.benchmark on): so it shows what each one buys. Then, for the default, the
peak GPU memory at 512, 1024 and 2048 px, and the yardstick of bfloat16 against float32.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import replace

import torch
from PIL import Image

from bench.pictures import pairs
from engine.device import configure, resolve_device
from engine.params import StyleParams, params_for
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import load_feature_net
from engine.warmup import warm_up
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Size
from stylebot.settings import Settings

# Width:height of the ten photos, landscape and portrait, none of them the same.
RATIOS = (4 / 3, 3 / 4, 3 / 2, 16 / 9, 9 / 16, 1.0, 2 / 3, 1.9, 5 / 4, 0.55)
VARIANTS = {
    "default": "canvases of 64 px, bfloat16, channels_last, cudnn.benchmark",
    "warmed": "the default after engine.warmup.warm_up (its seconds are printed)",
    "no-benchmark": "cudnn.benchmark off: cuDNN's heuristics choose",
    "no-canvas": "every photo its own shapes (bucket 1), as before",
    "float32": "float32 convolutions and Gram products (TF32 allowed)",
    "nchw": "without channels_last",
}


def photos(content: Image.Image) -> list[Image.Image]:
    """The content upscaled once, then cropped to each aspect ratio (the long side over 1024 px)."""
    big = content.resize((2048, round(2048 * content.height / content.width)), Image.Resampling.LANCZOS)
    crops = []
    for ratio in RATIOS:
        width = min(big.width, round(big.height * ratio))
        crops.append(big.crop((0, 0, width, min(big.height, round(width / ratio)))))
    return crops


def run_variant(variant: str) -> dict[str, object]:
    """In this process: the ten photos in a row, timed one by one."""
    device = resolve_device("cuda")
    configure(device)
    torch.backends.cudnn.benchmark = variant != "no-benchmark"
    net = load_feature_net(ALL_LAYERS, device=device)
    params = params_for(device, Size.STANDARD, Settings(_env_file=None))  # type: ignore[call-arg]
    if variant == "nchw":
        params = replace(params, channels_last=False)
    if variant == "no-canvas":
        params = replace(params, bucket=1)
    if variant == "float32":
        params = replace(params, precision="float32")
    warm = warm_up(net, params) if variant == "warmed" else 0.0
    content, style = pairs()["cat+strokes"]
    times = []
    for photo in photos(content):
        torch.cuda.synchronize(device)
        started = time.perf_counter()
        stylize(photo, style, net=net, params=params)
        torch.cuda.synchronize(device)
        times.append(time.perf_counter() - started)
    return {
        "variant": variant,
        "first": times[0],
        "median": statistics.median(times),
        "all": times,
        "warm_up": warm,
    }


def memory_and_quality() -> None:
    device = resolve_device("cuda")
    configure(device)
    net = load_feature_net(ALL_LAYERS, device=device)
    ruler = yardstick_net(device)
    content, style = pairs()["cat+strokes"]
    content = content.resize((2048, 1365), Image.Resampling.LANCZOS)
    standard = params_for(device, Size.STANDARD, Settings(_env_file=None))  # type: ignore[call-arg]
    print("\n| long side | made | seconds | peak GiB | smaller |")
    print("|---:|---|---:|---:|---|")
    for side in (512, 1024, 2048):
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
        result = stylize(content, style, net=net, params=replace(standard, max_side=side))
        peak = torch.cuda.max_memory_allocated(device) / 2**30
        made = f"{result.image.width}×{result.image.height}"
        print(f"| {side} | {made} | {result.seconds:.2f} | {peak:.2f} | {result.smaller} |")
    print(
        "\nbfloat16 against float32 at 1024 px, the same photo (the yardstick must not lose more than 2 %):"
    )
    for precision in ("float32", "bfloat16"):
        params: StyleParams = replace(standard, precision=precision)
        result = stylize(content, style, net=net, params=params)
        print(f"  {precision}: {measure(ruler, result.image, content, style)}, {result.seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--variant", choices=list(VARIANTS), help="run one variant in this process (JSON out)"
    )
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("no CUDA device: this benchmark is for GPU machines")
    if args.variant:
        print(json.dumps(run_variant(args.variant)))
        return
    print(
        f"{torch.cuda.get_device_name()}, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}"
    )
    print("\nTen photos of different aspect ratios in a row at 1024 px, each variant in a fresh process:")
    print("| variant | what | first s | median s | warm-up s |")
    print("|---|---|---:|---:|---:|")
    for variant, what in VARIANTS.items():
        done = subprocess.run(
            [sys.executable, "-m", "bench.gpu", "--variant", variant],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {variant} | {what} | {row['first']:.2f} | {row['median']:.2f} | {row['warm_up']:.1f} |",
            flush=True,
        )
    memory_and_quality()


if __name__ == "__main__":
    main()
