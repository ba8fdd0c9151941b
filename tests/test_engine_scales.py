"""Canvases in buckets (engine/scales.py): shapes repeat across photos, and the margin never shows."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from engine.device import cpu_has_bfloat16
from engine.params import BUDGETS, StyleParams
from engine.scales import canvas_size, from_canvas, output_size, scale_sizes, to_canvas
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Size, Strength
from testkit.pictures import cat_photo, style_texture


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    return FeatureNet(ALL_LAYERS)


def test_canvas_sides_round_up_to_the_bucket() -> None:
    assert canvas_size(1024, 683, 64) == (1024, 704)
    assert canvas_size(724, 483, 64) == (768, 512)
    assert canvas_size(362, 241, 64) == (384, 256)  # under 512 px, multiples of 32
    assert canvas_size(64, 43, 64) == (64, 48)  # a small picture: a margin of under an eighth
    assert canvas_size(383, 255, 1) == (383, 255)  # bucket 1: the picture itself (the CPU)


def test_the_canvas_holds_the_picture_top_left_and_its_mirror_image_beyond() -> None:
    picture = torch.rand(1, 3, 27, 40)
    canvas = to_canvas(picture, (64, 32))
    assert canvas.shape == (1, 3, 32, 64)
    assert torch.equal(from_canvas(canvas, (40, 27)), picture)
    assert torch.equal(canvas[..., :27, 40], picture[..., :27, 38])  # reflected about the last column
    assert torch.equal(canvas[..., 27, :40], picture[..., 25, :])  # and about the last row
    tiny = torch.rand(1, 3, 5, 7)  # narrower than its margin: the edge is repeated instead
    assert torch.equal(to_canvas(tiny, (64, 64))[..., 63, 63], tiny[..., 4, 6])


def test_photos_of_every_aspect_ratio_share_few_shapes_on_cuda() -> None:
    """On the CUDA budget, 200 aspect ratios from 1:3 to 3:1 at both sizes need few input shapes, so
    cuDNN's per-shape preparation is paid a bounded number of times per device, not per photo."""
    budget = BUDGETS["cuda"]
    shapes: set[tuple[int, int]] = set()
    pictures = 0
    for side in (budget.max_side, budget.large_side):
        for ratio in np.geomspace(1 / 3, 3, 200):
            size = output_size(round(4000 * min(1.0, ratio)), round(4000 * min(1.0, 1 / ratio)), side)
            sizes = scale_sizes(*size)
            pictures += 1
            shapes.update(canvas_size(w, h, budget.bucket) for w, h in sizes)
    assert pictures == 400
    assert len(shapes) <= 150, len(shapes)  # without canvases: 1268 (measured)
    one_size = {canvas_size(w, h, 64) for w, h in scale_sizes(1024, 683)}
    assert one_size == {(384, 256), (512, 384), (768, 512), (1024, 704)}


def test_a_picture_made_on_canvases_is_the_size_asked_and_as_good(net: FeatureNet) -> None:
    ruler = yardstick_net()
    content, style = cat_photo(), style_texture()
    plain = StyleParams(max_side=64, steps=24, strength=Strength.STRONG)
    bucketed = StyleParams(max_side=64, steps=24, strength=Strength.STRONG, bucket=BUDGETS["cuda"].bucket)
    flat = stylize(content, style, net=net, params=plain)
    padded = stylize(content, style, net=net, params=bucketed)
    assert padded.image.size == flat.image.size == (64, 43)  # the canvas is 64×64
    errors = [measure(ruler, r.image, content, style) for r in (flat, padded)]
    # The margin is a third of this 64×43 picture (under 3 % at 1024 px), and the strength is
    # calibrated on the whole canvas: the result may sit a little further along the trade-off.
    assert errors[1].content == pytest.approx(errors[0].content, rel=0.2), errors
    assert errors[1].style == pytest.approx(errors[0].style, rel=0.2), errors


def test_bfloat16_convolutions_keep_the_yardstick(net: FeatureNet) -> None:
    """bfloat16 for the network and the Gram products, float32 losses: CUDA's precision and that of
    CPUs that run it fast, checked here whatever this CPU does: where it is emulated (a minute or
    more at the full size), on a smaller picture."""
    ruler = yardstick_net()
    side, steps = (48, 20) if cpu_has_bfloat16() else (32, 10)
    content, style = cat_photo(side), style_texture(side)
    results = {
        precision: stylize(
            content,
            style,
            net=net,
            params=StyleParams(max_side=side, steps=steps, strength=Strength.MEDIUM, precision=precision),
        )
        for precision in ("float32", "bfloat16")
    }
    errors = {p: measure(ruler, r.image, content, style) for p, r in results.items()}
    # bench/precision.py measures it at 256 px on four pairs; on a 48 px picture noise is larger.
    assert errors["bfloat16"].style == pytest.approx(errors["float32"].style, rel=0.1), errors
    assert errors["bfloat16"].content == pytest.approx(errors["float32"].content, rel=0.1), errors


def test_the_cuda_budget_runs_on_canvases_in_bfloat16() -> None:
    from engine.params import params_for
    from stylebot.settings import Settings

    cuda = params_for(torch.device("cuda"), Size.STANDARD, Settings(_env_file=None))  # type: ignore[call-arg]
    assert (cuda.bucket, cuda.precision) == (64, "bfloat16")
    assert params_for(torch.device("cpu"), Size.STANDARD, Settings(_env_file=None)).bucket == 1  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("hardware", "precisions"),
    [
        ({"_is_avx512_bf16_supported": True}, ("float32", "bfloat16")),
        ({"_is_amx_tile_supported": True}, ("float32", "bfloat16")),
        ({}, ("float32",)),  # bfloat16 emulated: not worth timing, never chosen
    ],
)
def test_the_cpu_probe_times_bfloat16_only_where_the_hardware_has_it(
    hardware: dict[str, bool], precisions: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine import device

    timed: list[tuple[torch.dtype, bool]] = []

    def seconds(dtype: torch.dtype, channels_last: bool) -> float:
        timed.append((dtype, channels_last))
        return 1.0

    for check in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"):
        has_it = functools.partial(bool, hardware.get(check, False))
        monkeypatch.setattr(torch.cpu, check, has_it, raising=False)
    monkeypatch.setattr(device, "convolution_seconds", seconds)
    device.cpu_convolution_seconds.cache_clear()
    try:
        found = device.cpu_convolution_seconds()
    finally:
        device.cpu_convolution_seconds.cache_clear()
    setups = [(precision, layout) for precision in precisions for layout in (False, True)]
    assert sorted(found) == sorted(setups) and len(timed) == len(setups)  # each timed once


# What the probe might find: bfloat16 in hardware or not, and which layout is faster.
FAST_BFLOAT16_NHWC = {
    ("float32", False): 1.0,
    ("float32", True): 0.8,
    ("bfloat16", False): 0.6,
    ("bfloat16", True): 0.5,
}
SLOW_BFLOAT16_NCHW = {
    ("float32", False): 1.0,
    ("float32", True): 1.1,
    ("bfloat16", False): 1.3,
    ("bfloat16", True): 1.4,
}
NO_BFLOAT16 = {("float32", False): 1.0, ("float32", True): 0.9}


@pytest.mark.parametrize(
    ("timed", "chosen"),
    [
        (FAST_BFLOAT16_NHWC, ("bfloat16", True)),
        (SLOW_BFLOAT16_NCHW, ("float32", False)),
        (NO_BFLOAT16, ("float32", True)),
    ],
)
def test_the_cpu_runs_the_fastest_precision_and_layout_the_probe_found(
    timed: dict[tuple[str, bool], float], chosen: tuple[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine import device
    from engine.params import params_for
    from stylebot.settings import Settings

    monkeypatch.setattr(device, "cpu_convolution_seconds", lambda: timed)
    cpu, cuda = torch.device("cpu"), torch.device("cuda")
    auto = params_for(cpu, Size.STANDARD, Settings(_env_file=None))  # type: ignore[call-arg]
    assert (auto.precision, auto.channels_last) == chosen
    # ENGINE_PRECISION overrides the precision on either device; the CPU's layout follows it.
    forced = Settings(_env_file=None, engine_precision="float32")  # type: ignore[call-arg]
    float32 = params_for(cpu, Size.STANDARD, forced)
    assert (float32.precision, float32.channels_last) == ("float32", timed[("float32", True)] < 1.0)
    assert params_for(cuda, Size.STANDARD, forced).precision == "float32"
    wanted = Settings(_env_file=None, engine_precision="bfloat16")  # type: ignore[call-arg]
    assert params_for(cpu, Size.STANDARD, wanted).precision == "bfloat16"
