"""Styles to pick instead of sending one: built-in pictures drawn in code, and the owner's folder.

    from bot import gallery
    styles = gallery.list_styles(settings.style_gallery_dir)   # in button order
    gallery.preview(styles)                                     # JPEG: numbered thumbnails
    gallery.read_style(settings.style_gallery_dir, key)         # (style, bytes) or None

All of them read files or draw: call them through asyncio.to_thread.
"""

from bot.gallery.catalogue import list_styles, picture_bytes, read_style
from bot.gallery.folder import GalleryStyle
from bot.gallery.preview import grid, preview

__all__ = ["GalleryStyle", "grid", "list_styles", "picture_bytes", "preview", "read_style"]
