"""The picture so far of a running job: the worker stores the latest (a small JPEG), the bot's
notifier shows it in the status message. A row lives while its job runs; the worker deletes it
when the job ends, whatever the outcome.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import Preview, Request, utcnow


def store(engine: Engine, *, request_id: int, image: bytes) -> None:
    """Keeps `image` as the job's latest preview (a newer version than the one before)."""
    values = {"image": image, "made_at": utcnow()}
    with engine.begin() as conn:
        changed = conn.execute(
            update(Preview)
            .where(Preview.request_id == request_id)
            .values(version=Preview.version + 1, **values)
        )
        if changed.rowcount:
            return
    try:
        with engine.begin() as conn:
            conn.execute(insert(Preview).values(request_id=request_id, version=1, **values))
    except IntegrityError:  # written meanwhile (a second worker on a reclaimed job): the next one wins
        pass


def forget(engine: Engine, *, request_id: int) -> None:
    """The job has ended: its preview is no longer shown."""
    with engine.begin() as conn:
        conn.execute(delete(Preview).where(Preview.request_id == request_id))


@dataclass(frozen=True)
class Shown:
    """What the bot needs to decide on an edit: which picture is the latest, and whether the status
    message is a photo already."""

    request_id: int
    version: int
    status_photo: bool


async def latest(*, session: AsyncSession, request_ids: list[int]) -> dict[int, Shown]:
    """The latest preview's version of each of these requests that has one (no pictures read)."""
    if not request_ids:
        return {}
    rows = await session.execute(
        select(Preview.request_id, Preview.version, Preview.status_photo).where(
            Preview.request_id.in_(request_ids)
        )
    )
    return {row.request_id: Shown(**row._mapping) for row in rows}


async def image(*, session: AsyncSession, request_id: int) -> tuple[int, bytes] | None:
    """(version, JPEG) of the latest preview, or None when the job has ended."""
    row = (
        await session.execute(select(Preview.version, Preview.image).where(Preview.request_id == request_id))
    ).first()
    return None if row is None else (row.version, row.image)


async def mark_status_photo(*, session: AsyncSession, request_id: int, message_id: int) -> None:
    """The status message is now the photo `message_id` (the text one was replaced)."""
    await session.execute(update(Preview).where(Preview.request_id == request_id).values(status_photo=True))
    await session.execute(
        update(Request).where(Request.id == request_id).values(status_message_id=message_id)
    )
