"""The step budget of the strongest preset: the fixed budget, more steps, and the stop rule, side by side.

    nice -n 10 python -m bench.step_rules [--side 384] [--pairs cat+strokes,...] [--rules fixed,1.5x,flat]
    nice -n 10 python -m bench.step_rules --cuda --side 1024 --pairs cat+strokes --rules fixed,1.5x

For each benchmark pair, the strongest preset under each rule: the L-BFGS evaluations it ran, its
seconds (this process's CPU time, so that other work on the machine does not count), and the
yardstick's content error and style progress (engine/yardstick.py), the band in the header. Rules:
fixed = params.steps (no extra steps); 1.5x (or any NUMBERx) = that many times the steps for the
strongest (StyleParams.strong_step_factor); flat = the stop rule on (StyleParams.stop_when_flat),
joined with a factor by + (2x+flat: up to twice the steps, each scale stopping once its objective
is flat). The last lines: per rule, the means against the first rule's. `--cuda`: the CUDA budget's
steps, canvases, precision and layout (bfloat16 NHWC) instead of this CPU's, as bench/budget.py
measures the GPU's budget on the CPU.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, replace

import torch
from PIL import Image

from bench.ladder import cpu_params, progress_of
from bench.pictures import pairs
from engine.calibration import BANDS
from engine.params import BUDGETS, StyleParams
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import yardstick_net
from stylebot.choices import Strength

STRENGTH = Strength.STRONGEST


@dataclass(frozen=True)
class Row:
    pair: str
    rule: str
    evaluations: int
    seconds: float
    content: float
    progress: float


def rule_params(rule: str, params: StyleParams) -> StyleParams:
    """The parameters of one rule: parts joined by '+', each 'fixed' (factor 1), a factor such as
    '1.5x', or 'flat' (the stop rule on)."""
    for part in rule.split("+"):
        if part == "fixed":
            params = replace(params, strong_step_factor=1.0)
        elif part == "flat":
            params = replace(params, stop_when_flat=True)
        elif part.endswith("x"):
            params = replace(params, strong_step_factor=float(part[:-1]))
        else:
            raise ValueError(f"unknown rule {rule!r}: fixed, flat, a factor such as 1.5x, joined by +")
    return params


def run(
    pair: str,
    rule: str,
    content: Image.Image,
    style: Image.Image,
    params: StyleParams,
    net: FeatureNet,
    ruler: FeatureNet,
) -> Row:
    started = time.process_time()
    result = stylize(content, style, net=net, params=rule_params(rule, params))
    seconds = time.process_time() - started
    photo = progress_of(ruler, content, content, style)
    errors = progress_of(ruler, result.image, content, style)
    return Row(pair, rule, sum(result.iterations), seconds, errors.content, 1 - errors.style / photo.style)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=384)
    parser.add_argument("--steps", type=int, help="default: the budget's")
    parser.add_argument("--cuda", action="store_true", help="the CUDA budget, not this CPU's")
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--rules", default="fixed,1.5x,2x+flat", help="comma-separated rules (above)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rules = args.rules.split(",")
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    chosen = pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    params = replace(cpu_params(args.side, args.steps), strength=STRENGTH)
    if args.cuda:
        cuda = BUDGETS["cuda"]
        params = replace(
            params,
            steps=args.steps or cuda.steps,
            bucket=cuda.bucket,
            precision=cuda.precision,
            channels_last=cuda.channels_last,
        )
    low, high = BANDS[STRENGTH]
    print(
        f"{STRENGTH} (band {low:.2f}–{high:.2f}), {args.side} px, {params.steps} steps, {params.precision}, "
        f"{args.threads} threads, torch {torch.__version__}"
    )
    print("| pair | " + " | ".join(f"{rule}: evals, CPU s, content_err, progress" for rule in rules) + " |")
    print("|---|" + "---|" * len(rules))
    table: dict[str, list[Row]] = {rule: [] for rule in rules}
    for name, (content, style) in chosen.items():
        # At --side, upscaled if need be (bench/budget.py's 1024 px are larger than the photos).
        scale = args.side / max(content.size)
        content = content.resize(
            (round(content.width * scale), round(content.height * scale)), Image.Resampling.LANCZOS
        )
        # Untimed: a process's first passes at new shapes cost several times more (each pair has its own).
        stylize(content, style, net=net, params=replace(params, steps=2))
        rows = [run(name, rule, content, style, params, net, ruler) for rule in rules]
        for row in rows:
            table[row.rule].append(row)
        cells = [f"{r.evaluations}, {r.seconds:.0f}, {r.content:.3f}, {r.progress:.2f}" for r in rows]
        print(f"| {name} | {' | '.join(cells)} |", flush=True)
    print(
        "\n| rule | mean evals | CPU s (× first) | content_err (× first) | mean progress | outside the band |"
    )
    print("|---|---:|---:|---:|---:|---|")
    first = table[rules[0]]
    for rule, rows in table.items():
        seconds = sum(r.seconds for r in rows) / sum(r.seconds for r in first)
        content = sum(r.content / f.content for r, f in zip(rows, first, strict=True)) / len(rows)
        outside = [f"{r.pair} {r.progress:.2f}" for r in rows if not low <= r.progress <= high]
        print(
            f"| {rule} | {sum(r.evaluations for r in rows) / len(rows):.0f} | "
            f"{sum(r.seconds for r in rows):.0f} ({seconds:.2f}) | "
            f"{sum(r.content for r in rows) / len(rows):.3f} ({content:.2f}) | "
            f"{sum(r.progress for r in rows) / len(rows):.3f} | "
            f"{len(outside)}: {', '.join(outside) or 'none'} |"
        )


if __name__ == "__main__":
    main()
