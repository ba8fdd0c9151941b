"""Requests as a worker leaves them, written straight into the database: for tests and load runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from stylebot.choices import OFFERED_STRENGTHS
from stylebot.models import Request, Variant, utcnow
from stylebot.models import User as UserRow
from stylebot.wakeups import EVENTS, notify_after, notify_within
from testkit.pictures import CAT, WAVES, cat_photo, jpeg_bytes


def insert_done_request(
    database_url: str,
    *,
    user_id: int,
    size: tuple[int, int] = (64, 43),
    strength: str = "medium",
    pictures: bool = True,
    seconds: float = 20.0,
    style_name: str | None = None,
    style_file_id: str = "style-file",
    compare: bool = False,
) -> int:
    """A request a worker has finished (in `seconds`) and the bot has not yet delivered; with
    `compare`, its three strengths side by side. Announced as a worker announces it: the bot's
    notifier wakes at once (a bot with wake-ups off finds it at its next poll)."""
    engine = create_engine(database_url)
    finished = utcnow()
    with Session(engine) as session, session.begin():
        if session.get(UserRow, user_id) is None:
            session.add(UserRow(id=user_id, name="Ada"))
            session.flush()
        request = Request(
            user_id=user_id,
            chat_id=user_id,
            content_file_id="content-file",
            content_image=CAT if pictures else None,
            style_file_id=style_file_id,
            style_image=WAVES if pictures else None,
            style_name=style_name,
            compare=compare,
            strength=strength,
            status="done",
            result_image=jpeg_bytes(cat_photo().resize(size)),
            output_width=size[0],
            output_height=size[1],
            engine_seconds=seconds - 1,
            created_at=finished - timedelta(seconds=seconds + 1),
            started_at=finished - timedelta(seconds=seconds),
            finished_at=finished,
        )
        session.add(request)
        session.flush()
        request_id = request.id
        if compare:
            for shade, strength_of in enumerate(OFFERED_STRENGTHS):
                picture = cat_photo().resize(size).point(lambda v, s=shade: min(255, v + 40 * s))
                session.add(
                    Variant(
                        request_id=request_id,
                        strength=strength_of,
                        image=jpeg_bytes(picture),
                        width=size[0],
                        height=size[1],
                    )
                )
        notify_within(session.connection(), EVENTS)
    notify_after(engine, EVENTS)
    engine.dispose()
    return request_id
