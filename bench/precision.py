"""The precision and layout this CPU runs in against plain float32 (NCHW): time and yardstick.

    python -m bench.precision [--side 256] [--pairs cat+strokes,...]

ENGINE_PRECISION=auto runs the network, and the Gram products, in the fastest precision and layout
a quick probe finds (engine/device.py, `cpu_convolution_seconds`, printed first); the losses are
float32 either way. Each pair at light, medium and strong, both side by side; then the median time
ratio and the largest change of each error.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import torch

from bench.pictures import pairs
from engine.device import cpu_convolution_seconds
from engine.params import StyleParams, budget_for
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
    timed = ", ".join(
        f"{precision}{' NHWC' if nhwc else ''} {seconds * 1000:.1f} ms"
        for (precision, nhwc), seconds in cpu_convolution_seconds().items()
    )
    chosen = budget_for(torch.device("cpu"))
    label = f"{chosen.precision}{' NHWC' if chosen.channels_last else ''}"
    print(f"{torch.get_num_threads()} threads, torch {torch.__version__}, {args.side} px")
    print(f"the probe: {timed}; auto runs {label}")
    print(f"| pair | strength | f32 s | {label} s | f32 content | content | f32 progress | progress |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    ratios, content_changes, progress_changes = [], [], []
    everything = pairs()
    for name in args.pairs.split(","):
        content, style = everything[name]
        content.thumbnail((args.side, args.side))
        photo = measure(ruler, content, content, style)
        for strength in (Strength.LIGHT, Strength.MEDIUM, Strength.STRONG):
            row = {}
            for setup in ("float32", "auto"):
                params = StyleParams(max_side=args.side, strength=strength)
                if setup == "auto":
                    params = replace(params, precision=chosen.precision, channels_last=chosen.channels_last)
                started = time.perf_counter()
                result = stylize(content, style, net=net, params=params)
                errors = measure(ruler, result.image, content, style)
                row[setup] = (
                    time.perf_counter() - started,
                    errors.content,
                    1 - errors.style / photo.style,
                )
            (t32, c32, p32), (t16, c16, p16) = row["float32"], row["auto"]
            ratios.append(t16 / t32)
            content_changes.append(c16 / c32 - 1)
            progress_changes.append(p16 - p32)
            cells = f"{t32:.1f} | {t16:.1f} | {c32:.3f} | {c16:.3f} | {p32:.2f} | {p16:.2f}"
            print(f"| {name} | {strength} | {cells} |", flush=True)
    print(f"\nmedian time {label} / float32: {statistics.median(ratios):.2f}")
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
