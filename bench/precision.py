"""float32 against bfloat16 convolutions on this machine: the engine's time and the yardstick.

    python -m bench.precision [--side 256] [--pairs cat+strokes,...]

The Gram matrices and losses stay float32 either way (engine/transfer.py, `network_precision`).
Each pair at light, medium and strong, both precisions side by side; then the median time ratio
and the largest change of each error. ENGINE_PRECISION=auto picks bfloat16 on CUDA and on CPUs
with bfloat16 in hardware where a quick probe finds it faster (engine/device.py,
`cpu_has_fast_bfloat16`).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import torch

from bench.pictures import pairs
from engine.device import cpu_has_fast_bfloat16
from engine.params import StyleParams
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Strength

DEFAULT_PAIRS = "cat+strokes,astronaut+stain,rocket-night+glass,camera-grey+swirl"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--pairs", default=DEFAULT_PAIRS)
    args = parser.parse_args()
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    print(
        f"{torch.get_num_threads()} threads, torch {torch.__version__}, "
        f"bfloat16 chosen by auto: {cpu_has_fast_bfloat16()}, {args.side} px"
    )
    print("| pair | strength | f32 s | bf16 s | f32 content | bf16 content | f32 progress | bf16 progress |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    ratios, content_changes, progress_changes = [], [], []
    everything = pairs()
    for name in args.pairs.split(","):
        content, style = everything[name]
        content.thumbnail((args.side, args.side))
        photo = measure(ruler, content, content, style)
        for strength in (Strength.LIGHT, Strength.MEDIUM, Strength.STRONG):
            row = {}
            for precision in ("float32", "bfloat16"):
                params = replace(StyleParams(max_side=args.side, strength=strength), precision=precision)
                started = time.perf_counter()
                result = stylize(content, style, net=net, params=params)
                errors = measure(ruler, result.image, content, style)
                row[precision] = (
                    time.perf_counter() - started,
                    errors.content,
                    1 - errors.style / photo.style,
                )
            (t32, c32, p32), (t16, c16, p16) = row["float32"], row["bfloat16"]
            ratios.append(t16 / t32)
            content_changes.append(c16 / c32 - 1)
            progress_changes.append(p16 - p32)
            cells = f"{t32:.1f} | {t16:.1f} | {c32:.3f} | {c16:.3f} | {p32:.2f} | {p16:.2f}"
            print(f"| {name} | {strength} | {cells} |", flush=True)
    print(f"\nmedian time bfloat16 / float32: {statistics.median(ratios):.2f}")
    print(
        f"content_err change: median {statistics.median(content_changes):+.1%}, "
        f"range {min(content_changes):+.1%} .. {max(content_changes):+.1%}"
    )
    print(
        f"style progress change: median {statistics.median(progress_changes):+.3f}, "
        f"range {min(progress_changes):+.3f} .. {max(progress_changes):+.3f}"
    )


if __name__ == "__main__":
    main()
