"""Small numpy helpers shared by the drawings: smooth noise, and turning arrays into pictures."""

from __future__ import annotations

import numpy as np
from PIL import Image

Array = np.ndarray


def grid(side: int) -> tuple[Array, Array]:
    """Pixel coordinates (x, y), each (side, side) float32."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32)
    return x, y


def smooth_noise(rng: np.random.Generator, side: int, cells: int, octaves: int = 1) -> Array:
    """Value noise in 0..1, (side, side): `cells` random values across, finer octaves at half weight."""
    total = np.zeros((side, side), np.float32)
    weight = 1.0
    for octave in range(octaves):
        n = cells * 2**octave + 1
        values = Image.fromarray(rng.random((n, n), dtype=np.float32), mode="F")
        total += weight * np.asarray(values.resize((side, side), Image.Resampling.BICUBIC))
        weight /= 2
    low, high = float(total.min()), float(total.max())
    return (total - low) / max(high - low, 1e-6)


def noise_1d(rng: np.random.Generator, length: int, cells: int, octaves: int = 4) -> Array:
    """A wandering line in 0..1 (length,): ridges of hills, wobbles of a stroke."""
    total = np.zeros(length, np.float32)
    weight = 1.0
    for octave in range(octaves):
        n = cells * 2**octave + 1
        total += weight * np.interp(np.linspace(0, n - 1, length), np.arange(n), rng.random(n))
        weight /= 2
    low, high = float(total.min()), float(total.max())
    return (total - low) / max(high - low, 1e-6)


def _box(values: Array, radius: int, axis: int) -> Array:
    """Mean over a window of 2 * radius + 1 along `axis`, edges repeated."""
    padded = np.pad(values, [(radius + 1, radius) if a == axis else (0, 0) for a in range(2)], mode="edge")
    summed = np.cumsum(padded, axis=axis, dtype=np.float32)
    ahead = np.take(summed, np.arange(2 * radius + 1, summed.shape[axis]), axis=axis)
    behind = np.take(summed, np.arange(0, summed.shape[axis] - 2 * radius - 1), axis=axis)
    return (ahead - behind) / (2 * radius + 1)


def blur(values: Array, radius: float) -> Array:
    """A near-Gaussian blur of a float (h, w) array: three box blurs along each axis."""
    box = max(1, round(radius * 0.8))  # three boxes of 2r+1 have the spread of a Gaussian of ~1.2r
    for axis in (0, 1):
        for _ in range(3):
            values = _box(values, box, axis)
    return values


def colours(rgb: list[tuple[int, int, int]]) -> Array:
    """A palette as floats in 0..1, (n, 3)."""
    return np.asarray(rgb, np.float32) / 255.0


def picture(rgb: Array) -> Image.Image:
    """(h, w, 3) floats in 0..1 to an RGB picture."""
    return Image.fromarray((np.clip(rgb, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")
