"""The texture yardstick (engine.yardstick.texture_progress): it sees strokes, not a recolouring."""

from __future__ import annotations

import pytest
import torch
from PIL import Image

from engine.imaging import to_image, to_tensor, toward_colours
from engine.params import StyleParams
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, texture_progress, yardstick_net
from stylebot.choices import Strength
from testkit.pictures import cat_photo, gravel, style_texture

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def ruler() -> FeatureNet:
    torch.set_num_threads(1)  # one thread a test process (Makefile): more oversubscribe the cores
    return yardstick_net()


def gram_progress(ruler: FeatureNet, picture: Image.Image, photo: Image.Image, style: Image.Image) -> float:
    return 1 - measure(ruler, picture, photo, style).style / measure(ruler, photo, photo, style).style


def recoloured(photo: Image.Image, style: Image.Image) -> Image.Image:
    return to_image(toward_colours(to_tensor(photo, CPU), to_tensor(style, CPU), 1.0))


def test_a_recolouring_is_most_of_the_way_on_the_gram_yardstick_and_almost_nowhere_on_texture(
    ruler: FeatureNet,
) -> None:
    """scikit-image's gravel: grey, fine; the cat in its colours has no pebble anywhere."""
    photo = cat_photo(64)
    grey = gravel()
    moved = recoloured(photo, grey)
    assert gram_progress(ruler, moved, photo, grey) > 0.6
    assert texture_progress(ruler, moved, photo, grey) < 0.15
    assert texture_progress(ruler, grey, photo, grey) == pytest.approx(1.0)


def test_painted_strokes_go_further_on_texture_than_the_colours_alone(ruler: FeatureNet) -> None:
    photo, style = cat_photo(64), style_texture(64)
    params = StyleParams(max_side=64, steps=30, strength=Strength.STRONG, precision="float32")
    painted = stylize(photo, style, net=FeatureNet(ALL_LAYERS), params=params).image
    start = texture_progress(ruler, recoloured(photo, style), photo, style)
    assert texture_progress(ruler, painted, photo, style) > start + 0.1
