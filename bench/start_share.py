"""Where a painting starts: the photo recoloured all the way, or no further than a share of the goal.

    python -m bench.start_share [--side 256] [--brush coarse] [--shares 1,0.5] [--pairs ...]
        [--sheet docs/start.jpg]

engine/start.py caps the coarsest scale's start, the photo in the style's colours, at a share of
the strength's style progress (`StyleParams.colour_start_share`). This paints each pair at the
three offered strengths under each share (one stylize_many call per pair and share) and prints
figures the engine does not optimise:
- progress: 1 − style_err / the photo's on the yardstick of the style loss (`--style-loss`; every
  layer and position, float32);
- content: the yardstick's content error (lower keeps more of the photo);
- texture: the painting's texture-band energy over the style picture's (engine.looks; a painting
  made by smoothing the photo has less of it, one with the style's grain more);
- ΔE: the mean colour difference per pixel against the photo, and against the strength before
  (about 2.3 is just noticeable);
- CPU seconds per picture (this process's CPU time).
A pair on which the cap does not bind paints the same pictures under every share ("same").
The benchmark pairs and bench.losses' four with skimage's textures (brick, grass, retina).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from bench.ladder import cpu_params
from bench.losses import more_pairs
from bench.pictures import pairs
from bench.sheets import grid
from engine.calibration import BANDS
from engine.looks import colour_difference, texture_energy
from engine.params import BRUSH_SCALE
from engine.transfer import ALL_LAYERS, stylize_many
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import OFFERED_STRENGTHS, Brush, Strength, StyleLoss


@dataclass
class Painting:
    pair: str
    share: float
    strength: Strength
    image: Image.Image
    seconds: float
    progress: float
    content: float
    texture: float
    delta: float  # ΔE against the photo
    step: float  # ΔE against the strength before (the photo for the first)


def paint(
    name: str,
    content: Image.Image,
    style: Image.Image,
    share: float,
    *,
    net: FeatureNet,
    ruler: FeatureNet,
    side: int,
    brush: Brush,
    style_loss: StyleLoss,
) -> list[Painting]:
    params = replace(cpu_params(side), brush=brush, colour_start_share=share, style_loss=style_loss)
    started = time.process_time()
    results = stylize_many(content, style, net=net, params=params, strengths=list(OFFERED_STRENGTHS))
    seconds = (time.process_time() - started) / len(results)
    scale = BRUSH_SCALE[brush]
    photo = measure(ruler, content, content, style, style_scale=scale, style_loss=style_loss).style
    style_energy = texture_energy(style.resize(content.size, Image.Resampling.LANCZOS))
    out: list[Painting] = []
    for result in results:
        errors = measure(ruler, result.image, content, style, style_scale=scale, style_loss=style_loss)
        out.append(
            Painting(
                name,
                share,
                Strength(str(result.strength)),
                result.image,
                seconds,
                1 - errors.style / photo,
                errors.content,
                texture_energy(result.image) / max(style_energy, 1e-9),
                colour_difference(result.image, content),
                colour_difference(result.image, out[-1].image if out else content),
            )
        )
    return out


FIELDS = (("progress", ".2f"), ("content", ".3f"), ("texture", ".2f"), ("delta", ".1f"), ("step", ".1f"))


def print_table(paintings: list[Painting], shares: list[float]) -> None:
    print(f"\nPer pair and strength, each cell share {' | '.join(map(str, shares))}:")
    print("| pair | strength | progress | content_err | texture / style's | ΔE to photo | ΔE to the last |")
    print("|---|---|---:|---:|---:|---:|---:|")
    keyed = {(p.pair, p.strength, p.share): p for p in paintings}
    names = list(dict.fromkeys(p.pair for p in paintings))
    changed = [pair for pair in names if not all_same(keyed, pair, shares)]
    for pair in names:
        if pair not in changed:
            print(f"| {pair} | all | same pictures under every share | | | | |")
            continue
        for strength in OFFERED_STRENGTHS:
            row = [keyed[pair, strength, share] for share in shares]
            cells = [" \\| ".join(f"{getattr(p, field):{form}}" for p in row) for field, form in FIELDS]
            print(f"| {pair} | {strength} | {' | '.join(cells)} |")
    print(
        "\n| share | pairs changed | outside the band | texture / style's (median of changed) | "
        "CPU s per picture |"
    )
    print("|---:|---:|---|---:|---:|")
    for share in shares:
        mine = [p for p in paintings if p.share == share]
        outside = [
            f"{p.pair} {p.strength} {p.progress:.2f}"
            for p in mine
            if not BANDS[p.strength][0] <= p.progress <= BANDS[p.strength][1]
        ]
        texture = [p.texture for p in mine if p.pair in changed]
        print(
            f"| {share} | {len(changed)} | {', '.join(outside) or 'none'} | "
            f"{statistics.median(texture) if texture else float('nan'):.2f} | "
            f"{statistics.median(p.seconds for p in mine):.1f} |"
        )


def same(keyed: dict[tuple[str, Strength, float], Painting], pair: str, share: float, other: float) -> bool:
    return all(
        np.array_equal(np.asarray(keyed[pair, s, share].image), np.asarray(keyed[pair, s, other].image))
        for s in OFFERED_STRENGTHS
    )


def all_same(keyed: dict[tuple[str, Strength, float], Painting], pair: str, shares: list[float]) -> bool:
    return all(same(keyed, pair, share, shares[0]) for share in shares)


def sheet(
    paintings: list[Painting],
    originals: dict[str, tuple[Image.Image, Image.Image]],
    shares: list[float],
    path: Path,
) -> None:
    """One row per pair the cap changed: photo, style, then light, medium, strong under each share."""
    keyed = {(p.pair, p.strength, p.share): p for p in paintings}
    heads = ["photo", "style"] + [f"share {share} {s}" for share in shares for s in OFFERED_STRENGTHS]
    rows = []
    for pair in (pair for pair in originals if not all_same(keyed, pair, shares)):
        photo, style = originals[pair]
        painted = [keyed[pair, s, share] for share in shares for s in OFFERED_STRENGTHS]
        rows.append(
            [(photo, pair), (style, "")]
            + [(p.image, f"p {p.progress:.2f} tex {p.texture:.2f}") for p in painted]
        )
    grid(heads, rows, path, tile=160)
    print(f"\nsheet: {path} (the pairs the cap changed)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--brush", type=Brush, choices=list(Brush), default=Brush.MEDIUM)
    parser.add_argument(
        "--style-loss",
        type=StyleLoss,
        choices=list(StyleLoss),
        default=StyleLoss.GRAM,
        help="and its yardstick",
    )
    parser.add_argument("--shares", default="1,0.5", help="comma-separated colour start shares")
    parser.add_argument("--pairs", help="comma-separated pair names (default: all fourteen)")
    parser.add_argument("--sheet", type=Path, help="write a side-by-side sheet (JPEG) here")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    shares = [float(s) for s in args.shares.split(",")]
    chosen = pairs() | more_pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    started = time.perf_counter()
    paintings: list[Painting] = []
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        for share in shares:
            paintings += paint(
                name,
                content,
                style,
                share,
                net=net,
                ruler=ruler,
                side=args.side,
                brush=args.brush,
                style_loss=args.style_loss,
            )
        print(f"  {name} done", flush=True)
    print(
        f"{args.side} px, brush {args.brush}, {args.style_loss} loss, {cpu_params(args.side).precision}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print_table(paintings, shares)
    if args.sheet:
        sheet(paintings, chosen, shares, args.sheet)


if __name__ == "__main__":
    main()
