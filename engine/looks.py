"""What a person sees in a painting, measured apart from the losses the engine minimises.

The style losses are statistics of VGG features; a picture can move far on them while a person
sees almost nothing change (a fine grey texture "arrives" on the Gram yardstick long before it
shows). These measures use the pixels only, so that the engine never optimises them:

- `colour_difference`: the mean CIE76 ΔE per pixel between two pictures in CIELAB (about 2.3 is a
  just-noticeable difference; 10 and more reads as another colour);
- `detail` and `texture_energy`: the band the painting's strokes live in, the picture minus a
  blurred copy of itself in CIELAB (strokes differ in hue as much as in lightness), and its mean
  squared length (in ΔE units²);
- `texture_wavelength`: the scale of the picture's pattern of lightness in px; larger brush strokes
  give a longer wavelength;
- `detail_wavelength`: the scale of what the style added to a photo, in px: the painting's
  lightness less what the photo's colour and its softened edges predict of it, measured by its
  autocorrelation's width
  (`correlation_length`; `spectral_wavelength`, its spectrum's centroid, is the earlier measure).
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from typing import Literal

import numpy as np
from PIL import Image

# sRGB (D65) to XYZ, and the D65 white point.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])
# The blur that separates the strokes from the layout: a share of the picture's long side, so that
# the band holds the same share of a picture at any size, wide enough for a coarse brush's strokes.
DETAIL_BLUR = 1 / 8


def lab(image: Image.Image) -> np.ndarray:
    """(H, W, 3) CIELAB of an RGB picture: L* in 0..100."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def colour_difference(a: Image.Image, b: Image.Image) -> float:
    """The mean CIE76 ΔE per pixel between `a` and `b` (b resized to a's size if it differs)."""
    if b.size != a.size:
        b = b.resize(a.size, Image.Resampling.LANCZOS)
    return float(np.sqrt(((lab(a) - lab(b)) ** 2).sum(-1)).mean())


def detail(image: Image.Image) -> np.ndarray:
    """(H, W, 3) CIELAB minus a blurred copy of itself: the band of strokes and texture."""
    colours = lab(image)
    sigma = max(1.0, DETAIL_BLUR * max(image.size))
    return np.stack([plane - _blur(plane, sigma) for plane in colours.transpose(2, 0, 1)], -1)


def _blur(plane: np.ndarray, sigma: float) -> np.ndarray:
    """A separable Gaussian blur of a (H, W) plane, its edges mirrored."""
    reach = min(int(3 * sigma), min(plane.shape) - 1)
    taps = np.exp(-0.5 * (np.arange(-reach, reach + 1) / sigma) ** 2)
    taps /= taps.sum()
    for axis in (0, 1):
        padded = np.pad(plane, [(reach, reach) if a == axis else (0, 0) for a in (0, 1)], mode="reflect")
        plane = np.lib.stride_tricks.sliding_window_view(padded, len(taps), axis=axis) @ taps
    return plane


def texture_energy(image: Image.Image) -> float:
    """The mean squared length of the picture's detail band, in ΔE units²."""
    return float(np.mean((detail(image) ** 2).sum(-1)))


def texture_wavelength(image: Image.Image) -> float:
    """The scale of the picture's lightness pattern in px: 2π · mean |L* − mean| / mean |∇L*|.

    For a sine grating it is exactly the wavelength. A spectrum's centroid would be led by sharp
    edges, which have power at every frequency whatever the size of the shapes they bound; the
    mean gradient counts each edge by its contrast and length alone, so larger strokes (fewer edges
    over the same contrast) read as a longer wavelength however sharp they are."""
    lightness = lab(image)[..., 0]
    deviation = np.abs(lightness - lightness.mean()).mean()
    dx, dy = np.diff(lightness, axis=1)[:-1], np.diff(lightness, axis=0)[:, :-1]
    return float(2 * np.pi * deviation / max(np.hypot(dx, dy).mean(), 1e-12))


Prediction = Literal["local edges", "colour and blurs", "colour", "lightness"]
# The local fit of the photo's edges: windows 2 · this + 1 px wide, and the ridge that keeps a
# window without an edge from fitting anything.
EDGE_WINDOW = 8
_EDGE_RIDGE = 1e-2


def stylised_detail(
    painting: Image.Image, photo: Image.Image, predict_from: Prediction = "local edges"
) -> np.ndarray:
    """(H, W) the painting's L* less what the photo predicts of it: what the style added. The
    photo's own shapes, which the painting keeps at every brush recoloured and a little softened
    or moved, are taken out, so they do not dilute the brush's scale.

    The prediction, "local edges": a cubic polynomial of the photo's sRGB and of its sRGB blurred
    by 1 px, its sRGB blurred by 2 px and its L*'s two gradients, fitted over the picture; then
    what is left, fitted in each window 17 px wide on the photo's L* less its blurs at 1 and 2 px
    and its gradients (`_local_edges`). Each step was chosen on strokes of known size painted over
    real photos recoloured and softened as the engine does (bench.edge_truth, by rules written
    before each run; docs/engine.md, "The photo's edges in the stylised detail"):

    - "lightness" (until 2026-12-04, evening), a cubic of the photo's L*: the engine starts from
      the photo in the style's colours (an affine map of RGB), under which pixels of one lightness
      but different hues move apart, so that map alone left a residue of the photo's shapes;
    - "colour" (until 2026-12-04, late evening), a cubic of its sRGB pixel by pixel: the painting
      also softens, sharpens or moves the photo's edges by a pixel or so, which no function of one
      pixel's colour predicts, so a residue 1-4 px wide lay along every edge at every brush, often
      most of the detail, and ratios of stroke sizes read compressed;
    - "colour and blurs", the global fit alone: a softened edge is nearly a mix of the photo and
      its blurs, a moved one the photo plus its gradient; but one fit for the whole picture cannot
      follow a softening or shift that varies over it, as the engine's does;
    - "local edges": where the photo has an edge, how much of it was softened or moved is fitted
      in its window; where it has none, the ridge keeps the fit from taking anything. Strokes,
      which do not follow the photo's edges, stay in the residue."""
    if photo.size != painting.size:
        photo = photo.resize(painting.size, Image.Resampling.LANCZOS)
    painted = lab(painting)[..., 0].ravel()
    rgb = np.asarray(photo.convert("RGB"), dtype=np.float64) / 255
    lightness = lab(photo)[..., 0]
    if predict_from == "lightness":
        terms = _cubic(lightness.reshape(-1, 1) / 100)
    else:
        terms = _cubic(rgb.reshape(-1, 3))
    if predict_from in ("colour and blurs", "local edges"):
        soft, softer = (np.stack([_blur(c, sigma) for c in rgb.transpose(2, 0, 1)], -1) for sigma in (1, 2))
        rise, run = np.gradient(lightness / 100)
        terms += _cubic(soft.reshape(-1, 3))[1:] + list(softer.reshape(-1, 3).T) + [rise.ravel(), run.ravel()]
    basis = np.stack(terms, -1)
    coefficients, *_ = np.linalg.lstsq(basis, painted, rcond=None)
    residue = (painted - basis @ coefficients).reshape(painting.height, painting.width)
    return _local_edges(residue, lightness) if predict_from == "local edges" else residue


def _local_edges(residue: np.ndarray, lightness: np.ndarray) -> np.ndarray:
    """`residue` less its ridge least-squares fit, in each window EDGE_WINDOW px around a pixel, on
    the photo's L* (`lightness`) less its blurs at 1 and 2 px and its two gradients (in L* units)."""
    rise, run = np.gradient(lightness)
    features = np.stack([lightness - _blur(lightness, 1), lightness - _blur(lightness, 2), rise, run], -1)
    gram = _box(features[..., :, None] * features[..., None, :], EDGE_WINDOW)
    cross = _box(features * residue[..., None], EDGE_WINDOW)
    weights = np.linalg.solve(gram + _EDGE_RIDGE * np.eye(features.shape[-1]), cross[..., None])[..., 0]
    return residue - (weights * features).sum(-1)


def _box(values: np.ndarray, radius: int) -> np.ndarray:
    """The mean of (H, W, ...) `values` over the (2 radius + 1)² window around each pixel, the
    picture's edges mirrored."""
    size = 2 * radius + 1
    for axis in (0, 1):
        padding = [(radius + 1, radius) if a == axis else (0, 0) for a in range(values.ndim)]
        summed = np.cumsum(np.pad(values, padding, mode="symmetric"), axis=axis)
        values = (
            np.take(summed, range(size, summed.shape[axis]), axis)
            - np.take(summed, range(summed.shape[axis] - size), axis)
        ) / size
    return values


def _cubic(given: np.ndarray) -> list[np.ndarray]:
    """A constant and every product of one to three of `given`'s (N, C) columns."""
    terms = [np.ones(len(given))]
    for degree in (1, 2, 3):
        for channels in combinations_with_replacement(range(given.shape[1]), degree):
            terms.append(np.prod(given[:, list(channels)], axis=1))
    return terms


def radial_spectrum(plane: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A (H, W) plane's radially averaged power spectrum: each ring's frequency (cycles per px,
    from 1 / the long side up to Nyquist, one ring per 1 / the long side), its mean power and its
    count of frequencies.

    A Hann window keeps the picture's edges from adding power at every frequency; the mean is
    taken out (the zero frequency says nothing of the scale)."""
    height, width = plane.shape
    window = np.outer(np.hanning(height), np.hanning(width))
    power = np.abs(np.fft.fft2((plane - plane.mean()) * window)) ** 2
    fy, fx = np.meshgrid(np.fft.fftfreq(height), np.fft.fftfreq(width), indexing="ij")
    step = 1 / max(height, width)
    ring = np.round(np.hypot(fy, fx) / step).astype(int).ravel()
    rings = np.arange(1, int(0.5 / step) + 1)  # from the lowest frequency up to Nyquist
    counts = np.bincount(ring, minlength=rings[-1] + 1)
    mean_power = np.bincount(ring, power.ravel(), minlength=rings[-1] + 1) / np.maximum(counts, 1)
    return rings * step, mean_power[rings], counts[rings]


def spectral_wavelength(plane: np.ndarray) -> float:
    """1 / the centroid frequency of a (H, W) plane's radially averaged power spectrum, in px.

    Each ring of frequencies counts by its mean power, so that a ring's circumference does not
    weigh the fine frequencies up."""
    frequencies, mean_power, _ = radial_spectrum(plane)
    centroid = (mean_power * frequencies).sum() / max(mean_power.sum(), 1e-30)
    return float(1 / max(centroid, 1e-12))


def radial_autocorrelation(plane: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A (H, W) plane's radially averaged autocorrelation, 1 at lag 0, in rings one px wide up to
    half the short side: each ring's mean lag in px (ring 1 holds lags 1 and √2) and its value.

    Hann-windowed and zero-padded (no wrap-around), then divided by the window's own
    autocorrelation, so that it does not fall with the lag for the window's sake."""
    height, width = plane.shape
    window = np.outer(np.hanning(height), np.hanning(width))
    size = (2 * height, 2 * width)
    signal = np.fft.irfft2(np.abs(np.fft.rfft2((plane - plane.mean()) * window, size)) ** 2, size)
    own = np.fft.irfft2(np.abs(np.fft.rfft2(window, size)) ** 2, size)
    lag_y = np.minimum(np.arange(size[0]), size[0] - np.arange(size[0]))
    lag_x = np.minimum(np.arange(size[1]), size[1] - np.arange(size[1]))
    lag = np.hypot(*np.meshgrid(lag_y, lag_x, indexing="ij")).ravel()
    valid = lag <= min(height, width) // 2
    ring = np.round(lag[valid]).astype(int)
    counts = np.maximum(np.bincount(ring), 1)
    ratio = (signal / np.maximum(own, own.max() * 1e-9)).ravel()[valid]
    radial = np.bincount(ring, ratio) / counts
    return np.bincount(ring, lag[valid]) / counts, radial / max(radial[0], 1e-30)


def first_lag_below(lags: np.ndarray, curve: np.ndarray, level: float) -> float:
    """The first lag (interpolated between rings) where `curve` falls to `level`; the last lag if
    it never does."""
    below = np.flatnonzero(curve <= level)
    if not len(below):
        return float(lags[-1])
    i = int(below[0])
    share = (curve[i - 1] - level) / max(curve[i - 1] - curve[i], 1e-30)
    return float(lags[i - 1] + share * (lags[i] - lags[i - 1]))


# The 1/e lag of a sine grating's radially averaged autocorrelation, J0(2π lag / λ), is λ · 1.752
# / 2π: this factor makes a grating read its wavelength, as spectral_wavelength does.
_GRATING_LAG = 2 * np.pi / 1.7519874


def correlation_length(plane: np.ndarray) -> float:
    """The scale of a (H, W) plane's pattern in px: the lag at which its radially averaged
    autocorrelation falls to 1/e, scaled so that a sine grating reads its wavelength.

    Chosen over spectral_wavelength (the centroid of the ring-mean power spectrum) and a dozen
    other measures on pictures of known stroke size with layout, grain and noise added
    (bench.stroke_truth; figures in docs/engine.md, "Choosing the scale measure"): the ratio of
    two pictures' readings came closest to the ratio of their stroke sizes. The centroid counts
    each ring of frequencies by its mean power, so the few lowest rings (a smooth layout residue,
    wavelengths of half the picture) weigh most; the fall to 1/e is set by where most of the
    power lies, and a smooth residue moves it only by its share of the power. The other side of
    that: where a fine residue holds most of the power, it reads the residue, not the strokes."""
    return _GRATING_LAG * first_lag_below(*radial_autocorrelation(plane), 1 / np.e)


def detail_wavelength(
    painting: Image.Image, photo: Image.Image, predict_from: Prediction = "local edges"
) -> float:
    """The scale in px of what the style added to `photo` in `painting` (`stylised_detail`), read
    by `correlation_length` (until 2026-12-04, `spectral_wavelength`)."""
    return correlation_length(stylised_detail(painting, photo, predict_from))
