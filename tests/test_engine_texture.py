"""The engine's texture term (StyleParams.texture_weight): channel correlations beside the Gram term."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from engine.calibration import BANDS
from engine.imaging import to_tensor
from engine.looks import stylised_detail
from engine.losses import Targets
from engine.params import BRUSH_SCALE, StyleParams
from engine.transfer import ALL_LAYERS, CONTENT_LAYERS, STYLE_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Brush, Strength
from testkit.pictures import cat_photo, gravel

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    torch.set_num_threads(1)  # one thread a test process (Makefile): more oversubscribe the cores
    return FeatureNet(ALL_LAYERS)


def test_the_texture_term_is_scaled_so_the_photo_scores_its_style_error(net: FeatureNet) -> None:
    with torch.no_grad():
        photo, style = net(to_tensor(cat_photo(64), CPU)), net(to_tensor(gravel(), CPU))
        targets = Targets(photo, style, CONTENT_LAYERS, STYLE_LAYERS, texture=True)
        photo_style, photo_texture = targets.style_and_texture(photo)
        assert float(photo_texture) == pytest.approx(float(photo_style), rel=1e-4)
        assert float(photo_style) == pytest.approx(float(targets.style_loss(photo)), rel=1e-6)
        assert float(targets.style_and_texture(style)[1]) < 1e-3 * float(photo_texture)
        with pytest.raises(AssertionError):
            Targets(photo, style, CONTENT_LAYERS, STYLE_LAYERS).style_and_texture(photo)


@pytest.mark.parametrize("brush", [Brush.MEDIUM, Brush.COARSE])
def test_with_the_texture_term_strong_paints_the_gravel_in_its_band(net: FeatureNet, brush: Brush) -> None:
    """Without it, strong on the gravel is the photo recoloured; the detail the painting adds over
    what the photo predicts (engine.looks, not a loss of the engine's) tells them apart."""
    photo, style = cat_photo(64), gravel()
    params = StyleParams(max_side=64, steps=30, strength=Strength.STRONG, precision="float32", brush=brush)
    ruler = yardstick_net()
    scale = BRUSH_SCALE[brush]
    photo_err = measure(ruler, photo, photo, style, style_scale=scale).style
    added = {}
    for weight in (0.0, 1.0):
        image = stylize(photo, style, net=net, params=replace(params, texture_weight=weight)).image
        added[weight] = float(stylised_detail(image, photo).std())
        progress = 1 - measure(ruler, image, photo, style, style_scale=scale).style / photo_err
        low, high = BANDS[Strength.STRONG]
        assert low - 0.05 <= progress <= high + 0.05, (weight, progress)
    assert added[1.0] > 2 * added[0.0], added
