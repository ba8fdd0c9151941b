"""Where one evaluation of the loss goes: its time in each precision and layout, and by operation.

    python -m bench.profile [--side 256] [--rounds 9]

One evaluation is what L-BFGS asks for at every step: the network's forward pass, the Gram
matrices and losses, and the backward pass to the pixels, at the CPU budget's finest scale. The
median of `rounds` for each setup the probe of engine/device.py can choose, side by side; then the
operations that took the time, for the setup this machine runs (torch.profiler, self CPU time).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch
from torch.profiler import ProfilerActivity, profile

from bench.pictures import pairs
from engine.calibration import Goal
from engine.imaging import to_tensor
from engine.losses import Targets
from engine.optimise import features, objective
from engine.params import StyleParams, budget_for
from engine.transfer import ALL_LAYERS, CONTENT_LAYERS, STYLE_LAYERS
from engine.vgg import FeatureNet
from stylebot.choices import Strength


def evaluation(net: FeatureNet, params: StyleParams, side: int) -> Callable[[], float]:
    """One loss-and-gradient of the cat with strokes: engine.optimise.objective and its backward pass."""
    content, style = pairs()["cat+strokes"]
    content.thumbnail((side, side))
    photo = to_tensor(content, torch.device("cpu"))
    with torch.no_grad():
        start = features(net, photo, params)
        targets = Targets(
            start,
            features(net, to_tensor(style.resize(content.size), torch.device("cpu")), params),
            CONTENT_LAYERS,
            STYLE_LAYERS,
        )
        goal = Goal(Strength.MEDIUM)
        goal.start_scale(float(targets.style_loss(start)))

    def run() -> float:
        pixels = photo.clone().requires_grad_(True)
        loss, _ = objective(net, pixels, targets, goal, params)
        torch.autograd.grad(loss, pixels)
        return loss.item()

    return run


def median_seconds(runs: list[Callable[[], float]], rounds: int) -> list[float]:
    """Each run's median seconds, the runs taken in turn round after round (a noisy machine slows
    them alike); the first round builds the network's copy in each setup and is not counted."""
    times: list[list[float]] = [[] for _ in runs]
    for round_ in range(rounds + 1):
        for run, kept in zip(runs, times, strict=True):
            started = time.perf_counter()
            run()
            if round_:
                kept.append(time.perf_counter() - started)
    return [statistics.median(kept) for kept in times]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    net = FeatureNet(ALL_LAYERS)
    chosen = budget_for(torch.device("cpu"))
    print(
        f"{torch.get_num_threads()} threads, torch {torch.__version__}, {args.side} px, "
        f"median of {args.rounds}"
    )
    setups = [(p, nhwc) for p in ("float32", "bfloat16") for nhwc in (False, True)]
    runs = [
        evaluation(net, StyleParams(max_side=args.side, precision=precision, channels_last=nhwc), args.side)  # type: ignore[arg-type]
        for precision, nhwc in setups
    ]
    seconds = median_seconds(runs, args.rounds)
    for (precision, nhwc), median in zip(setups, seconds, strict=True):
        mark = (
            " (this machine's choice)"
            if (precision, nhwc) == (chosen.precision, chosen.channels_last)
            else ""
        )
        layout = "NHWC" if nhwc else "NCHW"
        print(f"  {precision} {layout}: {median * 1000:.0f} ms, {median / seconds[0]:.2f}x{mark}")
    params = StyleParams(max_side=args.side, precision=chosen.precision, channels_last=chosen.channels_last)
    run = evaluation(net, params, args.side)
    run()
    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        for _ in range(3):
            run()
    print(profiler.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))


if __name__ == "__main__":
    main()
