"""The brush sizes on every benchmark pair: the texture scale of fine, medium and coarse.

    python -m bench.brushes [--side 256] [--strength strong] [--pairs cat+strokes,...] [--sheet PATH]
    python -m bench.brushes --side 128 --compare 0.42,1,2.8   # fine and coarse, today beside these

The texture scale is engine.looks.texture_wavelength (2π · the mean deviation of lightness over
its mean gradient, in px: a sine grating's wavelength), a measure the engine never optimises.
Prints, per pair, the photo's scale, each brush's, and coarse / fine (the goal is at least 1.5×),
with the style progress on the yardstick beside it. The strength bands at each brush are
bench.ladder's (`python -m bench.ladder --brush coarse`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

import torch
from PIL import Image, ImageDraw, ImageFont

from bench.ladder import cpu_params
from bench.pictures import pairs
from engine.looks import texture_wavelength
from engine.params import BRUSH_SCALE
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Brush, Strength

GOAL = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--strength", type=Strength, default=Strength.STRONG)
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--sheet", type=Path, help="write a contact sheet (JPEG) here")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--compare",
        help="brush scales to set beside today's, as fine,medium,coarse (e.g. 0.35,1,2.8): "
        "prints fine and coarse under both mappings side by side in one run",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.compare:
        compare(args)
        return
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    chosen = pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    params = replace(cpu_params(args.side, args.steps), strength=args.strength)
    started = time.perf_counter()
    print(f"{args.side} px, {params.steps} steps, {params.precision}, strength {args.strength}")
    print("\nTexture scale in px (style progress on the yardstick):")
    print("| pair | photo | fine | medium | coarse | coarse / fine |")
    print("|---|---:|---:|---:|---:|---:|")
    ratios: list[float] = []
    rows: dict[str, list[Image.Image]] = {}
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        cells, scales, pictures = [], {}, [content]
        for brush in Brush:
            # Progress on the yardstick with the style picture at the brush's scale (what it aims at).
            scale = BRUSH_SCALE[brush]
            photo = measure(ruler, content, content, style, style_scale=scale)
            result = stylize(content, style, net=net, params=replace(params, brush=brush))
            progress = 1 - measure(ruler, result.image, content, style, style_scale=scale).style / photo.style
            scales[brush] = texture_wavelength(result.image)
            cells.append(f"{scales[brush]:.1f} ({progress:.2f})")
            pictures.append(result.image)
        ratio = scales[Brush.COARSE] / scales[Brush.FINE]
        ratios.append(ratio)
        rows[name] = pictures
        print(
            f"| {name} | {texture_wavelength(content):.1f} | {' | '.join(cells)} | {ratio:.2f}× |", flush=True
        )
    below = sum(1 for r in ratios if r < GOAL)
    print(
        f"\ncoarse / fine: median {statistics.median(ratios):.2f}×, lowest {min(ratios):.2f}×; "
        f"{below} of {len(ratios)} pairs below {GOAL}×; {time.perf_counter() - started:.0f} s"
    )
    if args.sheet:
        sheet(rows, args.sheet)


def compare(args: argparse.Namespace) -> None:
    """Fine and coarse under today's BRUSH_SCALE and under `args.compare`, pair by pair."""
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    chosen = pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    params = replace(cpu_params(args.side, args.steps), strength=args.strength)
    today = dict(BRUSH_SCALE)
    other = dict(zip(Brush, (float(x) for x in args.compare.split(",")), strict=True))
    mappings = {"today": today, "new": other}
    started = time.perf_counter()
    print(f"{args.side} px, {params.steps} steps, {params.precision}, strength {args.strength}")
    print(f"today {list(today.values())}, new {list(other.values())}; texture scale in px (progress)")
    print("| pair | photo | fine today | coarse today | ratio | fine new | coarse new | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios: dict[str, list[float]] = {key: [] for key in mappings}
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        cells = []
        for key, mapping in mappings.items():
            BRUSH_SCALE.update(mapping)  # stylize reads the module's dict
            scales = {}
            for brush in (Brush.FINE, Brush.COARSE):
                scale = mapping[brush]
                photo = measure(ruler, content, content, style, style_scale=scale)
                result = stylize(content, style, net=net, params=replace(params, brush=brush))
                after = measure(ruler, result.image, content, style, style_scale=scale)
                scales[brush] = texture_wavelength(result.image)
                cells.append(f"{scales[brush]:.1f} ({1 - after.style / photo.style:.2f})")
            ratios[key].append(scales[Brush.COARSE] / scales[Brush.FINE])
            cells.append(f"{ratios[key][-1]:.2f}×")
        BRUSH_SCALE.update(today)
        print(f"| {name} | {texture_wavelength(content):.1f} | {' | '.join(cells)} |", flush=True)
    for key, values in ratios.items():
        print(
            f"{key}: coarse / fine median {statistics.median(values):.2f}×, lowest {min(values):.2f}×; "
            f"{sum(1 for r in values if r >= GOAL)} of {len(values)} pairs >= {GOAL}×"
        )
    print(f"{time.perf_counter() - started:.0f} s")


def sheet(rows: dict[str, list[Image.Image]], path: Path, tile: int = 192) -> None:
    """One row per pair, named on the left: the photo, then fine, medium and coarse, each enlarged
    to fill its tile (the benchmark paints small pictures), under a row of column labels."""
    label, header = 190, 28
    picture = Image.new("RGB", (label + 4 * tile, header + len(rows) * tile), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=18)
    for x, title in enumerate(("photo", "fine", "medium", "coarse")):
        draw.text((label + x * tile + tile // 2, header // 2), title, fill="black", font=font, anchor="mm")
    for y, (name, row) in enumerate(rows.items()):
        top = header + y * tile
        draw.text((6, top + tile // 2), name.replace("+", "\n+ "), fill="black", font=font, anchor="lm")
        for x, image in enumerate(row):
            factor = (tile - 4) / max(image.size)
            size = (round(image.width * factor), round(image.height * factor))
            small = image.resize(size, Image.Resampling.LANCZOS)
            picture.paste(
                small, (label + x * tile + (tile - small.width) // 2, top + (tile - small.height) // 2)
            )
    picture.save(path, quality=85)
    print(f"sheet: {path} (each row: the photo, then fine, medium, coarse)")


if __name__ == "__main__":
    main()
