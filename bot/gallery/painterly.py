"""Drawn styles that imitate a medium: brush strokes, dots, ink, watercolour, pencil."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bot.gallery.canvas import Array, blur, colours, grid, noise_1d, picture, smooth_noise


def swirling_strokes(rng: np.random.Generator, side: int) -> Image.Image:
    """Thick strokes of blue and yellow that follow a flow field of a few whirlpools."""
    x, y = grid(side)
    vx = np.ones_like(x) * 0.6
    vy = 0.4 * np.sin(x / side * 9.0)
    for cx, cy, radius, spin in zip(
        rng.uniform(0, side, 6),
        rng.uniform(0, side, 6),
        rng.uniform(0.1, 0.22, 6) * side,
        rng.choice([-3, 3], 6),
        strict=True,
    ):
        weight = spin * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2))
        vx += -(y - cy) / radius * weight
        vy += (x - cx) / radius * weight
    angle = np.arctan2(vy, vx)
    glow = smooth_noise(rng, side, 3, 2)  # where the bright, yellow swirls are
    palette = np.array(
        [(16, 28, 72), (30, 56, 130), (52, 92, 170), (96, 140, 205), (170, 200, 225), (236, 222, 150),
         (246, 198, 58), (252, 242, 206)]
    )  # fmt: skip
    image = Image.new("RGB", (side, side), (30, 56, 130))
    draw = ImageDraw.Draw(image)
    for count, width, length in (
        (side * 2, side // 45, 9),
        (side * 5, side // 80, 7),
        (side * 7, side // 140, 5),
    ):
        points = rng.uniform(0, side - 1, (count, 2))
        lines = [points.copy()]
        for _ in range(length):
            ix, iy = points[:, 0].astype(int), points[:, 1].astype(int)
            step = np.stack([np.cos(angle[iy, ix]), np.sin(angle[iy, ix])], axis=1)
            points = np.clip(points + step * side / 100, 0, side - 1)
            lines.append(points.copy())
        ix, iy = lines[0][:, 0].astype(int), lines[0][:, 1].astype(int)
        shade = np.clip(glow[iy, ix] * 1.35 - 0.2 + rng.normal(0, 0.12, count), 0, 0.999)
        tint = palette[(shade * len(palette)).astype(int)] + rng.integers(-14, 15, (count, 3))
        paths = np.stack(lines, 1).tolist()  # (count, length + 1, 2)
        for path, colour in zip(paths, np.clip(tint, 0, 255).tolist(), strict=True):
            draw.line([tuple(point) for point in path], fill=tuple(colour), width=max(2, width))
    return image


def pointillism(rng: np.random.Generator, side: int) -> Image.Image:
    """A riverside at dusk in small dots of pure colour on a pale canvas."""
    x, y = grid(side)
    u, v = x / side, y / side
    horizon = 0.55 + 0.04 * np.sin(u * 7.0)
    sky = colours([(70, 120, 210)])[0] * (1 - v[..., None] / 0.55) + colours([(250, 214, 140)])[0] * (
        v[..., None] / 0.55
    )
    water = colours([(40, 96, 160)])[0] + 0.12 * np.sin(v * 140.0 + 4 * smooth_noise(rng, side, 6))[..., None]
    scene = np.where((v < horizon)[..., None], sky, water)
    sun = (u - 0.68) ** 2 + (v - 0.36) ** 2 < 0.006
    scene[sun] = colours([(255, 226, 110)])[0]
    shore = (np.abs(v - horizon - 0.03) < 0.03 + 0.03 * smooth_noise(rng, side, 8)) & (u < 0.6)
    scene[shore] = colours([(60, 132, 64)])[0]
    image = Image.new("RGB", (side, side), (242, 236, 222))
    draw = ImageDraw.Draw(image)
    accents = colours([(240, 140, 60), (120, 80, 180), (250, 240, 180), (40, 160, 150)])
    for radius, count in ((side / 110, side * side // 70), (side / 170, side * side // 90)):
        points = rng.uniform(0, side - 1, (count, 2))
        base = scene[points[:, 1].astype(int), points[:, 0].astype(int)]
        base = base * rng.uniform(0.8, 1.2, (count, 1))
        mixed = rng.random(count) < 0.18  # dots of a neighbouring colour, mixed by the eye
        base[mixed] = accents[rng.integers(0, len(accents), int(mixed.sum()))]
        for (px, py), colour in zip(points, np.clip(base * 255, 0, 255).astype(int), strict=True):
            r = radius * rng.uniform(0.8, 1.25)
            draw.ellipse((px - r, py - r, px + r, py + r), fill=tuple(colour))
    return image


def ink_wash(rng: np.random.Generator, side: int) -> Image.Image:
    """Misty mountain ridges in layered grey washes with dark wet edges, and a tapering branch."""
    y = grid(side)[1]
    ink = np.zeros((side, side), np.float32)
    for layer in range(4):  # far to near: paler, then darker
        ridge = side * (0.25 + 0.15 * layer + 0.22 * (noise_1d(rng, side, 3 + layer) - 0.5))
        depth = np.maximum(y - ridge[None, :], 0)
        inside = y > ridge[None, :]
        strength = 0.18 + 0.17 * layer
        wash = strength * (0.35 + 0.65 * np.exp(-depth / (side * 0.12))) + 0.45 * strength * np.exp(
            -depth / 3
        )
        wash *= 0.75 + 0.5 * smooth_noise(rng, side, 12 + 6 * layer, 3)
        ink = np.where(inside, 1 - (1 - ink) * (1 - wash), ink)
    brush = Image.new("F", (side, side), 0.0)
    draw = ImageDraw.Draw(brush)
    trunk: list[Array] = []
    for branch in range(4):  # a branch from the right edge, its twigs tapering to a point
        point = (
            np.array([side - 1.0, side * rng.uniform(0.1, 0.18)])
            if branch == 0
            else trunk[rng.integers(len(trunk))]
        )
        heading, width = (
            (np.pi - 0.2, side / 70) if branch == 0 else (np.pi + rng.uniform(-1.0, 1.3), side / 140)
        )
        path = [point]
        for _ in range(70 if branch == 0 else 22):
            heading += rng.normal(0, 0.07)
            path.append(path[-1] + side / 200 * np.array([np.cos(heading), np.sin(heading)]))
        for n, (px, py) in enumerate(path):
            r = width * (1 - 0.8 * n / len(path)) * rng.uniform(0.85, 1.15)
            draw.ellipse((px - r, py - r, px + r, py + r), fill=float(rng.uniform(0.75, 0.95)))
        trunk = trunk or path[15:]
        for n in rng.integers(0, len(path), 5):  # moss dots beside it
            px, py = path[n] + rng.normal(0, side / 60, 2)
            r = side / rng.uniform(110, 170)
            draw.ellipse((px - r, py - r, px + r, py + r), fill=0.9)
    ink = np.maximum(ink, np.asarray(brush))
    paper = colours([(238, 231, 212)])[0] * (0.96 + 0.04 * smooth_noise(rng, side, 128))[..., None]
    return picture(paper * (1 - ink[..., None]) + colours([(18, 18, 24)])[0] * ink[..., None])


def watercolour(rng: np.random.Generator, side: int) -> Image.Image:
    """Soft wet-in-wet washes, then overlapping transparent glazes with pooled, darker edges."""
    x, y = grid(side)
    grain = smooth_noise(rng, side, 160)
    pigments = colours(
        [
            (52, 76, 170),
            (196, 42, 76),
            (240, 176, 30),
            (84, 140, 62),
            (178, 88, 40),
            (58, 150, 204),
            (120, 70, 150),
        ]
    )
    wet = smooth_noise(rng, side, 2, 2)[..., None]  # two colours bleeding into each other
    first, second = pigments[rng.choice(len(pigments), 2, replace=False)]
    wash = 0.25 * (0.8 + 0.4 * grain)[..., None] * (wet * (1 - first) + (1 - wet) * (1 - second))
    paper = colours([(250, 246, 236)])[0] * (1 - wash)
    for n in range(30):
        cx, cy = rng.uniform(0, side, 2)
        radius = side * (rng.uniform(0.12, 0.24) if n < 12 else rng.uniform(0.035, 0.09))
        reach = int(radius * 1.7) + 8
        area = np.s_[max(0, int(cy) - reach) : int(cy) + reach, max(0, int(cx) - reach) : int(cx) + reach]
        bx, by = x[area] - cx, y[area] - cy
        theta = np.arctan2(by, bx)
        wobble = sum(rng.uniform(-0.12, 0.12) * np.sin(k * theta + rng.uniform(0, 6.3)) for k in range(2, 7))
        inside = np.clip((radius * (1 + wobble) - np.hypot(bx, by)) / 3, 0, 1)  # anti-aliased
        pooled = np.clip(inside - blur(inside, side / 110), 0, 1) * 1.6  # pigment gathers at the edge
        density = inside * rng.uniform(0.22, 0.45) * (0.75 + 0.5 * grain[area]) + pooled
        paper[area] *= 1 - np.clip(density, 0, 0.9)[..., None] * (
            1 - pigments[rng.integers(0, len(pigments))]
        )
    return picture(paper)


def _hatch(x: Array, y: Array, angle: float, spacing: float, wobble: Array) -> Array:
    """Parallel pencil lines about 2 px wide at `angle`, 0..1."""
    across = (x * np.cos(angle) + y * np.sin(angle) + wobble) / spacing
    return np.clip(1 - np.abs(across - np.round(across)) * spacing / 1.1, 0, 1)


def pencil_hatching(rng: np.random.Generator, side: int) -> Image.Image:
    """Shaded shapes drawn in graphite: sketchy outlines, and layers of cross-hatching where the
    tone is darker."""
    x, y = grid(side)
    tone = 0.08 + 0.5 * (y / side)
    outline = Image.new("F", (side, side), 0.0)
    draw = ImageDraw.Draw(outline)
    spheres = zip(
        rng.uniform(0.2, 0.8, 4) * side,
        rng.uniform(0.2, 0.8, 4) * side,
        rng.uniform(0.1, 0.2, 4) * side,
        strict=True,
    )
    for cx, cy, radius in spheres:
        d = np.hypot(x - cx, y - cy) / radius
        lit = np.clip(((x - cx) + (y - cy)) / (radius * 1.5) + 0.45, 0, 1)  # lit from the top left
        tone = np.where(d < 1, lit * 0.9 + 0.05, tone)
        shadow = np.exp(
            -(((x - cx - radius * 0.6) / radius) ** 2 + ((y - cy - radius * 0.9) / (radius * 0.35)) ** 2)
        )
        tone = np.maximum(tone, np.where(d >= 1, shadow * 0.85, 0))
        for _ in range(2):  # a loose hand goes round twice
            r, (ox, oy) = radius * rng.uniform(0.98, 1.03), rng.normal(0, side / 300, 2)
            draw.ellipse(
                (cx + ox - r, cy + oy - r, cx + ox + r, cy + oy + r), outline=0.8, width=max(1, side // 300)
            )
    tone = np.clip(tone + 0.15 * (smooth_noise(rng, side, 10) - 0.5), 0, 1)
    wobble = 3.0 * smooth_noise(rng, side, 24)
    pressure = 0.55 + 0.45 * smooth_noise(rng, side, 30, 2)
    graphite: Array = np.asarray(outline, np.float32).copy()
    for angle, threshold in ((0.8, 0.12), (-0.75, 0.35), (0.05, 0.55), (1.5, 0.72)):
        lines = _hatch(x, y, angle, side / 110 * rng.uniform(0.9, 1.1), wobble)
        present = np.clip((tone - threshold) * 6, 0, 1) * pressure
        graphite = 1 - (1 - graphite) * (1 - lines * present * rng.uniform(0.7, 0.9))
    graphite *= 0.7 + 0.3 * smooth_noise(rng, side, 200)  # graphite catches on the paper's tooth
    paper = colours([(246, 243, 235)])[0]
    return picture(paper * (1 - graphite[..., None]) + colours([(52, 52, 60)])[0] * graphite[..., None])
