"""The Gram loss against the sliced Wasserstein loss, on the benchmark pairs and four more.

    python -m bench.losses [--side 128] [--pairs cat+strokes,...] [--sheet docs/losses.jpg]

Each pair at the three offered strengths with each loss (one stylize_many call per pair and loss),
then figures that neither loss optimises alone:
- content: the yardstick's content error (block4_conv2, lower keeps more of the photo);
- palette: the colour distance to the style picture, the mean over L*, a*, b* of the 1-D
  Wasserstein distance between the two pictures' distributions of that channel (ΔE units);
- texture: the painting's texture-band energy over the style picture's (1 = as much fine
  detail as the style has; engine.looks);
- each loss's own progress under the other's yardstick: gram@sliced is the Gram painting's progress
  on the sliced yardstick, sliced@gram the sliced painting's on the Gram one;
- CPU seconds per picture (this process's CPU time: other work on the machine does not count).
The sheet: one row per pair, the photo and the style, then light, medium, strong with Gram, and the
same with sliced.
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
from skimage import data as skdata

from bench.ladder import cpu_params
from bench.pictures import pairs
from bench.sheets import grid
from engine.looks import lab, texture_energy
from engine.transfer import ALL_LAYERS, stylize_many
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import OFFERED_STRENGTHS, StyleLoss


def _grey(array: np.ndarray) -> Image.Image:
    return Image.fromarray(array).convert("RGB")


def more_pairs() -> dict[str, tuple[Image.Image, Image.Image]]:
    """Four pairs beyond the benchmark's, with skimage's textures as styles."""
    cat, astronaut = Image.fromarray(skdata.chelsea()), Image.fromarray(skdata.astronaut())
    return {
        "cat+brick": (cat, _grey(skdata.brick())),
        "coins-grey+grass": (_grey(skdata.coins()), _grey(skdata.grass())),
        "clock-grey+retina": (
            _grey(skdata.clock()),
            Image.fromarray(skdata.retina()).crop((300, 300, 1100, 1100)),
        ),
        "astronaut+brick": (astronaut.crop((0, 0, 512, 340)), _grey(skdata.brick())),
    }


def palette_distance(a: Image.Image, b: Image.Image, quantiles: int = 256) -> float:
    """Mean over L*, a*, b* of the 1-D Wasserstein distance between the pictures' channel values."""
    levels = (np.arange(quantiles) + 0.5) / quantiles
    first, second = lab(a).reshape(-1, 3), lab(b).reshape(-1, 3)
    return float(
        np.mean(
            [
                np.abs(np.quantile(first[:, c], levels) - np.quantile(second[:, c], levels)).mean()
                for c in range(3)
            ]
        )
    )


@dataclass
class Painting:
    pair: str
    loss: StyleLoss
    strength: str
    image: Image.Image
    seconds: float  # CPU seconds per picture
    content: float
    gram_progress: float
    sliced_progress: float
    palette: float
    texture: float


def paint(
    name: str,
    content: Image.Image,
    style: Image.Image,
    loss: StyleLoss,
    *,
    net: FeatureNet,
    ruler: FeatureNet,
    side: int,
    steps: int | None,
) -> list[Painting]:
    params = replace(cpu_params(side, steps), style_loss=loss)
    started = time.process_time()
    results = stylize_many(content, style, net=net, params=params, strengths=list(OFFERED_STRENGTHS))
    seconds = (time.process_time() - started) / len(results)
    photo = {k: measure(ruler, content, content, style, style_loss=k).style for k in StyleLoss}
    style_energy = texture_energy(style.resize(content.size, Image.Resampling.LANCZOS))
    out = []
    for result in results:
        gram = measure(ruler, result.image, content, style)
        sliced = measure(ruler, result.image, content, style, style_loss=StyleLoss.SLICED)
        out.append(
            Painting(
                name,
                loss,
                str(result.strength),
                result.image,
                seconds,
                gram.content,
                1 - gram.style / photo[StyleLoss.GRAM],
                1 - sliced.style / photo[StyleLoss.SLICED],
                palette_distance(result.image, style),
                texture_energy(result.image) / max(style_energy, 1e-9),
            )
        )
    return out


def print_table(paintings: list[Painting]) -> None:
    print("\nPer pair and strength, each cell Gram | sliced:")
    print(
        "| pair | strength | content_err | palette ΔE | texture / style's | progress on gram | "
        "progress on sliced |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    keyed = {(p.pair, p.strength, p.loss): p for p in paintings}
    for pair in dict.fromkeys(p.pair for p in paintings):
        for strength in OFFERED_STRENGTHS:
            g, s = keyed[pair, strength, StyleLoss.GRAM], keyed[pair, strength, StyleLoss.SLICED]
            print(
                f"| {pair} | {strength} | {g.content:.3f} \\| {s.content:.3f} | "
                f"{g.palette:.1f} \\| {s.palette:.1f} | {g.texture:.2f} \\| {s.texture:.2f} | "
                f"{g.gram_progress:.2f} \\| {s.gram_progress:.2f} | "
                f"{g.sliced_progress:.2f} \\| {s.sliced_progress:.2f} |"
            )
    print(
        "\n| loss | content_err (median) | palette ΔE (median) | texture / style's (median) | "
        "CPU s per picture |"
    )
    print("|---|---:|---:|---:|---:|")
    seconds = {}
    for loss in StyleLoss:
        mine = [p for p in paintings if p.loss == loss]
        seconds[loss] = statistics.median(p.seconds for p in mine)
        print(
            f"| {loss} | {statistics.median(p.content for p in mine):.3f} | "
            f"{statistics.median(p.palette for p in mine):.1f} | "
            f"{statistics.median(p.texture for p in mine):.2f} | {seconds[loss]:.1f} |"
        )
    wins = {"content": 0, "palette": 0}
    keys = {(p.pair, p.strength) for p in paintings}
    for key in keys:
        g, s = keyed[(*key, StyleLoss.GRAM)], keyed[(*key, StyleLoss.SLICED)]
        wins["content"] += s.content < g.content
        wins["palette"] += s.palette < g.palette
    print(
        f"\nsliced lower than Gram in {wins['content']} of {len(keys)} cases on content_err, "
        f"{wins['palette']} on palette ΔE; time sliced / Gram: "
        f"{seconds[StyleLoss.SLICED] / seconds[StyleLoss.GRAM]:.2f}×"
    )


def sheet(
    paintings: list[Painting], originals: dict[str, tuple[Image.Image, Image.Image]], path: Path
) -> None:
    heads = (
        ["photo", "style"]
        + [f"gram {s}" for s in OFFERED_STRENGTHS]
        + [f"sliced {s}" for s in OFFERED_STRENGTHS]
    )
    rows = []
    for pair in dict.fromkeys(p.pair for p in paintings):
        mine = [p for p in paintings if p.pair == pair]
        ordered = [p for loss in StyleLoss for p in mine if p.loss == loss]
        photo, style = originals[pair]
        rows.append(
            [(photo, pair), (style, "")]
            + [(p.image, f"c {p.content:.2f} pal {p.palette:.0f}") for p in ordered]
        )
    grid(heads, rows, path, tile=128)
    print(f"\nsheet: {path} (each row: photo, style, Gram light/medium/strong, sliced light/medium/strong)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=128)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--sheet", type=Path, help="write the side-by-side sheet (JPEG) here")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    chosen = {**pairs(), **more_pairs()}
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    print(f"{args.side} px, {cpu_params(args.side, args.steps).steps} steps, {len(chosen)} pairs")
    paintings: list[Painting] = []
    originals = {}
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        originals[name] = (content, style)
        for loss in StyleLoss:
            paintings += paint(
                name, content, style, loss, net=net, ruler=ruler, side=args.side, steps=args.steps
            )
        done = [p for p in paintings if p.pair == name]
        print(f"  {name}: " + ", ".join(f"{p.loss} {p.strength} {p.seconds:.1f} s" for p in done), flush=True)
    print_table(paintings)
    if args.sheet:
        sheet(paintings, originals, args.sheet)


if __name__ == "__main__":
    main()
