"""The tables `python -m bench.queue_throughput` prints: each figure measured by a child process
running that script (--measure) on one checkout, in a fresh database, the baseline's first."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path


def report(args: argparse.Namespace, *, script: Path, checkouts: list[Path]) -> None:
    """Prints the parts asked for (args.parts) for every checkout, this one first in `checkouts`."""
    parts = set(args.parts.split(","))
    if "scale" in parts:
        print_scale(script, checkouts, [int(s) for s in args.sizes.split(",")], args.postgres, args.history)
    if "sqlite" in parts:
        print_sqlite(script, checkouts, args.postgres, args.repeats)
    if "throughput" in parts:
        print_throughput(script, checkouts, args.postgres, args.jobs, args.repeats)
    if "bytes" in parts:  # this checkout only: the layout before is computed beside it
        from bench.request_bytes import main as print_bytes

        print_bytes()


def measured(script: Path, checkout: Path, part: str, admin_url: str, *options: object) -> dict[str, float]:
    """One measurement of the code at `checkout`, in a process of its own."""
    command = [sys.executable, str(script), "--measure", part, "--postgres", admin_url, *map(str, options)]
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(command, cwd=checkout, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measuring {checkout} ({part} {options}) failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def label(checkout: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(checkout), "status", "--porcelain"], capture_output=True, text=True
    )
    return f"{commit}{'+changes' if dirty.stdout.strip() else ''}" or str(checkout)


def print_scale(script: Path, checkouts: list[Path], sizes: list[int], admin_url: str, history: int) -> None:
    print(
        f"PostgreSQL, N queued from N/2 users, {history:,} done before; median ms "
        f"(fresh process and database each; {label(checkouts[0])} is this checkout)"
    )
    print(
        "| code | queued | claim + finish | notifier round | positions, edited | positions, spread | floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        for checkout in reversed(checkouts):  # the baseline first
            f = measured(script, checkout, "scale", admin_url, "--size", size, "--history", history)
            print(
                f"| {label(checkout)} | {size:,} | {f['claim']:.1f} | {f['round']:.1f} "
                f"| {f['positions']:.1f} | {f['spread']:.1f} | {f['floor']:.1f} |",
                flush=True,
            )


def print_sqlite(script: Path, checkouts: list[Path], admin_url: str, repeats: int) -> None:
    print("\nSQLite, one user with 3 queued: claim + finish, median ms of 200 (median of the runs' medians)")
    runs: dict[Path, list[float]] = {checkout: [] for checkout in checkouts}
    for _ in range(repeats):
        for checkout in reversed(checkouts):
            runs[checkout].append(measured(script, checkout, "sqlite", admin_url)["claim"])
    for checkout in reversed(checkouts):
        values = ", ".join(f"{v:.2f}" for v in runs[checkout])
        print(f"  {label(checkout)}: {statistics.median(runs[checkout]):.2f} ms ({values})", flush=True)


def print_throughput(script: Path, checkouts: list[Path], admin_url: str, count: int, repeats: int) -> None:
    print(f"\n{count} jobs from 20 users; claim -> heartbeat -> finish, no engine; median of {repeats}")
    print("| code | database | workers | jobs/s | overhead per job (ms) |")
    print("|---|---|---:|---:|---:|")
    for backend in ("sqlite", "postgresql"):
        for workers in (1, 4):
            walls: dict[Path, list[float]] = {checkout: [] for checkout in checkouts}
            for _ in range(repeats):
                for checkout in reversed(checkouts):
                    options = ("--backend", backend, "--workers", workers, "--jobs", count)
                    walls[checkout].append(
                        measured(script, checkout, "throughput", admin_url, *options)["wall"]
                    )
            for checkout in reversed(checkouts):
                wall = statistics.median(walls[checkout])
                print(
                    f"| {label(checkout)} | {backend} | {workers} | {count / wall:.0f} "
                    f"| {workers * wall / count * 1000:.1f} |",
                    flush=True,
                )
