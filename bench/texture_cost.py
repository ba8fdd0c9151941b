"""What the texture term (StyleParams.texture_weight) costs: seconds a painting with it and without,
painted alternately on the same pairs so that the machine's noise falls on both alike.

    python -m bench.texture_cost [--side 256] [--rounds 3] [--pairs cat+strokes,...] [--threads 2]

Prints each pair's median seconds without and with the term and their ratio, then the median ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import replace

import torch
from PIL import Image

from bench.ladder import cpu_params
from bench.pictures import pairs
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from stylebot.choices import Strength


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--weight", type=float, default=1.0, help="the texture term's weight when on")
    parser.add_argument("--pairs", default="cat+strokes,coffee+gravel,moon-grey+shapes")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    net = FeatureNet(ALL_LAYERS)
    params = replace(cpu_params(args.side), strength=Strength.STRONG)
    chosen = {name: pictures for name, pictures in pairs().items() if name in args.pairs.split(",")}
    print(f"{args.side} px, strong, {params.steps} steps, {params.precision}, {args.rounds} rounds")
    print("| pair | without, s | with, s | with / without |")
    print("|---|---:|---:|---:|")
    ratios = []
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        seconds: dict[float, list[float]] = {0.0: [], args.weight: []}
        for _ in range(args.rounds):
            for weight in seconds:
                result = stylize(content, style, net=net, params=replace(params, texture_weight=weight))
                seconds[weight].append(result.seconds)
        without, with_term = (statistics.median(values) for values in seconds.values())
        ratios.append(with_term / without)
        print(f"| {name} | {without:.2f} | {with_term:.2f} | {ratios[-1]:.2f}× |", flush=True)
    print(f"median ratio {statistics.median(ratios):.2f}×")


if __name__ == "__main__":
    main()
