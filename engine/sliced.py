"""The sliced Wasserstein style loss (Heitz, Vanhoey, Chambon and Belcour, "A Sliced Wasserstein
Loss for Neural Texture Synthesis", CVPR 2021), written from the paper.

A Gram matrix matches only second-order statistics of a layer's features; two different textures
can share them. The sliced Wasserstein distance compares the whole distribution: the features at
every position are projected on random unit directions, each projection's values are sorted, and
the sorted values are compared with the style picture's (the 1-D optimal transport is the sorting).

Departures from the paper, for L-BFGS and for speed on a CPU:
- the directions are drawn once per scale from a seeded generator (the paper draws new ones at
  every step); L-BFGS needs a deterministic objective, and a new scale draws new ones;
- on large layers a fixed random subset of positions is compared (the paper uses all), and deep
  layers are projected on fewer directions than they have channels (the paper: as many); sorting
  is most of the loss's time on a CPU, and both cut what is sorted;
- when the painting and the style picture have a different number of positions (brush sizes),
  the style's sorted values are resampled to the painting's count (its quantiles);
- each layer's distance is divided by the mean square of the style's projections, so that a
  weight means the same on every layer and at every size, as the Gram errors are (engine/losses.py).
"""

from __future__ import annotations

import torch


class SlicedStyle:
    """The style term of one scale: each style layer's relative sliced Wasserstein distance."""

    def __init__(
        self,
        style: dict[str, torch.Tensor],
        layers: tuple[str, ...],
        *,
        seed: int,
        max_positions: int,
        max_directions: int,
    ) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.seed, self.max_positions = seed, max_positions
        self.directions: dict[str, torch.Tensor] = {}
        self.style_sorted: dict[str, torch.Tensor] = {}  # (directions, positions) of the style, sorted
        self.norm: dict[str, torch.Tensor] = {}
        # Per layer, for the painting's number of positions: the subset compared, and the style's
        # sorted projections resampled to that subset's size.
        self._compared: dict[tuple[str, int], tuple[torch.Tensor | None, torch.Tensor]] = {}
        for name in layers:
            flat = _flat(style[name])  # (C, N)
            channels = flat.shape[0]
            directions = torch.randn(channels, min(channels, max_directions), generator=generator)
            directions = (directions / directions.norm(dim=0, keepdim=True)).to(flat.device)
            self.directions[name] = directions  # (C, K): one unit direction per column
            projected = directions.T @ flat  # (K, N)
            self.style_sorted[name] = projected.sort(dim=1).values
            self.norm[name] = projected.pow(2).mean().clamp_min(1e-8)

    def _compare(self, name: str, positions: int) -> tuple[torch.Tensor | None, torch.Tensor]:
        """The subset of a painting's `positions` compared on layer `name` (None: all), drawn from
        the seed and fixed from then on, and the style's sorted projections at as many quantiles."""
        key = (name, positions)
        if key not in self._compared:
            style = self.style_sorted[name]
            chosen = None
            if positions > self.max_positions:
                generator = torch.Generator().manual_seed(self.seed + positions)
                chosen = torch.randperm(positions, generator=generator)[: self.max_positions]
                chosen = chosen.to(style.device)
            count = positions if chosen is None else self.max_positions
            self._compared[key] = (chosen, _quantiles(style, count))
        return self._compared[key]

    def errors(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        """(layers,): each layer's mean squared difference of sorted projections, relative."""
        out = []
        for name, directions in self.directions.items():
            flat = _flat(features[name])
            chosen, target = self._compare(name, flat.shape[1])
            if chosen is not None:
                flat = flat[:, chosen]
            projected = (directions.T @ flat).sort(dim=1).values
            out.append((projected - target).pow(2).mean() / self.norm[name])
        return torch.stack(out)


def _flat(features: torch.Tensor) -> torch.Tensor:
    """(1, C, H, W) -> (C, H*W) in float32."""
    return features.reshape(features.shape[1], -1).float()


def _quantiles(ordered: torch.Tensor, count: int) -> torch.Tensor:
    """(K, N) sorted rows -> (K, count): each row's values at `count` evenly spaced quantiles."""
    n = ordered.shape[1]
    if n == count:
        return ordered
    where = ((torch.arange(count, device=ordered.device) + 0.5) * n / count - 0.5).clamp(0, n - 1)
    below = where.floor().long()
    above = (below + 1).clamp(max=n - 1)
    share = (where - below).to(ordered.dtype)
    return torch.lerp(ordered[:, below], ordered[:, above], share)
