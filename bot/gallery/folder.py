"""The owner's style gallery: the pictures in STYLE_GALLERY_DIR, offered as buttons by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_FOLDER_STYLES = 12  # buttons after the content photo; more would bury the chat


@dataclass(frozen=True)
class GalleryStyle:
    name: str  # shown on the button: "starry_night.jpg" -> "Starry night"; a built-in's English name
    key: str  # in the callback data: stable while the file keeps its name, or the built-in's slug
    path: Path | None = None  # a picture in the folder
    slug: str | None = None  # a built-in style (bot.gallery.artwork): "stained_glass"


def _name(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words)[:40].capitalize() or path.name


def _key(path: Path) -> str:
    # Ten hex digits; a built-in's key has other letters, so the two never meet.
    return hashlib.sha1(path.name.encode()).hexdigest()[:10]


def folder_styles(folder: Path | None) -> list[GalleryStyle]:
    """The folder's pictures in name order; none when there is no folder or it cannot be read."""
    if folder is None or not folder.is_dir():
        return []
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        return []
    return [GalleryStyle(_name(p), _key(p), path=p) for p in files[:MAX_FOLDER_STYLES]]
