"""Brush sizes (engine.params.BRUSH_SCALE) and the measures of what a person sees (engine.looks)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from scipy.ndimage import gaussian_filter
from skimage import color

from bench.stroke_truth import cells, discs, mixed, soft_blobs
from engine.cli import build_parser
from engine.imaging import to_image, to_tensor, toward_colours
from engine.looks import (
    colour_difference,
    correlation_length,
    detail_wavelength,
    spectral_wavelength,
    stylised_detail,
    texture_energy,
    texture_wavelength,
)
from engine.losses import Targets
from engine.params import STYLE_LAYER_WEIGHTS, StyleParams
from engine.transfer import ALL_LAYERS, CONTENT_LAYERS, STYLE_LAYERS, stylize
from engine.vgg import FeatureNet
from stylebot.choices import Brush, Strength
from testkit.pictures import cat_photo, style_texture


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    torch.set_num_threads(1)  # one thread a test process (Makefile): more oversubscribe the cores
    return FeatureNet(ALL_LAYERS)


def grating(period: float, side: int = 64) -> Image.Image:
    x = np.arange(side)
    row = 127 + 100 * np.sin(2 * np.pi * x / period)
    return Image.fromarray(np.repeat(row[None, :], side, 0).astype(np.uint8)).convert("RGB")


def test_the_texture_scale_of_a_grating_is_its_wavelength() -> None:
    scales = [texture_wavelength(grating(period)) for period in (6, 12, 24)]
    assert scales[0] == pytest.approx(6, rel=0.15)
    assert scales[1] == pytest.approx(12, rel=0.1) and scales[2] == pytest.approx(24, rel=0.1)
    assert texture_energy(grating(6)) > 10 * texture_energy(Image.new("RGB", (64, 64), (90, 120, 40)))


def test_the_spectral_scale_of_a_grating_is_its_wavelength() -> None:
    for period in (4, 8, 16):
        plane = np.asarray(grating(period, side=128).convert("L"), dtype=np.float64)
        assert spectral_wavelength(plane) == pytest.approx(period, rel=0.05)
        assert spectral_wavelength(plane.T) == pytest.approx(period, rel=0.05)


def test_the_correlation_length_of_a_grating_is_its_wavelength() -> None:
    for period in (6, 12, 24):
        plane = np.asarray(grating(period, side=128).convert("L"), dtype=np.float64)
        assert correlation_length(plane) == pytest.approx(period, rel=0.05)
        assert correlation_length(plane[:90].T) == pytest.approx(period, rel=0.05)


def test_the_detail_scale_reads_strokes_twice_as_large_under_a_layout_residue() -> None:
    # Pictures of known stroke size (bench.stroke_truth): 16 px strokes read about twice 8 px
    # ones, also when the finer picture carries a smooth layout residue holding a tenth of its
    # power. The spectrum's centroid (spectral_wavelength) read 0.9-1.4x here: its lowest rings,
    # the residue, weigh most.
    for make in (soft_blobs, discs, cells):
        rng = np.random.default_rng(0)
        fine, coarse = make((170, 256), 8, rng), make((170, 256), 16, rng)
        residue = mixed(fine, (0.1, 0.0, 0.0), rng)
        assert 1.6 < correlation_length(coarse) / correlation_length(fine) < 2.5, make
        assert 1.6 < correlation_length(coarse) / correlation_length(residue) < 2.5, make


def test_the_stylised_detail_leaves_out_what_the_photo_predicts() -> None:
    photo = cat_photo(96)
    # A painting that only changes the photo's tones has no stylised detail ...
    toned = Image.eval(photo, lambda v: round(255 * (v / 255) ** 0.6))
    assert np.abs(stylised_detail(toned, photo)).mean() < 0.5
    # ... and one that adds a pattern has that pattern's scale, whatever the photo's shapes.
    pattern = np.asarray(grating(12, side=96))[: photo.height, :, 0].astype(np.int16) - 127
    painted = np.clip(np.asarray(toned, dtype=np.int16) + pattern[..., None] // 3, 0, 255)
    assert detail_wavelength(Image.fromarray(painted.astype(np.uint8)), photo) == pytest.approx(12, rel=0.1)


def test_the_stylised_detail_leaves_out_the_engines_colour_map() -> None:
    # The engine's start, the photo in the style's colours, adds no stroke: its detail is nearly
    # nothing. A fit on the photo's lightness alone saw the photo's shapes in it (hues of one
    # lightness move apart under the map), as much as a coarse painting adds on some pairs.
    photo = cat_photo(64)
    cpu = torch.device("cpu")
    recoloured = to_image(toward_colours(to_tensor(photo, cpu), to_tensor(dots(), cpu), 0.8))
    assert stylised_detail(recoloured, photo).std() < 0.5
    assert stylised_detail(recoloured, photo, predict_from="lightness").std() > 2


def softened(photo: Image.Image, stroke: np.ndarray | None, unevenly: bool = False) -> Image.Image:
    """`photo` as the engine changes it without painting a stroke: recoloured by an affine map of
    RGB and softened by 1 px (`unevenly`: by nothing at the left edge to a 2 px blur at the right),
    plus `stroke` in grey, 3 sRGB levels rms."""
    mixed = np.asarray(photo, dtype=np.float64) @ np.array([[0.8, 0.2, 0], [0.1, 0.7, 0.1], [0, 0.3, 0.9]]).T
    rgb = np.stack([gaussian_filter(mixed[..., c], 2.0 if unevenly else 1.0) for c in range(3)], -1)
    if unevenly:
        share = np.linspace(0, 1, photo.width)[None, :, None]
        rgb = share * mixed + (1 - share) * rgb
    rgb += np.array([10, 0, 20])
    if stroke is not None:
        rgb += 3 * ((stroke - stroke.mean()) / stroke.std())[..., None]
    return Image.fromarray(np.clip(np.round(rgb), 0, 255).astype(np.uint8))


def test_the_stylised_detail_leaves_out_the_photos_softened_edges() -> None:
    # A painting softens the photo's edges a little at every brush; a colour fit pixel by pixel
    # left that as a residue along every edge, larger than weak strokes, and read 16 px strokes as
    # about 1x 8 px ones over it. Fitted on the photo's blurs too, the residue goes, and where the
    # softening varies over the picture, the local fit of the edges takes what is left
    # (bench.edge_truth).
    photo = cat_photo(192)
    assert stylised_detail(softened(photo, None), photo).std() < 0.3
    assert stylised_detail(softened(photo, None), photo, predict_from="colour").std() > 1.5
    assert stylised_detail(softened(photo, None, unevenly=True), photo).std() < 0.4
    assert stylised_detail(softened(photo, None, unevenly=True), photo, "colour and blurs").std() > 0.7
    for make in (soft_blobs, discs, cells):
        rng = np.random.default_rng(0)
        shape = (photo.height, photo.width)
        fine, coarse = softened(photo, make(shape, 8, rng)), softened(photo, make(shape, 16, rng))
        assert 1.5 < detail_wavelength(coarse, photo) / detail_wavelength(fine, photo) < 2.5, make


def test_the_style_weights_weigh_the_style_layers(net: FeatureNet) -> None:
    with torch.no_grad():
        content = net(to_tensor(cat_photo(48), torch.device("cpu")))
        style = net(to_tensor(style_texture(48), torch.device("cpu")))
        alike = Targets(content, style, CONTENT_LAYERS, STYLE_LAYERS)
        first = Targets(content, style, CONTENT_LAYERS, STYLE_LAYERS, style_weights=(2, 0, 0, 0, 0))
        errors = alike.style_errors(content)
        assert alike.style_loss(content) == pytest.approx(errors.mean().item())
        assert first.style_loss(content) == pytest.approx(errors[0].item())
    with pytest.raises(ValueError):
        Targets(content, style, CONTENT_LAYERS, STYLE_LAYERS, style_weights=(1, 1))
    assert all(len(weights) == len(STYLE_LAYERS) for weights in STYLE_LAYER_WEIGHTS.values())


def test_colour_difference_is_cie76_in_lab() -> None:
    a, b = cat_photo(48), style_texture(48).resize(cat_photo(48).size)
    expected = color.deltaE_cie76(color.rgb2lab(np.asarray(a)), color.rgb2lab(np.asarray(b))).mean()
    assert colour_difference(a, b) == pytest.approx(expected, rel=1e-3)
    assert colour_difference(a, a) == 0.0


def dots(period: float = 12, side: int = 64) -> Image.Image:
    """A style picture of round blue and orange dots `period` px apart: a pattern of one scale."""
    y, x = np.mgrid[0:side, 0:side]
    wave = np.sin(2 * np.pi * x / period) * np.sin(2 * np.pi * y / period)
    rgb = np.stack([127 + 90 * wave, 100 + 60 * wave, 150 - 80 * wave], -1)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8))


def test_coarse_strokes_are_larger_than_fine(net: FeatureNet) -> None:
    content, style = cat_photo(64), dots()
    whole = {}
    for brush in (Brush.FINE, Brush.COARSE):
        params = StyleParams(max_side=64, steps=20, strength=Strength.STRONG, brush=brush)
        painting = stylize(content, style, net=net, params=params).image
        whole[brush] = texture_wavelength(painting)
    # The painting's pattern as a whole is larger at coarse. Not the stylised detail's scale: at
    # 64 px coarse adds too little beyond the colour map to read a scale from; it read larger only
    # while the fit on the photo's lightness counted the map's residue (test above; docs/engine.md).
    assert whole[Brush.COARSE] > 1.25 * whole[Brush.FINE], whole


def test_the_brush_is_a_command_line_option_medium_by_default() -> None:
    parse = build_parser().parse_args
    assert StyleParams().brush is Brush.MEDIUM
    assert parse(["stylize", "a", "b", "-o", "c", "--brush", "coarse"]).brush is Brush.COARSE
    assert parse(["stylize", "a", "b", "-o", "c"]).brush is None  # not given: params_for decides
    with pytest.raises(SystemExit):
        parse(["stylize", "a", "b", "-o", "c", "--brush", "huge"])
