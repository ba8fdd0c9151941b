"""The step budget grows with the style asked for (engine.scales.picture_steps): the strongest preset
runs more L-BFGS evaluations than strong (strong too at a coarse brush), its work and a queued
strongest job's estimate count them, and the optional stop rule ends a scale whose objective has gone flat."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from engine import optimise
from engine.calibration import Goal
from engine.losses import Targets
from engine.params import StyleParams
from engine.scales import output_size, picture_steps, scale_sizes, step_schedule
from engine.transfer import ALL_LAYERS, stylize, stylize_many
from engine.vgg import FeatureNet
from engine.watching import probe
from engine.work import TYPICAL_PHOTO, job_work, typical_work
from stylebot import estimates
from stylebot.choices import OFFERED_STRENGTHS, Brush, Size, Strength
from stylebot.database import make_async_engine, make_engine
from stylebot.estimates import Speed
from stylebot.models import utcnow
from testkit.pictures import cat_photo, style_texture

SIDE = 64


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    return FeatureNet(ALL_LAYERS)


def _scales(photo: Image.Image, params: StyleParams) -> int:
    return len(scale_sizes(*output_size(photo.width, photo.height, params.max_side)))


def test_the_strongest_preset_runs_more_steps_than_strong(net: FeatureNet) -> None:
    params = StyleParams(max_side=SIDE, steps=8)
    photo = cat_photo(SIDE)
    strong, strongest = stylize_many(
        photo, style_texture(SIDE), net=net, params=params, strengths=[Strength.STRONG, Strength.STRONGEST]
    )
    scales = _scales(photo, params)
    # Every scale ran its whole share: the stop rule is off by default.
    assert strong.iterations == step_schedule(params, Strength.STRONG, scales)
    assert strongest.iterations == step_schedule(params, Strength.STRONGEST, scales)
    assert sum(strong.iterations) == params.steps
    assert sum(strongest.iterations) == round(params.steps * params.strong_step_factor)


def test_the_stop_rule_ends_a_scale_whose_objective_is_flat(
    net: FeatureNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = optimise.objective

    def flat(
        net: FeatureNet, pixels: torch.Tensor, targets: Targets, goal: Goal, params: StyleParams
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The real objective plus a constant that dwarfs it: the same gradient, but each step's
        fall is a vanishing share of the whole."""
        loss, style_err = real(net, pixels, targets, goal, params)
        return loss + 1e4, style_err

    monkeypatch.setattr(optimise, "objective", flat)
    params = StyleParams(max_side=SIDE, steps=40, strength=Strength.STRONG)
    photo, style = cat_photo(SIDE), style_texture(SIDE)
    planned = step_schedule(params, params.strength, _scales(photo, params))
    stopped = stylize(photo, style, net=net, params=replace(params, stop_when_flat=True))
    # Each scale stopped early, but not before half its share.
    for used, share in zip(stopped.iterations, planned, strict=True):
        assert 2 * used >= share and used < share
    assert stylize(photo, style, net=net, params=params).iterations == planned  # off: the whole share


def test_strong_runs_more_steps_at_a_coarse_brush() -> None:
    params = StyleParams(max_side=384, steps=45)
    more = round(params.steps * params.strong_step_factor)
    for brush in Brush:
        at = replace(params, brush=brush)
        assert picture_steps(at, Strength.STRONG) == (more if brush is Brush.COARSE else params.steps)
        assert picture_steps(at, Strength.MEDIUM) == params.steps
        assert picture_steps(at, Strength.STRONGEST) == more
    # ... and a coarse strong job's work (what its estimate follows) counts them.
    coarse = job_work(*TYPICAL_PHOTO, replace(params, brush=Brush.COARSE), [Strength.STRONG])
    assert coarse == pytest.approx(
        params.strong_step_factor * job_work(*TYPICAL_PHOTO, params, [Strength.STRONG]), rel=0.03
    )


async def test_a_strongest_job_is_estimated_at_its_own_steps(sqlite_url: str) -> None:
    params = StyleParams(max_side=384, steps=45)
    factor = params.strong_step_factor
    strongest = job_work(*TYPICAL_PHOTO, params, [Strength.STRONGEST])
    strong = job_work(*TYPICAL_PHOTO, params, [Strength.STRONG])
    assert strongest == pytest.approx(factor * strong, rel=0.03)  # up to the split's rounding
    assert job_work(*TYPICAL_PHOTO, params, OFFERED_STRENGTHS) == pytest.approx(
        sum(job_work(*TYPICAL_PHOTO, params, [s]) for s in OFFERED_STRENGTHS)
    )

    # A worker's probe records a typical picture's work at every strength; a queued job's
    # estimate, before its photo is read, is the one at its own strength.
    engine = make_engine(sqlite_url)
    try:
        probe(engine, device="cpu", paint=lambda *_: None, params_of=lambda size: params)
    finally:
        engine.dispose()
    async_engine = make_async_engine(sqlite_url)
    try:
        async with AsyncSession(async_engine) as session:
            speeds = await estimates.load(session)
    finally:
        await async_engine.dispose()

    def queued(strength: Strength, compare: bool = False, brush: Brush = Brush.MEDIUM) -> float:
        seconds = speeds.job_seconds(size=Size.STANDARD, compare=compare, strength=strength, brush=brush)
        assert seconds is not None
        return seconds

    assert queued(Strength.STRONGEST) == pytest.approx(factor * queued(Strength.STRONG), rel=0.03)
    assert queued(Strength.STRONG) == pytest.approx(queued(Strength.MEDIUM), rel=0.03)
    speed = speeds.by_device[("cpu", Size.STANDARD)].work_per_second
    assert queued(Strength.MEDIUM) == pytest.approx(typical_work(params) / speed)
    assert queued(Strength.STRONGEST, compare=True) == pytest.approx(
        sum(queued(s) for s in OFFERED_STRENGTHS)
    )
    # Strong at a coarse brush runs the strongest's steps (StyleParams.strong_from_coarse), and is
    # told so; the other brushes and strengths keep their time.
    coarse_strong = queued(Strength.STRONG, brush=Brush.COARSE)
    assert coarse_strong == pytest.approx(factor * queued(Strength.STRONG), rel=0.03)
    assert queued(Strength.MEDIUM, brush=Brush.COARSE) == pytest.approx(queued(Strength.MEDIUM))
    assert queued(Strength.STRONG, brush=Brush.FINE) == pytest.approx(queued(Strength.STRONG))
    # A row a worker wrote before brushes were keyed: the strength's work stands for every brush.
    older = Speed(speed, 1.0, utcnow(), {"strong": 2.0})
    assert older.picture_work(Strength.STRONG, Brush.COARSE) == 2.0
    assert older.picture_work(Strength.LIGHT, Brush.COARSE) == 1.0
