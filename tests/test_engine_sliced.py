"""The sliced Wasserstein style loss (engine/sliced.py): a deterministic objective within a scale,
a seed that means something, and the strength ladder calibrated for it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.calibration import BANDS
from engine.imaging import to_tensor
from engine.losses import Targets
from engine.params import StyleParams
from engine.sliced import _quantiles
from engine.transfer import ALL_LAYERS, CONTENT_LAYERS, STYLE_LAYERS, stylize, stylize_many
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Strength, StyleLoss
from testkit.pictures import cat_photo, style_texture
from tests.test_engine_ladder import LIGHTEST_SLACK, PAIRS

SLICED = StyleParams(max_side=64, steps=30, style_loss=StyleLoss.SLICED)


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    torch.set_num_threads(1)  # one thread a test process (Makefile): more oversubscribe the cores
    return FeatureNet(ALL_LAYERS)


def _targets(net: FeatureNet, seed: int, max_positions: int = 16_384) -> Targets:
    with torch.no_grad():
        content = net(to_tensor(cat_photo(48), torch.device("cpu")))
        style = net(to_tensor(style_texture(48), torch.device("cpu")))
    return Targets(
        content,
        style,
        CONTENT_LAYERS,
        STYLE_LAYERS,
        style_loss=StyleLoss.SLICED,
        seed=seed,
        max_positions=max_positions,
    )


def test_the_objective_is_the_same_at_every_evaluation_within_a_scale(net: FeatureNet) -> None:
    # Few positions compared, so that the subset of positions is exercised too.
    targets = _targets(net, seed=3, max_positions=200)
    pixels = to_tensor(cat_photo(48), torch.device("cpu")).requires_grad_(True)
    values, grads = [], []
    for _ in range(2):
        loss = targets.style_loss(net(pixels))
        (grad,) = torch.autograd.grad(loss, pixels)
        values.append(loss.item())
        grads.append(grad)
    assert values[0] == values[1] > 0
    assert torch.equal(grads[0], grads[1])
    with torch.no_grad():
        other = _targets(net, seed=4, max_positions=200).style_loss(net(pixels)).item()
        style_itself = targets.style_loss(net(to_tensor(style_texture(48), torch.device("cpu")))).item()
    assert other != values[0]  # another seed, other directions
    assert style_itself < 0.05 * values[0]  # the style picture is (almost) at distance 0 from itself


def test_style_quantiles_are_resampled_to_the_paintings_positions() -> None:
    ordered = torch.tensor([[0.0, 1.0, 2.0, 3.0]])
    assert torch.equal(_quantiles(ordered, 4), ordered)
    assert torch.allclose(_quantiles(ordered, 2), torch.tensor([[0.5, 2.5]]))
    assert torch.allclose(_quantiles(ordered, 8)[0, [0, -1]], torch.tensor([0.0, 3.0]))


def test_a_seed_repeats_the_result_and_another_seed_changes_it(net: FeatureNet) -> None:
    params = StyleParams(max_side=48, steps=10, style_loss=StyleLoss.SLICED, seed=1)
    first, again, other = (
        np.asarray(stylize(cat_photo(48), style_texture(), net=net, params=p).image)
        for p in (params, params, StyleParams(max_side=48, steps=10, style_loss=StyleLoss.SLICED, seed=2))
    )
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_every_preset_lands_in_its_band_with_the_sliced_loss(net: FeatureNet) -> None:
    # One pair here (each costs five pictures); bench.ladder --style-loss sliced runs all ten.
    content, style = PAIRS["rocket (night) + flat tiles"]()
    ruler = yardstick_net()
    photo = measure(ruler, content, content, style, style_loss=StyleLoss.SLICED)
    results = stylize_many(content, style, net=net, params=SLICED, strengths=list(Strength))
    reached = {}
    for result in results:
        errors = measure(ruler, result.image, content, style, style_loss=StyleLoss.SLICED)
        reached[result.strength] = round(1 - errors.style / photo.style, 3)
    for strength, progress in reached.items():
        low, high = BANDS[Strength(strength)]
        slack = LIGHTEST_SLACK if strength == Strength.LIGHTEST else 0.0
        assert low - slack <= progress <= high + slack, (strength, reached)
