"""`python -m engine stylize …` (try the engine without Telegram) and `python -m engine worker`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from stylebot.settings import Settings

log = logging.getLogger("engine")


def _strength(value: str) -> str | float:
    try:
        return float(value)
    except ValueError:
        return value


def build_parser() -> argparse.ArgumentParser:
    from engine.transfer import DEFAULT_STRENGTH, STRENGTHS, StyleParams

    defaults = StyleParams()
    parser = argparse.ArgumentParser(prog="python -m engine", description="stylebot's style-transfer engine")
    commands = parser.add_subparsers(dest="command", required=True)

    stylize = commands.add_parser("stylize", help="paint CONTENT in the style of STYLE")
    stylize.add_argument("content", type=Path)
    stylize.add_argument("style", type=Path)
    stylize.add_argument("-o", "--output", type=Path, required=True, help="JPEG, or PNG by extension")
    stylize.add_argument(
        "--strength",
        type=_strength,
        default=DEFAULT_STRENGTH,
        help=f"{', '.join(STRENGTHS)}, or a style weight (default: {DEFAULT_STRENGTH})",
    )
    stylize.add_argument("--max-side", type=int, help="long side of the output (default: ENGINE_MAX_SIDE)")
    stylize.add_argument(
        "--steps", type=int, help="L-BFGS iterations over all scales (default: ENGINE_STEPS)"
    )
    stylize.add_argument("--device", help="auto, cpu, cuda or cuda:N (default: ENGINE_DEVICE)")
    stylize.add_argument("--keep-colors", action="store_true", help="keep the content photo's colours")
    stylize.add_argument("--seed", type=int, default=defaults.seed)

    worker = commands.add_parser("worker", help="take jobs from the database queue until stopped")
    worker.add_argument("--device", help="auto, cpu, cuda or cuda:N (default: ENGINE_DEVICE)")
    worker.add_argument("--concurrency", type=int, default=1, help="jobs at once on this device")
    worker.add_argument("--name", help="worker name in the database (default: host:pid)")
    return parser


def _stylize(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from engine.device import configure, default_budget, resolve_device
    from engine.transfer import ALL_LAYERS, StyleParams, stylize
    from engine.vgg import load_feature_net
    from stylebot.images import BadImage, decode_rgb, encode

    try:
        content = decode_rgb(args.content.read_bytes(), max_pixels=settings.image_max_pixels)
        style = decode_rgb(args.style.read_bytes(), max_pixels=settings.image_max_pixels)
    except (OSError, BadImage) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    device = resolve_device(args.device or settings.engine_device)
    configure(device)
    budget = default_budget(device)
    params = StyleParams(
        strength=args.strength,
        max_side=args.max_side or settings.engine_max_side or budget.max_side,
        steps=args.steps or settings.engine_steps or budget.steps,
        keep_colors=args.keep_colors,
        seed=args.seed,
    )
    params.style_weight()  # refuses an unknown strength before the model loads
    net = load_feature_net(ALL_LAYERS, weights=settings.engine_weights, device=device)
    with tqdm(total=100, unit="%", bar_format="{l_bar}{bar}| {elapsed}<{remaining}") as bar:

        def progress(fraction: float) -> None:
            bar.update(round(fraction * 100) - bar.n)

        result = stylize(content, style, net=net, params=params, progress=progress)
    fmt = "PNG" if args.output.suffix.lower() == ".png" else "JPEG"
    args.output.write_bytes(encode(result.image, fmt))
    print(
        f"{args.output}: {result.image.width}x{result.image.height}, "
        f"{result.seconds:.1f} s on {result.device}, strength {params.strength}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    from stylebot.logs import configure_logging

    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level if args.command == "worker" else "WARNING")
    if args.command == "stylize":
        try:
            return _stylize(args, settings)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    from engine.worker import run_worker

    run_worker(settings, name=args.name, device=args.device, concurrency=args.concurrency)
    return 0
