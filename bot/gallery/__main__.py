"""Writes the gallery's preview picture: python -m bot.gallery docs/gallery.jpg [--folder DIR]

With --folder, DIR's pictures come first, as they do with STYLE_GALLERY_DIR=DIR.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bot.gallery import list_styles, preview


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Writes the gallery's preview picture (JPEG).")
    parser.add_argument("output", type=Path, help="where to write it, e.g. docs/gallery.jpg")
    parser.add_argument("--folder", type=Path, default=None, help="a STYLE_GALLERY_DIR to include")
    args = parser.parse_args(argv)
    styles = list_styles(args.folder)
    args.output.write_bytes(preview(styles))
    print(f"{args.output}: {len(styles)} styles: " + ", ".join(style.name for style in styles))


if __name__ == "__main__":
    main()
