"""Database bytes per request: the pictures a request stores, now (pictures table, by hash, photos
at most 2048 px) beside the layout before (both pictures in every request's row, photos at most
4096 px), for a 12-megapixel photo sent as a photo and as a file, with a gallery style, and a rerun.

    python -m bench.request_bytes      (also part "bytes" of bench.queue_throughput)

Each request is queued the way the bot does (stylebot.images.check_upload, then
stylebot.queue.enqueue) into one fresh SQLite file, one after the other; "now" is what the pictures
table grew by. The painted result (the same in both layouts) is not counted.
"""

from __future__ import annotations

import asyncio
import io
import tempfile

from PIL import Image
from sqlalchemy import func, select

from bench.big_photos import _photo
from bot.gallery.catalogue import list_styles, picture_bytes
from stylebot import queue, users
from stylebot.choices import Strength
from stylebot.database import async_session_factory, make_async_engine
from stylebot.images import check_upload, stored_side
from stylebot.migrate import upgrade_to_head
from stylebot.models import Picture

BEFORE_SIDE = 4096  # the stored side before (stylebot.images.STORED_MAX_SIDE was 4096)
LIMIT = 150_000_000


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def pictures() -> dict[str, bytes]:
    """A 12 MP camera JPEG (as a file), and what Telegram makes of it as a photo (1280 px)."""
    camera = _photo(4032, 3024)
    as_photo = camera.resize((1280, 960), Image.Resampling.LANCZOS)
    other = _photo(4000, 3000).transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((1280, 960))
    gallery = next(b for b in map(picture_bytes, list_styles(None)) if b is not None)
    return {
        "file": _jpeg(camera, 92),
        "photo": _jpeg(as_photo, 87),
        "other photo": _jpeg(other, 87),
        "gallery": gallery,
    }


async def measure() -> list[tuple[str, int, int]]:
    """(what, bytes now, bytes before) for each request, queued one after the other."""
    sent = pictures()
    now_side, stored_now, stored_before = stored_side(None), {}, {}
    for name, data in sent.items():
        stored_now[name] = check_upload(data, max_pixels=LIMIT, max_side=now_side)[1]
        stored_before[name] = check_upload(data, max_pixels=LIMIT, max_side=BEFORE_SIDE)[1]
    steps = [
        ("12 MP as a photo, gallery style (first use)", "photo", "gallery"),
        ("another photo, the same gallery style", "other photo", "gallery"),
        ("12 MP as a file, gallery style", "file", "gallery"),
        ("Weaker rerun of that request", "file", "gallery"),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bytes.db"
        upgrade_to_head(url)
        engine = make_async_engine(url)
        sessions = async_session_factory(engine)
        for what, content, style in steps:
            async with sessions() as session:
                before = await session.scalar(select(func.coalesce(func.sum(func.length(Picture.data)), 0)))
            async with sessions.begin() as session:
                await users.upsert_user(
                    session=session, user_id=1, name="Ada", username=None, language_code=None
                )
                await queue.enqueue(
                    session=session,
                    user_id=1,
                    chat_id=1,
                    content_file_id=content,
                    content_image=stored_now[content],
                    style_file_id=style,
                    style_image=stored_now[style],
                    strength=Strength.LIGHT if what.startswith("Weaker") else Strength.MEDIUM,
                )
            async with sessions() as session:
                after = await session.scalar(select(func.sum(func.length(Picture.data))))
            old = len(stored_before[content]) + len(stored_before[style])
            rows.append((what, int(after or 0) - int(before or 0), old))
        await engine.dispose()
    return rows


def main() -> None:
    print("database bytes per request (pictures sent; the painted result not counted)")
    print(f"{'request':<46} {'now':>10} {'before':>10}")
    for what, now, before in asyncio.run(measure()):
        print(f"{what:<46} {now:>10,} {before:>10,}")


if __name__ == "__main__":
    main()
