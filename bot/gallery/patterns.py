"""Drawn styles made of shapes: stained glass, mosaic, cubist shards, waves, neon."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bot.gallery.canvas import Array, blur, colours, grid, picture, smooth_noise


def _two_nearest(points: Array, seeds: Array) -> tuple[Array, Array, Array]:
    """For each point: the nearest seed's index, its distance and the second-nearest distance."""
    squared = (points**2).sum(1)[:, None] - 2 * points @ seeds.T + (seeds**2).sum(1)[None, :]
    nearest = squared.argmin(1)
    rows = np.arange(len(points))
    first = squared[rows, nearest].copy()
    squared[rows, nearest] = np.inf
    second = squared.min(1)
    return nearest, np.sqrt(np.maximum(first, 0)), np.sqrt(np.maximum(second, 0))


def _voronoi(side: int, seeds: Array, block: int = 32) -> tuple[Array, Array, Array]:
    """`_two_nearest` for every pixel, (side, side) each, worked out block by block. Within h (half
    the block's diagonal) of the block's centre c, a seed s is between d(c, s) - h and d(c, s) + h
    away, so only seeds with d(c, s) <= (second-nearest distance from c) + 2h can be a pixel's two
    nearest: a dozen instead of all of them."""
    nearest = np.zeros((side, side), np.int64)
    first, second = np.zeros((side, side), np.float32), np.zeros((side, side), np.float32)
    x, y = grid(side)
    half_diagonal = block / np.sqrt(2)
    for top in range(0, side, block):
        for left in range(0, side, block):
            area = np.s_[top : top + block, left : left + block]
            shape = x[area].shape
            centre = np.array([left + shape[1] / 2, top + shape[0] / 2], np.float32)
            reach = np.hypot(*(seeds - centre).T)
            near = np.flatnonzero(reach <= np.partition(reach, 1)[1] + 2 * half_diagonal)
            index, d1, d2 = _two_nearest(np.stack([x[area].ravel(), y[area].ravel()], 1), seeds[near])
            nearest[area] = near[index].reshape(shape)
            first[area], second[area] = d1.reshape(shape), d2.reshape(shape)
    return nearest, first, second


def stained_glass(rng: np.random.Generator, side: int) -> Image.Image:
    """A rose window: jewel-coloured panes in rings, held by dark lead lines."""
    centre = side / 2
    seeds, tints = [np.array([[centre, centre]])], [0]
    for ring, (radius, count) in enumerate(((0.09, 8), (0.18, 12), (0.28, 16), (0.38, 24), (0.47, 32))):
        turn = np.arange(count) * 2 * np.pi / count + ring * 0.3
        seeds.append(
            np.stack([centre + radius * side * np.cos(turn), centre + radius * side * np.sin(turn)], 1)
        )
        tints += [(ring * 2 + k % 2 + 1) % 6 for k in range(count)]  # symmetric colours by ring
    corners = rng.uniform(0, side, (60, 2))
    corners = corners[np.hypot(*(corners - centre).T) > 0.5 * side]
    seeds.append(corners)
    tints += list(rng.integers(0, 6, len(corners)))
    all_seeds = np.concatenate(seeds).astype(np.float32) + rng.normal(0, side * 0.006, (len(tints), 2))
    x, y = grid(side)
    nearest, first, second = _voronoi(side, all_seeds)
    jewels = colours(
        [(170, 20, 40), (22, 50, 150), (20, 120, 70), (230, 160, 20), (100, 30, 130), (30, 150, 170)]
    )
    glass = jewels[np.asarray(tints)[nearest]]
    light = 1.25 - 0.9 * first / (first + second + 1e-6)  # bright centres, dim edges
    light *= 0.85 + 0.3 * smooth_noise(rng, side, 48, 2)
    lead = (second - first) < side / 130
    ring_lead = np.abs(np.hypot(x - centre, y - centre) - 0.515 * side) < side / 150
    rgb = glass * light[..., None]
    rgb[lead | ring_lead] = colours([(24, 22, 20)])[0]
    return picture(rgb)


def mosaic(rng: np.random.Generator, side: int) -> Image.Image:
    """Small square tesserae in bands of terracotta, ochre, cream and teal, set in pale grout."""
    x, y = grid(side)
    tile = side / 34
    row = np.floor(y / tile)
    shifted = x + (row % 2) * tile / 2
    column = np.floor(shifted / tile)
    local_x, local_y = shifted / tile - column, y / tile - row
    cx, cy = (column + 0.5) * tile - (row % 2) * tile / 2, (row + 0.5) * tile
    u, v = cx / side - 0.5, cy / side - 0.5
    band = np.sin(np.hypot(u, v) * 26 + 2.2 * np.sin(np.arctan2(v, u) * 4)) + 0.6 * np.sin(u * 9 - v * 7)
    palette = colours(
        [(28, 40, 84), (40, 118, 118), (234, 220, 186), (210, 158, 68), (178, 78, 48), (36, 30, 30)]
    )
    index = np.clip(((band + 1.6) / 3.2 * len(palette)).astype(int), 0, len(palette) - 1)
    tile_id = (row * 97 + column).astype(np.int64) % 9973
    jitter = rng.uniform(-0.09, 0.09, (9973, 3)).astype(np.float32)
    gap = rng.uniform(0.07, 0.16, 9973).astype(np.float32)[tile_id]
    rgb = palette[index] + jitter[tile_id]
    rgb *= (1.08 - 0.16 * (local_x + local_y) / 2)[..., None]  # each stone catches the light on one side
    grout = (local_x < gap) | (local_y < gap) | (local_x > 1 - gap / 3) | (local_y > 1 - gap / 3)
    rgb[grout] = colours([(204, 198, 184)])[0] * (0.9 + 0.1 * smooth_noise(rng, side, 100))[grout][:, None]
    return picture(rgb)


def cubist_shards(rng: np.random.Generator, side: int) -> Image.Image:
    """Planes cut by straight lines, each shaded flat in earthy colours, with fading dark edges."""
    x, y = grid(side)
    code = np.zeros((side, side), np.int64)
    edges = np.zeros((side, side), np.float32)
    for k in range(12):
        px, py = rng.uniform(0.1, 0.9, 2) * side
        angle = rng.uniform(0, np.pi)
        distance = (x - px) * np.sin(angle) - (y - py) * np.cos(angle)
        code |= (distance > 0).astype(np.int64) << k
        along = (x - px) * np.cos(angle) + (y - py) * np.sin(angle)
        fade = np.clip(np.sin(along / side * rng.uniform(3, 8) + rng.uniform(0, 6.3)) * 1.5, 0, 1)
        edges = np.maximum(edges, np.clip(1 - np.abs(distance) / (side / 180), 0, 1) * fade)
    hashed = (code * 2654435761) % 4294967291
    palette = colours(
        [
            (196, 150, 80),
            (110, 75, 45),
            (120, 130, 105),
            (80, 95, 120),
            (225, 210, 175),
            (45, 40, 38),
            (170, 90, 60),
        ]
    )
    rgb = palette[hashed % len(palette)]
    slope = (hashed // 7 % 628) / 100.0  # each plane is lit from its own direction
    shade = 0.78 + 0.45 * ((x * np.cos(slope) + y * np.sin(slope)) / side % 1.0)
    rgb = rgb * (shade * (0.9 + 0.2 * smooth_noise(rng, side, 90)))[..., None]
    return picture(rgb * (1 - 0.85 * edges[..., None]))


def wave_pattern(rng: np.random.Generator, side: int) -> Image.Image:
    """Overlapping fans of concentric arcs (seigaiha) in indigo and cream."""
    x, y = grid(side)
    radius = side / 9
    step = radius / 2
    owner = np.full((side, side), -1.0, np.float32)
    rings = np.zeros((side, side), np.float32)
    for offset in range(-1, 3):  # the lowest covering circle is drawn last, so it is on top
        row = np.floor(y / step) + offset
        shift = (row % 2) * radius
        cx = np.round((x - shift) / (2 * radius)) * 2 * radius + shift
        d = np.hypot(x - cx, y - row * step) / radius
        covers = (d < 1) & (row > owner)
        owner = np.where(covers, row, owner)
        rings = np.where(covers, d, rings)
    band = np.floor(rings * 5).astype(int)
    tone = smooth_noise(rng, side, 3)  # the blue deepens across the picture
    indigo = colours([(20, 42, 100)])[0] * (0.8 + 0.4 * tone)[..., None]
    cream = colours([(238, 228, 200)])[0]
    rgb = np.where((band % 2 == 0)[..., None], indigo, cream)
    rgb = np.where((band == 0)[..., None], colours([(178, 52, 44)])[0] * (0.85 + 0.3 * tone)[..., None], rgb)
    edge = np.abs(rings * 5 - np.round(rings * 5)) < 0.07
    rgb[edge] *= 0.7
    return picture(rgb * (0.93 + 0.07 * smooth_noise(rng, side, 120))[..., None])


def neon(rng: np.random.Generator, side: int) -> Image.Image:
    """Glowing curves of saturated colour on a dark night."""
    lines = Image.new("RGB", (side, side), (0, 0, 0))
    draw = ImageDraw.Draw(lines)
    t = np.linspace(0, 2 * np.pi, 400)
    hues = [(255, 40, 180), (40, 230, 255), (150, 255, 60), (255, 150, 30), (150, 70, 255)]
    for n in range(9):
        a, b = rng.integers(1, 5, 2)
        phase, scale = rng.uniform(0, 6.3), rng.uniform(0.2, 0.48)
        cx, cy = rng.uniform(0.3, 0.7, 2) * side
        curve = np.stack([cx + scale * side * np.sin(a * t + phase), cy + scale * side * np.sin(b * t)], 1)
        draw.line(
            [tuple(p) for p in curve], fill=hues[n % len(hues)], width=max(2, side // 170), joint="curve"
        )
    core = np.asarray(lines, np.float32) / 255.0
    glow = np.stack(
        [blur(core[..., c], side / 90) * 1.6 + blur(core[..., c], side / 25) * 1.1 for c in range(3)], -1
    )
    night = colours([(10, 8, 26)])[0] * (0.7 + 0.6 * smooth_noise(rng, side, 4))[..., None]
    return picture(night + glow + 0.8 * core)


def pop_art_dots(rng: np.random.Generator, side: int) -> Image.Image:
    """Bold flat shapes printed as halftone: cyan, magenta, yellow and black dot screens at their
    own angles, with heavy outlines."""
    x, y = grid(side)
    u, v = x / side - 0.5, y / side - 0.5
    rings = np.hypot(u - rng.uniform(-0.2, 0.2), v - rng.uniform(-0.2, 0.2))
    region = (np.floor(rings * 9) + (u + v > rng.uniform(-0.2, 0.2)) * 3).astype(int) % 5
    flat = colours([(230, 40, 50), (250, 210, 30), (40, 110, 220), (250, 245, 235), (240, 120, 170)])[region]
    coverage = [1 - flat[..., 0], 1 - flat[..., 1], 1 - flat[..., 2]]  # cyan, magenta, yellow
    cell = side / 40
    ink = np.ones((side, side, 3), np.float32)
    for channel, (amount, angle) in enumerate(zip(coverage, (0.26, 1.31, 0.0), strict=True)):
        across, down = x * np.cos(angle) + y * np.sin(angle), -x * np.sin(angle) + y * np.cos(angle)
        cx, cy = (
            (np.round(across / cell) - across / cell) * cell,
            (np.round(down / cell) - down / cell) * cell,
        )
        dot = np.hypot(cx, cy) < np.sqrt(np.clip(amount, 0, 1)) * cell * 0.62
        ink[..., channel] -= dot * 0.92
    boundary = np.zeros((side, side), bool)
    boundary[1:, :] |= region[1:, :] != region[:-1, :]
    boundary[:, 1:] |= region[:, 1:] != region[:, :-1]
    outline = blur(boundary.astype(np.float32), side / 400) > 0.12
    paper = colours([(250, 246, 232)])[0]
    return picture(np.where(outline[..., None], colours([(20, 20, 26)])[0], ink * paper))


def woodcut(rng: np.random.Generator, side: int) -> Image.Image:
    """A sun over hills cut in wood: black grooves that follow the shapes, thinner where it is light,
    printed on warm paper with one red block."""
    x, y = grid(side)
    sx, sy, radius = side * rng.uniform(0.55, 0.75), side * 0.28, side * 0.13
    from_sun = np.hypot(x - sx, y - sy)
    hills = side * (0.5 + 0.08 * np.sin(x / side * 7 + rng.uniform(0, 6)) + 0.05 * np.sin(x / side * 17))
    below = y > hills
    # Grooves: rings round the sun in the sky, contour lines on the hills.
    flow = np.where(below, (y - hills) * 1.0 + 6 * smooth_noise(rng, side, 8), from_sun)
    spacing = side / 56
    stripes = 0.5 + 0.5 * np.cos(2 * np.pi * flow / spacing)
    dark = np.where(below, 0.15 + 0.5 * (1 - (y - hills) / side), np.clip(from_sun / (side * 0.6), 0.3, 1.0))
    black = stripes > 0.25 + 0.7 * (1 - dark)  # wider grooves where it is darker
    sun = from_sun < radius
    rays = np.sin(np.arctan2(y - sy, x - sx) * 14) > 0.55
    black = np.where(sun, False, black | ((from_sun < radius * 2.1) & rays & ~below))
    paper = colours([(236, 224, 198)])[0] * (0.94 + 0.06 * smooth_noise(rng, side, 140))[..., None]
    rgb = np.where(sun[..., None], colours([(200, 50, 40)])[0], paper)
    rgb = np.where(black[..., None], colours([(22, 20, 18)])[0], rgb)
    return picture(rgb)
