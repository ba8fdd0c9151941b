"""The brush sizes on every benchmark pair: the texture scale of fine, medium and coarse.

    python -m bench.brushes [--side 256] [--strength strong] [--pairs cat+strokes,...] [--sheet PATH]
    python -m bench.brushes --side 256 --compare today,narrow [--sheet PATH]   # fine and coarse under each
    python -m bench.brushes --remeasure FOLDER   # a --save folder's pictures, under each measure

Two texture scales, in px, neither of which the engine optimises: engine.looks.detail_wavelength,
the correlation length of the stylised detail (the painting's lightness less a cubic fit of the
photo's colour and of its blurs, then a local fit of the photo's edges, so that the photo's own
shapes, the same at every brush, softened or not, do not dilute it, chosen in bench.edge_truth;
the lag at which its autocorrelation falls to 1/e, chosen on pictures of known stroke size in
bench.stroke_truth), and engine.looks.texture_wavelength of the whole painting (2π · the mean
deviation of lightness over its mean gradient). Prints, per pair, each brush's scales and
coarse / fine on both (the goal is at least 1.5× on the detail's), with the style progress on the
yardstick beside them; the summary adds the detail's ratio under the earlier measure, the
centroid of its power spectrum (engine.looks.spectral_wavelength). `--remeasure` reads a --save
folder under the correlation length, that of the global fit alone, that of the earlier fit of
the photo's colour alone (which the painting's softened edges fool), the centroid of that fit,
and the centroid of the fit of the photo's lightness alone (which the engine's colour map alone
could fool). The strength bands at
each brush are bench.ladder's (`python -m bench.ladder --brush coarse`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from bench.ladder import cpu_params
from bench.pictures import pairs
from engine.looks import (
    Prediction,
    correlation_length,
    spectral_wavelength,
    stylised_detail,
    texture_wavelength,
)
from engine.params import BRUSH_SCALE, STYLE_LAYER_WEIGHTS, StyleParams
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, texture_progress, yardstick_net
from stylebot.choices import Brush, Strength

GOAL = 1.5


@dataclass(frozen=True)
class Mapping:
    """What makes a brush: the style picture's scale and the style layers' weights at fine and
    coarse (block1_conv1 … block5_conv1); medium is the engine's."""

    fine: tuple[float, tuple[float, ...]]
    coarse: tuple[float, tuple[float, ...]]
    texture_weight: float = 0.0  # StyleParams.texture_weight at both brushes

    def apply(self) -> None:
        """Sets the engine's brush tables (stylize reads the module's dicts)."""
        for brush, (scale, weights) in ((Brush.FINE, self.fine), (Brush.COARSE, self.coarse)):
            BRUSH_SCALE[brush], STYLE_LAYER_WEIGHTS[brush] = scale, weights

    def brush(self, brush: Brush) -> tuple[float, tuple[float, ...], float]:
        """What paints at `brush`: two mappings that agree here paint the same picture."""
        scale, weights = self.fine if brush is Brush.FINE else self.coarse
        return scale, weights, self.texture_weight


def today() -> Mapping:
    return Mapping(
        (BRUSH_SCALE[Brush.FINE], STYLE_LAYER_WEIGHTS[Brush.FINE]),
        (BRUSH_SCALE[Brush.COARSE], STYLE_LAYER_WEIGHTS[Brush.COARSE]),
    )


ALIKE = (1.0, 1.0, 1.0, 1.0, 1.0)
# The mappings --compare may set beside today's (engine.params' tables, "today").
CANDIDATES: dict[str, Mapping] = {
    "narrow": Mapping((0.5, ALIKE), (2.0, ALIKE)),  # the mapping before 2026-12-04
    "wide": Mapping((0.42, ALIKE), (2.8, ALIKE)),
    "tilted": Mapping((0.5, (2.0, 2.0, 1.0, 0.5, 0.25)), (2.0, (0.25, 0.5, 1.0, 2.0, 2.0))),
    "deep": Mapping((0.5, (1.0, 1.0, 1.0, 0.0, 0.0)), (2.0, (0.0, 0.0, 1.0, 1.0, 1.0))),
    "deep-wide": Mapping((0.5, (1.0, 1.0, 1.0, 0.0, 0.0)), (2.8, (0.0, 0.0, 1.0, 1.0, 1.0))),
    "deeper": Mapping((0.5, (1.0, 1.0, 0.5, 0.0, 0.0)), (2.0, (0.0, 0.0, 0.5, 1.0, 1.0))),
    "coarse4": Mapping((0.42, ALIKE), (4.0, ALIKE)),  # coarse's style picture 4 and 6 times the side
    "coarse6": Mapping((0.42, ALIKE), (6.0, ALIKE)),
    "texture": Mapping((0.42, ALIKE), (2.8, ALIKE), texture_weight=1.0),  # today's with the texture term
}


@dataclass(frozen=True)
class Painted:
    detail: float  # engine.looks.detail_wavelength (the correlation length), px
    centroid: float  # the stylised detail's spectral centroid (the measure before 2026-12-04), px
    size: float  # the stylised detail's rms, L* units: how much there is to measure the scale of
    whole: float  # engine.looks.texture_wavelength, px
    progress: float  # style progress on the yardstick, the style picture at the brush's scale
    texture: float  # progress on the channels' correlations (engine.yardstick.texture_progress)
    image: Image.Image

    def cell(self) -> str:
        scales = f"{self.detail:.1f} [{self.size:.1f}] / {self.whole:.1f}"
        return f"{scales} ({self.progress:.2f} · {self.texture:.2f})"


def paint(
    content: Image.Image,
    style: Image.Image,
    brush: Brush,
    net: FeatureNet,
    ruler: FeatureNet,
    params: StyleParams,
) -> Painted:
    scale = BRUSH_SCALE[brush]
    photo = measure(ruler, content, content, style, style_scale=scale)
    image = stylize(content, style, net=net, params=replace(params, brush=brush)).image
    after = measure(ruler, image, content, style, style_scale=scale)
    added = stylised_detail(image, content)
    return Painted(
        correlation_length(added),
        spectral_wavelength(added),
        float(added.std()),
        texture_wavelength(image),
        1 - after.style / photo.style,
        texture_progress(ruler, image, content, style, style_scale=scale),
        image,
    )


def summary(label: str, detail: list[float], whole: list[float]) -> str:
    return (
        f"{label}coarse / fine on the detail: median {statistics.median(detail):.2f}×, lowest "
        f"{min(detail):.2f}×, {sum(1 for r in detail if r >= GOAL)} of {len(detail)} pairs >= {GOAL}×; "
        f"on the whole painting: median {statistics.median(whole):.2f}×, lowest {min(whole):.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--strength", type=Strength, default=Strength.STRONG)
    parser.add_argument("--pairs", help="comma-separated pair names (default: all)")
    parser.add_argument("--sheet", type=Path, help="write a contact sheet (JPEG) here (all brushes)")
    parser.add_argument("--save", type=Path, help="save each photo and painting (PNG) in this folder")
    parser.add_argument(
        "--fine-coarse", action="store_true", help="paint fine and coarse only (two thirds of the time)"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--remeasure",
        type=Path,
        help="measure the pictures a --save run left in this folder (paints nothing): the detail's "
        "scale fitted on the photo's colour and on its lightness alone, side by side",
    )
    parser.add_argument(
        "--compare",
        help=f"comma-separated mappings: today (the engine's) and any of {', '.join(CANDIDATES)}; "
        "prints fine and coarse under each side by side in one run",
    )
    args = parser.parse_args()
    if args.remeasure:
        remeasure(args.remeasure)
        return
    torch.set_num_threads(args.threads)
    chosen = pairs()
    if args.pairs:
        chosen = {name: chosen[name] for name in args.pairs.split(",")}
    params = replace(cpu_params(args.side, args.steps), strength=args.strength)
    print(f"{args.side} px, {params.steps} steps, {params.precision}, strength {args.strength}")
    if args.compare:
        compare(args, chosen, params)
    else:
        brushes(args, chosen, params)


def brushes(
    args: argparse.Namespace, chosen: dict[str, tuple[Image.Image, Image.Image]], params: StyleParams
) -> None:
    """Fine, medium and coarse under today's mapping, pair by pair."""
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    started = time.perf_counter()
    print(
        "\nTexture scale in px, the stylised detail's [its rms in L* units] / the whole painting's "
        "(style progress on the yardstick · texture progress, engine.yardstick.texture_progress):"
    )
    shown = [Brush.FINE, Brush.COARSE] if args.fine_coarse and not args.sheet else list(Brush)
    print(f"| pair | photo | {' | '.join(shown)} | coarse / fine | on the centroid |")
    print("|---|---:|" + "---:|" * (len(shown) + 2))
    detail: list[float] = []
    centroid: list[float] = []
    whole: list[float] = []
    rows: dict[str, list[Image.Image]] = {}
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        painted = {brush: paint(content, style, brush, net, ruler, params) for brush in shown}
        fine, coarse = painted[Brush.FINE], painted[Brush.COARSE]
        detail.append(coarse.detail / fine.detail)
        centroid.append(coarse.centroid / fine.centroid)
        whole.append(coarse.whole / fine.whole)
        rows[name] = [content] + [p.image for p in painted.values()]
        if args.save:
            save(args.save, name, {"photo": content} | {brush: p.image for brush, p in painted.items()})
        cells = " | ".join(p.cell() for p in painted.values())
        print(
            f"| {name} | {texture_wavelength(content):.1f} | {cells} | "
            f"{detail[-1]:.2f}× / {whole[-1]:.2f}× | {centroid[-1]:.2f}× |",
            flush=True,
        )
    print("\n" + summary("", detail, whole) + f"; {time.perf_counter() - started:.0f} s")
    print(
        f"the detail under the spectral centroid: median {statistics.median(centroid):.2f}×, lowest "
        f"{min(centroid):.2f}×, {sum(1 for r in centroid if r >= GOAL)} of {len(centroid)} pairs >= {GOAL}×"
    )
    if args.sheet:
        sheet(rows, args.sheet)


def compare(
    args: argparse.Namespace, chosen: dict[str, tuple[Image.Image, Image.Image]], params: StyleParams
) -> None:
    """Fine and coarse under each of `args.compare`'s mappings, pair by pair."""
    net, ruler = FeatureNet(ALL_LAYERS), yardstick_net()
    known = CANDIDATES | {"today": today()}
    mappings = {key: known[key] for key in args.compare.split(",")}
    started = time.perf_counter()
    for key, mapping in mappings.items():
        print(f"{key}: fine {mapping.fine}, coarse {mapping.coarse}, texture weight {mapping.texture_weight}")
    print(
        "Texture scale in px, the stylised detail's [its rms in L* units] / the whole painting's "
        "(style progress · texture progress); ratio: coarse / fine"
    )
    columns = " | ".join(f"fine {key} | coarse {key} | ratio" for key in mappings)
    print(f"| pair | {columns} |")
    print("|---|" + "---:|" * 3 * len(mappings))
    detail: dict[str, list[float]] = {key: [] for key in mappings}
    whole: dict[str, list[float]] = {key: [] for key in mappings}
    original = today()
    rows: dict[str, list[Image.Image]] = {}
    titles: tuple[str, ...] = ()
    for name, (content, style) in chosen.items():
        content.thumbnail((args.side, args.side), Image.Resampling.LANCZOS)
        cells = []
        # a brush two mappings share is painted once, titled by the first
        done: dict[tuple[Brush, tuple[float, tuple[float, ...], float]], tuple[str, Painted]] = {}
        for key, mapping in mappings.items():
            mapping.apply()
            painting = replace(params, texture_weight=mapping.texture_weight)
            for brush in (Brush.FINE, Brush.COARSE):
                if (brush, mapping.brush(brush)) not in done:
                    painted = paint(content, style, brush, net, ruler, painting)
                    done[brush, mapping.brush(brush)] = f"{brush} {key}", painted
            fine, coarse = (done[brush, mapping.brush(brush)][1] for brush in (Brush.FINE, Brush.COARSE))
            detail[key].append(coarse.detail / fine.detail)
            whole[key].append(coarse.whole / fine.whole)
            cells += [fine.cell(), coarse.cell(), f"{detail[key][-1]:.2f}× / {whole[key][-1]:.2f}×"]
        original.apply()
        rows[name] = [content] + [painted.image for _, painted in done.values()]
        titles = ("photo", *(title for title, _ in done.values()))
        if args.save:
            save(
                args.save, name, {"photo": content} | {t.replace(" ", "_"): p.image for t, p in done.values()}
            )
        print(f"| {name} | {' | '.join(cells)} |", flush=True)
    for key in mappings:
        print(summary(f"{key}: ", detail[key], whole[key]))
    print(f"{time.perf_counter() - started:.0f} s")
    if args.sheet:
        sheet(rows, args.sheet, titles)


# What --remeasure reads the stylised detail with: (the fit, the measure).
READINGS: dict[str, tuple[Prediction, Callable[[np.ndarray], float]]] = {
    "correlation length": ("local edges", correlation_length),
    "correlation length, global fit": ("colour and blurs", correlation_length),
    "correlation length, colour fit": ("colour", correlation_length),
    "centroid, colour fit": ("colour", spectral_wavelength),
    "centroid, L fit": ("lightness", spectral_wavelength),
}


def remeasure(folder: Path) -> None:
    """The detail's scale of each saved pair's fine and coarse paintings under each of READINGS,
    and the detail's size (rms, L* units): a scale read off a detail the size of the photo's
    residue under a colour change says little."""
    print(
        "Stylised detail, fitted on the photo's colour and its blurs, then its edges locally (the "
        "global fit: without the local step; the colour fit: on its colour alone, the fit before "
        "2026-12-04 late evening; the L fit: on its lightness alone, before that): scale in px "
        "(rms in L* units)"
    )
    titles = " | ".join(f"fine, {key} | coarse, {key} | coarse / fine, {key}" for key in READINGS)
    print(f"| pair | {titles} |")
    print("|---|" + "---:|" * 3 * len(READINGS))
    ratios: dict[str, list[float]] = {key: [] for key in READINGS}
    for photo_path in sorted(folder.glob("*_photo.png")):
        pair = photo_path.name.removesuffix("_photo.png")
        photo = Image.open(photo_path)
        cells = []
        for key, (fit, scale_of) in READINGS.items():
            scales = []
            for brush in (Brush.FINE, Brush.COARSE):
                painting = Image.open(folder / f"{pair}_{brush}.png")
                added = stylised_detail(painting, photo, fit)
                scales.append(scale_of(added))
                cells.append(f"{scales[-1]:.1f} ({added.std():.1f})")
            ratios[key].append(scales[1] / scales[0])
            cells.append(f"{ratios[key][-1]:.2f}×")
        print(f"| {pair} | {' | '.join(cells)} |")
    for key, values in ratios.items():
        print(
            f"{key}: coarse / fine median {statistics.median(values):.2f}×, lowest {min(values):.2f}×, "
            f"{sum(1 for r in values if r >= GOAL)} of {len(values)} pairs >= {GOAL}×"
        )


def save(folder: Path, pair: str, pictures: dict[str, Image.Image]) -> None:
    """PAIR_NAME.png for each picture, so that other measures can be tried without painting again."""
    folder.mkdir(parents=True, exist_ok=True)
    for label, picture in pictures.items():
        picture.save(folder / f"{pair}_{label}.png")


def sheet(
    rows: dict[str, list[Image.Image]],
    path: Path,
    titles: tuple[str, ...] = ("photo", "fine", "medium", "coarse"),
    tile: int = 192,
) -> None:
    """One row per pair, named on the left: the photo, then fine, medium and coarse (or `titles`),
    each enlarged to fill its tile (the benchmark paints small pictures), under a row of labels."""
    label, header = 190, 28
    picture = Image.new("RGB", (label + len(titles) * tile, header + len(rows) * tile), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=18)
    for x, title in enumerate(titles):
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
    print(f"sheet: {path} (each row: {', '.join(titles)})")


if __name__ == "__main__":
    main()
