"""`python -m engine stylize …` (try the engine without Telegram) and `python -m engine worker`."""

from __future__ import annotations

import argparse
import enum
import logging
import sys
import time
from pathlib import Path
from typing import get_type_hints

from engine.params import BUDGETS, StyleParams, params_for, user_fields
from stylebot.choices import Size, Strength
from stylebot.settings import Settings

log = logging.getLogger("engine")


def _strength(value: str) -> Strength | float:
    """A preset's name, or a number between 0 and 1 taken as the style progress itself."""
    preset = Strength.parse(value)
    if preset is not None:
        return preset
    try:
        progress = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"one of {', '.join(Strength)}, or a number") from None
    if not 0 < progress < 1:
        raise argparse.ArgumentTypeError("a style progress is between 0 and 1")
    return progress


def _add_param_options(parser: argparse.ArgumentParser) -> None:
    """One option per StyleParams field a user may set, its default shown once (from engine.params)."""
    hints = get_type_hints(StyleParams)
    defaults = StyleParams()
    for spec in user_fields():
        flag = "--" + spec.name.replace("_", "-")
        kind = hints[spec.name]
        budget_key = spec.metadata.get("device_default")
        setting = spec.metadata.get("setting")
        if setting is not None:
            shown = f"{setting.upper()}, {getattr(defaults, spec.name)} when unset"
        elif budget_key is not None:
            per_device = ", ".join(f"{getattr(b, budget_key)} on {d}" for d, b in BUDGETS.items())
            shown = f"ENGINE_{spec.name.upper()} if set, else {per_device}"
        else:
            shown = str(getattr(defaults, spec.name))
        help_text = f"{spec.metadata['help']} (default: {shown})"
        if kind is bool:
            parser.add_argument(flag, action="store_true", default=None, help=help_text)
        elif spec.name == "strength":
            parser.add_argument(flag, type=_strength, metavar="STRENGTH", help=help_text)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            parser.add_argument(flag, type=kind, choices=list(kind), help=help_text)
        else:
            parser.add_argument(flag, type=kind, help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description="stylebot's style-transfer engine")
    commands = parser.add_subparsers(dest="command", required=True)

    stylize = commands.add_parser("stylize", help="paint CONTENT in the style of STYLE")
    stylize.add_argument("content", type=Path)
    stylize.add_argument("style", type=Path)
    stylize.add_argument("-o", "--output", type=Path, required=True, help="JPEG, or PNG by extension")
    large = ", ".join(f"{b.large_side} on {d}" for d, b in BUDGETS.items())
    stylize.add_argument(
        "--size",
        type=Size,
        choices=list(Size),
        default=Size.STANDARD,
        help=f"large: long side ENGINE_LARGE_SIDE if set, else {large}; --max-side overrides "
        "(default: %(default)s)",
    )
    _add_param_options(stylize)
    stylize.add_argument("--device", help="auto, cpu, cuda or cuda:N (default: ENGINE_DEVICE)")
    stylize.add_argument(
        "--timings", action="store_true", help="say where the time went (imports, model, each scale)"
    )

    worker = commands.add_parser("worker", help="take jobs from the database queue until stopped")
    worker.add_argument("--device", help="auto, cpu, cuda or cuda:N (default: ENGINE_DEVICE)")
    worker.add_argument("--concurrency", type=int, default=1, help="jobs at once on this device")
    worker.add_argument("--name", help="worker name in the database (default: host:pid)")
    worker.add_argument(
        "--health-port",
        type=int,
        help="serve /healthz, /readyz and /metrics on this port; 0 = off (default: WORKER_HEALTH_PORT)",
    )
    worker.add_argument("--health-listen", help="address for --health-port (default: METRICS_LISTEN)")
    return parser


def _stylize(args: argparse.Namespace, settings: Settings, started: float) -> int:
    from tqdm import tqdm

    from engine.device import configure, resolve_device
    from engine.transfer import ALL_LAYERS, stylize
    from engine.vgg import load_feature_net
    from stylebot.images import BadImage, decode_rgb, encode

    marks = [("imports", time.perf_counter())]

    try:
        content = decode_rgb(args.content.read_bytes(), max_pixels=settings.image_max_pixels)
        style = decode_rgb(args.style.read_bytes(), max_pixels=settings.image_max_pixels)
    except (OSError, BadImage) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    device = resolve_device(args.device or settings.engine_device)
    configure(device)
    params = params_for(device, args.size, settings, **{f.name: getattr(args, f.name) for f in user_fields()})
    marks.append(("pictures", time.perf_counter()))
    net = load_feature_net(ALL_LAYERS, weights=settings.engine_weights, device=device)
    marks.append(("model", time.perf_counter()))
    with tqdm(total=100, unit="%", bar_format="{l_bar}{bar}| {elapsed}<{remaining}") as bar:

        def progress(fraction: float) -> None:
            bar.update(round(fraction * 100) - bar.n)

        result = stylize(content, style, net=net, params=params, progress=progress)
    marks.append(("engine", time.perf_counter()))
    fmt = "PNG" if args.output.suffix.lower() == ".png" else "JPEG"
    args.output.write_bytes(encode(result.image, fmt))
    marks.append(("saved", time.perf_counter()))
    if args.timings:
        stages = [
            f"{name} {end - begin:.2f}"
            for (name, end), (_, begin) in zip(marks, [("", started), *marks[:-1]], strict=True)
        ]
        scales = " ".join(f"{s:.2f}" for s in result.scale_seconds)
        print(
            f"timings (s): {', '.join(stages)}; the engine's scales, coarse to fine: {scales}",
            file=sys.stderr,
        )
    print(
        f"{args.output}: {result.image.width}x{result.image.height}, "
        f"{result.seconds:.1f} s on {result.device}, strength {params.strength}"
        + (f" (made smaller: {result.smaller})" if result.smaller else "")
    )
    return 0


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """`started`: perf_counter() when the process began running our code (python -m engine)."""
    from stylebot.logs import configure_logging

    started = time.perf_counter() if started is None else started
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level if args.command == "worker" else "WARNING")
    if args.command == "stylize":
        try:
            return _stylize(args, settings, started)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    from engine.process import run_worker

    run_worker(
        settings,
        name=args.name,
        device=args.device,
        concurrency=args.concurrency,
        health_port=settings.worker_health_port if args.health_port is None else args.health_port,
        health_listen=args.health_listen,
    )
    return 0
