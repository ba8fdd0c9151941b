"""Where queued requests stand in the workers' claim order (stylebot.queue): a request's place, the
queue's head and depth. Each is a walk along ix_requests_queue that ends where it should, so a place
near the front costs next to nothing however long the queue is.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from stylebot.models import Request, Status
from stylebot.queue import queue_order


async def queue_position(*, session: AsyncSession, request_id: int) -> int:
    """1 for the next job to start, in the order the workers claim (fair, not first come); 0 when
    the request is no longer queued."""
    return (await queue_positions(session=session, request_ids=[request_id])).get(request_id, 0)


async def queue_positions(*, session: AsyncSession, request_ids: Collection[int]) -> dict[int, int]:
    """The places (1 = next) of those of `request_ids` that are queued, in the workers' claim order.

    Each is a count along ix_requests_queue up to the request, never beyond it: next to nothing
    near the head of the queue, proportional to the place further back.
    """
    if not request_ids:
        return {}
    target = aliased(Request)

    def count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        query = select(func.count()).select_from(Request).where(Request.status == Status.QUEUED, *where)
        return query.scalar_subquery()

    # Two ranges of the index, each ending where it should. One row comparison, (round, id) <
    # (r, i), would not: PostgreSQL ends that scan only when the round changes.
    ahead = count(Request.queue_round < target.queue_round) + count(
        Request.queue_round == target.queue_round, Request.id < target.id
    )
    rows = await session.execute(
        select(target.id, ahead).where(target.id.in_(request_ids), target.status == Status.QUEUED)
    )
    return {request_id: before + 1 for request_id, before in rows}


async def queue_head(*, session: AsyncSession, limit: int) -> list[int]:
    """The next `limit` queued request ids, in the order the workers will take them."""
    return list(await session.scalars(queue_order().limit(limit)))


async def queue_depth(*, session: AsyncSession) -> int:
    """How many requests are queued (a count along an index, proportional to the depth)."""
    count = await session.scalar(
        select(func.count()).select_from(Request).where(Request.status == Status.QUEUED)
    )
    return int(count or 0)
