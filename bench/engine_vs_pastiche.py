"""Our engine against pastiche, side by side on this machine: wall seconds, peak memory, yardstick.

    python -m bench.engine_vs_pastiche            # the README's table (about 15 minutes on 2 cores)
    python -m bench.engine_vs_pastiche --quick    # a smoke run

Both run as whole processes (`python -m pastiche`, `python -m engine stylize`), so start-up and model
loading count for both. Every picture is saved under bench/out/ for a person to look at.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image

from bench.pictures import pairs
from engine import transfer
from engine.transfer import STRENGTHS, StyleParams, stylize
from engine.vgg import FeatureNet
from engine.yardstick import Errors, measure, yardstick_net
from stylebot.choices import Strength

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    pair: str
    tool: str
    setting: str
    seconds: float
    peak_mb: float
    errors: Errors
    path: Path


def run_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and this child's own peak resident memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def bench_pair(
    name: str, content: Path, style: Path, args: argparse.Namespace, ruler: FeatureNet
) -> list[Run]:
    out = args.out / name
    out.mkdir(parents=True, exist_ok=True)
    content_image, style_image = Image.open(content).convert("RGB"), Image.open(style).convert("RGB")
    runs = []
    for steps in args.pastiche_steps:
        path = out / f"pastiche-{steps}.png"
        command = [
            sys.executable,
            "-m",
            "pastiche",
            "--device",
            args.device,
            "--size",
            str(args.side),
            "--num-steps",
            str(steps),
            "--no-verbose",
            "-c",
            str(content),
            "-s",
            str(style),
            "-o",
            str(path),
        ]
        seconds, peak = run_process(command)
        errors = measure(ruler, Image.open(path).convert("RGB"), content_image, style_image)
        runs.append(Run(name, "pastiche", f"{steps} steps", seconds, peak, errors, path))
        print(f"  {name} pastiche {steps:>4} steps: {seconds:6.1f} s", flush=True)
    for strength in STRENGTHS:
        path = out / f"stylebot-{strength}.png"
        command = [
            sys.executable,
            "-m",
            "engine",
            "stylize",
            str(content),
            str(style),
            "-o",
            str(path),
            "--strength",
            strength,
            "--max-side",
            str(args.side),
            "--device",
            args.device,
        ]
        if args.steps:
            command += ["--steps", str(args.steps)]
        seconds, peak = run_process(command)
        errors = measure(ruler, Image.open(path).convert("RGB"), content_image, style_image)
        runs.append(Run(name, "stylebot", strength, seconds, peak, errors, path))
        print(f"  {name} stylebot {strength:>9}: {seconds:6.1f} s", flush=True)
    return runs


def print_table(runs: list[Run]) -> None:
    print("\n| pair | tool | setting | wall s | peak MB | content_err | style_err |")
    print("|---|---|---|---:|---:|---:|---:|")
    for r in runs:
        print(
            f"| {r.pair} | {r.tool} | {r.setting} | {r.seconds:.1f} | {r.peak_mb:.0f} | "
            f"{r.errors.content:.3f} | {r.errors.style:.4f} |"
        )


def ratios(runs: list[Run], reference_steps: int) -> list[float]:
    """Per pair: our time / pastiche's time, for our first preset no worse on both errors."""
    found = []
    print(f"\nRatio to pastiche at {reference_steps} steps (first preset no worse on both errors):")
    for pair in dict.fromkeys(r.pair for r in runs):
        reference = next(r for r in runs if r.pair == pair and r.setting == f"{reference_steps} steps")
        ours = [r for r in runs if r.pair == pair and r.tool == "stylebot"]
        better = next((r for r in ours if r.errors.no_worse_than(reference.errors)), None)
        if better is None:
            print(f"  {pair}: no preset is no worse on both errors than pastiche ({reference.errors})")
            continue
        ratio = better.seconds / reference.seconds
        found.append(ratio)
        print(
            f"  {pair}: {better.setting} in {better.seconds:.1f} s "
            f"vs {reference.seconds:.1f} s -> ratio {ratio:.3f}"
        )
    if found:
        print(f"  median ratio: {statistics.median(found):.3f}")
    return found


def optimiser_study(
    content: Image.Image, style: Image.Image, args: argparse.Namespace, ruler: FeatureNet
) -> None:
    """What was tried for L-BFGS and the schedule, at the same evaluation budget, in this process."""
    net = FeatureNet(transfer.ALL_LAYERS).to(args.device)
    steps = args.steps or 45
    variants: list[tuple[str, dict[str, object], dict[str, object]]] = [
        ("ours: capped L-BFGS, history 20 (default)", {}, {}),
        ("ours, history 5", {"history_size": 5}, {}),
        ("ours, history 50", {"history_size": 50}, {}),
        ("torch LBFGS, no line search", {"optimizer": "torch-lbfgs"}, {}),
        ("torch LBFGS, strong Wolfe", {"optimizer": "torch-lbfgs-wolfe"}, {}),
        ("ours, no content detail at upsampling", {}, {"DETAIL": False}),
        ("ours, single scale", {}, {"MAX_SCALES": 1}),
        ("ours, 6 scales", {}, {"MAX_SCALES": 6, "MIN_SCALE_SIDE": 32}),
    ]
    print(
        f"\nOptimiser and schedule, strength 'strong', {steps} evaluations, {args.side} px, engine call only:"
    )
    print("| variant | engine s | content_err | style_err |")
    print("|---|---:|---:|---:|")
    for label, params, module_settings in variants:
        saved = {key: getattr(transfer, key) for key in module_settings}
        for key, value in module_settings.items():
            setattr(transfer, key, value)
        try:
            result = stylize(
                content,
                style,
                net=net,
                params=StyleParams(strength=Strength.STRONG, max_side=args.side, steps=steps, **params),
            )  # type: ignore[arg-type]
        finally:
            for key, value in saved.items():
                setattr(transfer, key, value)
        errors = measure(ruler, result.image, content, style)
        print(f"| {label} | {result.seconds:.1f} | {errors.content:.3f} | {errors.style:.4f} |", flush=True)


def contact_sheet(runs: list[Run], path: Path, tile: int = 192) -> None:
    """One row per pair: the content, pastiche at each step count, then our presets."""
    rows = list(dict.fromkeys(r.pair for r in runs))
    columns = 1 + max(sum(1 for r in runs if r.pair == pair) for pair in rows)
    sheet = Image.new("RGB", (columns * tile, len(rows) * tile), "white")
    for y, pair in enumerate(rows):
        pictures = [runs[[r.pair for r in runs].index(pair)].path.parent / "content.png"]
        pictures += [r.path for r in runs if r.pair == pair]
        for x, picture in enumerate(pictures):
            image = Image.open(picture).convert("RGB")
            image.thumbnail((tile, tile))
            sheet.paste(image, (x * tile, y * tile + (tile - image.height) // 2))
    sheet.save(path, quality=88)
    print(f"\ncontact sheet: {path} (columns: content, pastiche steps, then our presets light to strong)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, help="our engine's steps (default: its own for the device)")
    parser.add_argument(
        "--pastiche-steps", type=lambda v: [int(x) for x in v.split(",")], default=[100, 300, 1000]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet (JPEG) here")
    parser.add_argument("--quick", action="store_true", help="smoke run: 48 px, few steps, one pair")
    parser.add_argument("--no-study", action="store_true", help="skip the optimiser study")
    args = parser.parse_args()
    if args.quick:
        args.side, args.steps, args.pastiche_steps = 48, 6, [3, 6, 12]
    torch.set_num_threads(os.cpu_count() or 1)
    ruler = yardstick_net(args.device)
    print(
        f"machine: {os.cpu_count()} CPUs, torch {torch.__version__}, device {args.device}; "
        f"{args.side} px long side"
    )
    runs: list[Run] = []
    chosen = list(pairs().items())[: 1 if args.quick else None]
    for name, (content, style) in chosen:
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        # Content at the benchmark size (both tools then work at the same pixel count); style as it is.
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        content.save(folder / "content.png")
        style.save(folder / "style.png")
        runs += bench_pair(name, folder / "content.png", folder / "style.png", args, ruler)
    print_table(runs)
    reference = args.pastiche_steps[1] if len(args.pastiche_steps) > 1 else args.pastiche_steps[0]
    ratios(runs, reference)
    if not args.no_study:
        content, style = chosen[0][1]
        optimiser_study(content, style, args, ruler)
    if args.sheet:
        contact_sheet(runs, args.sheet)


if __name__ == "__main__":
    main()
