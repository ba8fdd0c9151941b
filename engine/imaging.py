"""Between PIL pictures and tensors: conversion, resizing to a pixel count, keeping the photo's colours."""

from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image


def to_tensor(image: Image.Image, device: torch.device) -> torch.Tensor:
    """PIL RGB -> (1, 3, H, W) float in 0..1."""
    array = np.asarray(image, dtype=np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).to(device)


def to_image(tensor: torch.Tensor) -> Image.Image:
    """(1, 3, H, W) in 0..1 -> PIL RGB."""
    array = tensor.detach().clamp(0, 1).squeeze(0).permute(1, 2, 0).mul(255).round().byte().cpu().numpy()
    return Image.fromarray(array, "RGB")


def resize_to_pixels(image: Image.Image, pixels: int) -> Image.Image:
    """Resizes keeping the aspect ratio so that width*height is about `pixels`."""
    factor = math.sqrt(pixels / (image.width * image.height))
    size = (max(16, round(image.width * factor)), max(16, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def keep_content_colours(output: Image.Image, content: Image.Image) -> Image.Image:
    """Luminance from the output, colour (Cb, Cr) from the content."""
    y, _, _ = output.convert("YCbCr").split()
    _, cb, cr = content.resize(output.size, Image.Resampling.LANCZOS).convert("YCbCr").split()
    return Image.merge("YCbCr", (y, cb, cr)).convert("RGB")


# Added to each colour covariance (in 0..1 units², a spread of about 8 levels in 255): a greyscale
# or near-grey photo has almost no spread across hues, and whitening that without a floor would
# blow JPEG noise up into coloured speckle.
COLOUR_FLOOR = 1e-3


def toward_colours(picture: torch.Tensor, palette: torch.Tensor, amount: float) -> torch.Tensor:
    """`picture` (1, 3, H, W) with its colour mean and covariance moved `amount` (0..1) of the way
    to those of `palette`: one affine map of RGB, clipped to 0..1."""
    pixels, others = picture.reshape(3, -1), palette.reshape(3, -1)
    mean, other_mean = pixels.mean(1, keepdim=True), others.mean(1, keepdim=True)
    moved = _covariance_power(others, 0.5) @ _covariance_power(pixels, -0.5) @ (pixels - mean) + other_mean
    return torch.lerp(pixels, moved, amount).reshape(picture.shape).clamp(0, 1)


def _covariance_power(pixels: torch.Tensor, exponent: float) -> torch.Tensor:
    """The (3, 3) colour covariance of `pixels` (3, N), floored, to the power `exponent`."""
    floor = COLOUR_FLOOR * torch.eye(3, device=pixels.device)
    values, vectors = torch.linalg.eigh(torch.cov(pixels) + floor)
    return vectors @ torch.diag(values.pow(exponent)) @ vectors.T
