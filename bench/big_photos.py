"""Checking, storing and decoding big uploads: time and peak memory per step.

    python -m bench.big_photos [NAME]   (NAME: only the files whose name has it, e.g. HEIC)

Makes phone-sized JPEGs (a real photo tiled to 48 and 102 megapixels, ~1-2 bytes a pixel like a
camera's), an iPhone's HEICs (12 and 48 MP), an AVIF and a 100 MP PNG, then runs each step of
stylebot.images in a fresh process and prints its median time over 3 runs and the process's peak
memory above what it had before the step. "Pillow whole" is a plain full-size decode, what the bot
did before draft mode (HEIC and AVIF have no draft mode: they are always decoded whole).
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image
from skimage import data as skdata

pillow_heif.register_heif_opener()  # to write the HEICs (stylebot.images registers it to read)
LIMIT = 150_000_000
STEPS = {
    "inspect_image": "check an upload",
    "shrink_for_storage": "what is stored",
    "check_upload": "both, as the bot does",
    "decode_rgb(max_side=384)": "engine, CPU",
    "decode_rgb(max_side=2048)": "engine, CUDA large",
    "Pillow whole": "full decode",
}


def _photo(width: int, height: int) -> Image.Image:
    """scikit-image's cat, softened to a camera's detail and tiled to width×height."""
    cat = Image.fromarray(skdata.chelsea())
    cat = cat.resize((cat.width * 3, cat.height * 3), Image.Resampling.BICUBIC)
    tiles = np.tile(np.asarray(cat), (height // cat.height + 1, width // cat.width + 1, 1))
    return Image.fromarray(np.ascontiguousarray(tiles[:height, :width]))


# name -> (width, height, format, save options): phones' photos, and a graphic that compresses well.
FILES = {
    "JPEG 4032×3024 (12 MP)": (4032, 3024, "JPEG", {"quality": 90}),
    "JPEG 8000×6000 (48 MP)": (8000, 6000, "JPEG", {"quality": 90}),
    "JPEG 12000×8500 (102 MP)": (12000, 8500, "JPEG", {"quality": 90}),
    "progressive JPEG 12000×8500": (12000, 8500, "JPEG", {"quality": 90, "progressive": True}),
    "HEIC 4032×3024 (12 MP, iPhone)": (4032, 3024, "HEIF", {"quality": 80}),
    "HEIC 8064×6048 (48 MP, iPhone Pro)": (8064, 6048, "HEIF", {"quality": 80}),
    "AVIF 4032×3024 (12 MP)": (4032, 3024, "AVIF", {"quality": 80}),
    "PNG 10000×10000 (100 MP)": (10000, 10000, "PNG", {"compress_level": 1}),
}


def make_files(folder: Path, only: str = "") -> dict[str, Path]:
    """The files of FILES whose name contains `only`."""
    files = {}
    for n, (name, (width, height, fmt, options)) in enumerate(FILES.items()):
        if only not in name:
            continue
        if fmt == "PNG":
            picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        else:
            picture = _photo(width, height)
        files[name] = folder / f"{n}.{fmt.lower()}"
        picture.save(files[name], fmt, **options)
    return files


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: ru_maxrss carries over the
    parent's peak through fork and exec, and the parent made the big pictures."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def measure(step: str, path: Path) -> dict[str, float | str]:
    """Runs in a fresh process: the step three times; median seconds and peak MB above the start."""
    from stylebot.images import check_upload, decode_rgb, inspect_image, shrink_for_storage

    data = path.read_bytes()
    before = _peak_mb()
    seconds, result = [], ""
    for _ in range(3):
        start = time.perf_counter()
        if step == "inspect_image":
            info = inspect_image(data, max_pixels=LIMIT)
            result = f"{info.width}×{info.height}"
        elif step == "check_upload":
            info, stored = check_upload(data, max_pixels=LIMIT)
            result = f"{info.width}×{info.height} → {Image.open(io.BytesIO(stored)).size}"
        elif step == "shrink_for_storage":
            stored = shrink_for_storage(data, max_pixels=LIMIT)
            result = f"{Image.open(io.BytesIO(stored)).size} {len(stored) / 1e6:.1f} MB"
        elif step.startswith("decode_rgb"):
            side = int(step.split("=")[1].rstrip(")"))
            result = str(decode_rgb(data, max_pixels=LIMIT, max_side=side).size)
        else:
            Image.MAX_IMAGE_PIXELS = None
            Image.open(path).load()
        seconds.append(time.perf_counter() - start)
    return {"seconds": statistics.median(seconds), "peak_mb": _peak_mb() - before, "result": result}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]))))
        return
    only = sys.argv[1] if len(sys.argv) == 2 else ""  # e.g. "HEIC": only the files so named
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(Path(folder), only)
        print("| file | MB | step | median s | peak MB | result |")
        print("|---|---:|---|---:|---:|---|")
        for name, path in files.items():
            for step, what in STEPS.items():
                done = subprocess.run(
                    [sys.executable, "-m", "bench.big_photos", "--measure", step, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                row = json.loads(done.stdout)
                size = path.stat().st_size / 1e6
                print(
                    f"| {name} | {size:.1f} | {step} ({what}) | {row['seconds']:.2f} | "
                    f"{row['peak_mb']:.0f} | {row['result']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
