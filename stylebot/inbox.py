"""The inbox of Telegram updates: written before Telegram is told an update arrived, marked done
once it has been handled, replayed at start-up when it was not. And what handling an update sent,
so that a replay sends none of it twice.

Small keyword-only functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.models import Inbox, Sent, utcnow


def _insert_ignoring_known(session: AsyncSession, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, in the database's own dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).on_conflict_do_nothing()


async def store_updates(
    *, session: AsyncSession, updates: list[tuple[int, int | None, dict[str, Any]]]
) -> set[int]:
    """Keeps (update_id, user_id, payload) of each update; returns the ids that were new (an update
    Telegram delivers again after a crash is already known, done or not)."""
    if not updates:
        return set()
    ids = [update_id for update_id, _, _ in updates]
    known = set(await session.scalars(select(Inbox.update_id).where(Inbox.update_id.in_(ids))))
    fresh = [
        (update_id, user_id, payload) for update_id, user_id, payload in updates if update_id not in known
    ]
    if fresh:
        now = utcnow()
        rows = [{"update_id": u, "user_id": user, "payload": p, "received_at": now} for u, user, p in fresh]
        await session.execute(_insert_ignoring_known(session, Inbox), rows)
    return {update_id for update_id, _, _ in fresh}


async def pending_updates(*, session: AsyncSession) -> list[tuple[int, dict[str, Any]]]:
    """The updates received but not yet handled, oldest first."""
    rows = await session.execute(
        select(Inbox.update_id, Inbox.payload).where(Inbox.done_at.is_(None)).order_by(Inbox.update_id)
    )
    return [(update_id, dict(payload)) for update_id, payload in rows]


async def mark_done(*, session: AsyncSession, update_id: int) -> None:
    """The update has been handled: it will not be replayed, and what it sent is forgotten. Its
    content goes too (names, texts, captions): recognising a redelivery needs only the id."""
    await session.execute(
        update(Inbox)
        .where(Inbox.update_id == update_id, Inbox.done_at.is_(None))
        .values(done_at=utcnow(), payload={})
    )
    await session.execute(delete(Sent).where(Sent.update_id == update_id))


async def is_done(*, session: AsyncSession, update_id: int) -> bool:
    """Whether the update was handled, or is not in the inbox at all (forgotten, or purged)."""
    done = await session.execute(select(Inbox.done_at).where(Inbox.update_id == update_id))
    row = done.first()
    return row is None or row.done_at is not None


async def purge_done(*, session: AsyncSession, before: datetime) -> int:
    """Forgets updates handled before `before` (Telegram redelivers nothing older than a day)."""
    result = await session.execute(delete(Inbox).where(Inbox.done_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget_user_updates(*, session: AsyncSession, user_id: int) -> None:
    """/forget: the user's updates, handled or not, and what handling them sent."""
    theirs = select(Inbox.update_id).where(Inbox.user_id == user_id)
    await session.execute(delete(Sent).where(Sent.update_id.in_(theirs)))
    await session.execute(delete(Inbox).where(Inbox.user_id == user_id))


@dataclass(frozen=True)
class SentCall:
    method: str | None  # None: recorded before the method was kept
    response: str  # Telegram's answer, as it came


async def sent_call(*, session: AsyncSession, update_id: int, seq: int) -> SentCall | None:
    """The `seq`-th call that handling `update_id` made, and Telegram's answer, if it was made."""
    row = (
        await session.execute(
            select(Sent.method, Sent.response).where(Sent.update_id == update_id, Sent.seq == seq)
        )
    ).first()
    return SentCall(row.method, row.response) if row is not None else None


async def record_sent(*, session: AsyncSession, update_id: int, seq: int, method: str, response: str) -> None:
    await session.execute(
        _insert_ignoring_known(session, Sent).values(
            update_id=update_id, seq=seq, method=method, response=response
        )
    )


async def forget_sent(*, session: AsyncSession, update_id: int, from_seq: int) -> None:
    """Drops the calls from the `from_seq`-th on that handling `update_id` made: a replay that went
    another way than the first run makes them again, and records what they are now."""
    await session.execute(delete(Sent).where(Sent.update_id == update_id, Sent.seq >= from_seq))
