"""The owner's style gallery: the pictures in STYLE_GALLERY_DIR, offered as buttons by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_STYLES = 12  # buttons after the content photo; more would bury the chat


@dataclass(frozen=True)
class GalleryStyle:
    name: str  # shown on the button: "starry_night.jpg" -> "Starry night"
    key: str  # in the callback data: stable while the file keeps its name
    path: Path


def _name(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words)[:40].capitalize() or path.name


def _key(path: Path) -> str:
    return hashlib.sha1(path.name.encode()).hexdigest()[:10]


def list_styles(folder: Path | None) -> list[GalleryStyle]:
    """The gallery's pictures in name order; none when there is no gallery or it cannot be read."""
    if folder is None or not folder.is_dir():
        return []
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        return []
    return [GalleryStyle(_name(p), _key(p), p) for p in files[:MAX_STYLES]]


def read_style(folder: Path | None, key: str) -> tuple[GalleryStyle, bytes] | None:
    """The style with `key` and its bytes; None if it is no longer there."""
    for style in list_styles(folder):
        if style.key == key:
            try:
                return style, style.path.read_bytes()
            except OSError:
                return None
    return None
