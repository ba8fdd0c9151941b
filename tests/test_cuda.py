"""The engine on a CUDA device: skipped where there is none (bench/gpu.py measures its speed there).

What runs only on a GPU: channels_last bfloat16 weights with cuDNN, canvases with
cudnn.benchmark, the free-memory cap, the warm-up. Small pictures, as everywhere in the suite.
"""

from __future__ import annotations

import pytest
import torch

from engine.device import configure, resolve_device
from engine.params import StyleParams, params_for
from engine.scales import canvas_size, scale_sizes
from engine.transfer import ALL_LAYERS, fit_to_memory, stylize, stylize_many
from engine.vgg import FeatureNet, load_feature_net
from engine.warmup import shapes_for, warm_up
from engine.yardstick import measure, yardstick_net
from stylebot.choices import Size, Strength
from stylebot.settings import Settings
from testkit.pictures import cat_photo, style_texture

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@pytest.fixture(scope="module")
def device() -> torch.device:
    device = resolve_device("cuda")
    configure(device)
    return device


@pytest.fixture(scope="module")
def net(device: torch.device) -> FeatureNet:
    return load_feature_net(ALL_LAYERS, device=device)


def cuda_params(device: torch.device, **overrides: object) -> StyleParams:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return params_for(device, Size.STANDARD, settings, **{"max_side": 64, "steps": 24, **overrides})


def test_the_network_runs_channels_last_in_bfloat16_on_cuda(net: FeatureNet, device: torch.device) -> None:
    params = cuda_params(device)
    assert (params.precision, params.channels_last) == ("bfloat16", True)
    conv = net.body_for(torch.bfloat16, channels_last=True)[0]
    assert conv.weight.device.type == "cuda" and conv.weight.dtype == torch.bfloat16
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    assert torch.backends.cudnn.benchmark


def test_a_cuda_picture_matches_the_cpu_one_on_the_yardstick(net: FeatureNet, device: torch.device) -> None:
    content, style = cat_photo(), style_texture()
    params = cuda_params(device, strength=Strength.STRONG)
    assert (params.bucket, params.precision) == (64, "bfloat16")
    on_gpu = stylize(content, style, net=net, params=params)
    assert on_gpu.image.size == (64, 43) and on_gpu.device.startswith("cuda")
    on_cpu = stylize(
        content,
        style,
        net=FeatureNet(ALL_LAYERS),
        params=StyleParams(max_side=64, steps=24, strength=Strength.STRONG),
    )
    ruler = yardstick_net()
    gpu_errors, cpu_errors = (measure(ruler, r.image, content, style) for r in (on_gpu, on_cpu))
    assert gpu_errors.style == pytest.approx(cpu_errors.style, rel=0.15), (gpu_errors, cpu_errors)
    assert gpu_errors.content == pytest.approx(cpu_errors.content, rel=0.15), (gpu_errors, cpu_errors)


def test_several_strengths_in_one_call_on_cuda(net: FeatureNet, device: torch.device) -> None:
    results = stylize_many(
        cat_photo(),
        style_texture(),
        net=net,
        params=cuda_params(device),
        strengths=[Strength.LIGHT, Strength.MEDIUM, Strength.STRONG],
    )
    progress = [r.style_progress for r in results]
    assert progress == sorted(progress) and all(r.image.size == (64, 43) for r in results)


def test_the_size_fits_the_free_memory(device: torch.device) -> None:
    free, _ = torch.cuda.mem_get_info(device)
    assert fit_to_memory(64, 43, device) == (64, 43)
    huge = fit_to_memory(200_000, 100_000, device)  # 20 gigapixels cannot fit any GPU
    assert huge[0] * huge[1] * 8_000 <= free and huge[0] / huge[1] == pytest.approx(2, rel=0.01)


def test_the_warm_up_covers_the_shapes_of_common_photos(net: FeatureNet, device: torch.device) -> None:
    params = cuda_params(device, max_side=128)
    shapes = shapes_for(params)
    assert {canvas_size(w, h, 64) for w, h in scale_sizes(128, 96)} <= shapes  # a 4:3 photo
    seen: set[tuple[int, int]] = set()  # the (width, height) of every picture the network saw
    hook = net.register_forward_pre_hook(lambda _, args: seen.add((args[0].shape[-1], args[0].shape[-2])))
    try:
        warm_up(net, params)
    finally:
        hook.remove()
    assert seen == shapes
