"""The fair order fixed at enqueue (requests.queue_round): claims, positions, concurrent queueing, and
the migration that gave existing queued requests their round. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, select, update

from stylebot import delivery, positions, queue, results, submissions
from stylebot.columns import UtcDateTime
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.migrate import alembic_config
from stylebot.models import Request, Status, utcnow
from testkit.queueing import queue_requests

LEASE = 30


def claim(engine: Engine, worker: str = "w") -> int | None:
    job = queue.claim_next_job(engine, worker=worker, lease_seconds=LEASE, max_attempts=3)
    return None if job is None else job.id


def claim_and_finish(engine: Engine) -> int | None:
    job_id = claim(engine)
    if job_id is not None:
        assert results.finish_done(
            engine, job_id=job_id, worker="w", result_image=b"r", width=1, height=1, device="cpu", seconds=0.0
        )
    return job_id


def claim_all(engine: Engine) -> list[int]:
    order = []
    while (job_id := claim_and_finish(engine)) is not None:
        order.append(job_id)
    return order


def queued_in_order(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(queue.queue_order()))


def test_a_newcomer_goes_before_the_second_requests_of_those_already_waiting(database_url: str) -> None:
    engine = make_engine(database_url)
    ada = queue_requests(database_url, user_id=1, count=2)
    bob = queue_requests(database_url, user_id=2, count=2)
    assert claim_and_finish(engine) == ada[0]
    cy = queue_requests(database_url, user_id=3, count=1)
    expected = [bob[0], *cy, ada[1], bob[1]]
    assert queued_in_order(engine) == expected
    assert claim_all(engine) == expected
    engine.dispose()


def test_a_job_handed_back_or_abandoned_keeps_its_place(database_url: str) -> None:
    engine = make_engine(database_url)
    ada = queue_requests(database_url, user_id=1, count=2)
    bob = queue_requests(database_url, user_id=2, count=2)
    assert claim(engine, "stopping") == ada[0]
    assert claim(engine, "vanished") == bob[0]
    cy = queue_requests(database_url, user_id=3, count=1)
    assert queue.release(engine, job_id=ada[0], worker="stopping")
    with engine.begin() as conn:  # bob's worker stopped writing heartbeats
        conn.execute(
            update(Request)
            .where(Request.id == bob[0])
            .values(heartbeat_at=utcnow() - timedelta(seconds=LEASE + 1))
        )
    assert claim_all(engine) == [ada[0], bob[0], *cy, ada[1], bob[1]]
    engine.dispose()


def test_positions_head_and_depth_follow_the_claim_order(database_url: str) -> None:
    engine = make_engine(database_url)
    for user_id, count in ((1, 3), (2, 1), (3, 2), (4, 1)):
        queue_requests(database_url, user_id=user_id, count=count)
    claim_and_finish(engine)
    queue_requests(database_url, user_id=5, count=2)
    order = queued_in_order(engine)

    async def look() -> tuple[dict[int, int], list[int], int, dict[int, int]]:
        async_engine = make_async_engine(database_url)
        async with async_session_factory(async_engine)() as session:
            places = await positions.queue_positions(session=session, request_ids=[*order, 10_000])
            head = await positions.queue_head(session=session, limit=3)
            depth = await positions.queue_depth(session=session)
            some = await positions.queue_positions(session=session, request_ids=order[4:6])
        await async_engine.dispose()
        return places, head, depth, some

    places, head, depth, some = asyncio.run(look())
    assert places == {request_id: place for place, request_id in enumerate(order, start=1)}
    assert head == order[:3] and depth == len(order) == 8
    assert some == {order[4]: 5, order[5]: 6}
    assert claim_all(engine) == order  # the places shown are the order the workers take
    engine.dispose()


def test_one_user_s_requests_queued_at_the_same_moment_take_one_round_each(database_url: str) -> None:
    queue_requests(database_url, user_id=1, count=1)  # records the user
    engine = make_engine(database_url)
    assert claim(engine) is not None  # running: the user's next requests start at round 1

    async def queue_at_once(count: int) -> None:
        async_engine = make_async_engine(database_url)
        sessions = async_session_factory(async_engine)

        async def one() -> None:
            async with sessions.begin() as session:
                await queue.enqueue(
                    session=session,
                    user_id=1,
                    chat_id=1,
                    content_file_id="c",
                    content_image=b"c",
                    style_file_id="s",
                    style_image=b"s",
                    strength="medium",
                    status_message_id=None,
                )
                await asyncio.sleep(0.05)  # hold the transaction open while the others try

        await asyncio.gather(*(one() for _ in range(count)))
        await async_engine.dispose()

    asyncio.run(queue_at_once(6))
    with engine.connect() as conn:
        rounds = list(
            conn.scalars(
                select(Request.queue_round).where(Request.status == Status.QUEUED).order_by(Request.id)
            )
        )
    assert rounds == [1, 2, 3, 4, 5, 6]  # each its own round, in the order they were inserted
    engine.dispose()


def test_finished_running_and_queued_requests_are_found_apart(database_url: str) -> None:
    engine = make_engine(database_url)
    ada = queue_requests(database_url, user_id=1, count=3)
    bob = queue_requests(database_url, user_id=2, count=2)
    cy = queue_requests(database_url, user_id=3, count=2)
    [dan] = queue_requests(database_url, user_id=4, count=1)
    assert claim_and_finish(engine) == ada[0]  # done
    assert claim(engine) == bob[0] and results.finish_failed(engine, job_id=bob[0], worker="w", error="x")
    assert claim(engine) == cy[0]  # running
    assert claim_and_finish(engine) == dan  # done, and delivered below
    with engine.begin() as conn:
        conn.execute(update(Request).where(Request.id.in_([bob[1], cy[1]])).values(status_message_id=7))

    async def look() -> tuple[list[list[int]], list[list[tuple[int, int]]]]:
        async_engine = make_async_engine(database_url)
        async with async_session_factory(async_engine).begin() as session:
            await delivery.mark_delivered(session=session, request_id=dan, result_message_id=8)
            assert await submissions.cancel_request(session=session, request_id=ada[1], user_id=1) is not None
        async with async_session_factory(async_engine)() as session:
            found = [
                await delivery.finished_undelivered(session=session, limit=10),
                await delivery.finished_undelivered(session=session, limit=1),
                await delivery.running_undelivered(session=session),
            ]
            windows = [
                await delivery.queue_window(session=session, start=1, limit=10),
                await delivery.queue_window(session=session, start=2, limit=1),
            ]
        await async_engine.dispose()
        return (
            [[request.id for request in requests] for requests in found],
            [[(place, request.id) for place, request in window] for window in windows],
        )

    # Queued, in order: bob[1], cy[1], ada[2] (no status message); ada[1] was cancelled.
    assert asyncio.run(look()) == (
        [[ada[0], bob[0]], [ada[0]], [cy[0]]],
        [[(1, bob[1]), (2, cy[1])], [(2, cy[1])]],
    )
    engine.dispose()


def test_the_migration_gives_queued_requests_their_old_fair_order(database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "0004")
    engine = make_engine(database_url)
    users = sa.table("users", sa.column("id"), sa.column("name"), *_times("first_seen", "last_seen"))
    requests = sa.table(
        "requests",
        *(sa.column(name) for name in ("id", "user_id", "chat_id", "content_file_id", "style_file_id")),
        *(sa.column(name) for name in ("strength", "status", "progress", "attempts")),
        *_times("created_at", "started_at"),
    )
    t0 = utcnow() - timedelta(minutes=10)
    # Ada: one running, then three queued; Bob: two queued; Cy: one done, then one queued.
    rows = [
        (1, 1, Status.RUNNING, 0),
        (2, 1, Status.QUEUED, 1),
        (3, 1, Status.QUEUED, 2),
        (4, 1, Status.QUEUED, 3),
        (5, 2, Status.QUEUED, 4),
        (6, 2, Status.QUEUED, 5),
        (7, 3, Status.DONE, 0),
        (8, 3, Status.QUEUED, 6),
    ]
    with engine.begin() as conn:
        conn.execute(
            users.insert(), [{"id": u, "name": f"u{u}", "first_seen": t0, "last_seen": t0} for u in (1, 2, 3)]
        )
        conn.execute(
            requests.insert(),
            [
                {
                    "id": request_id,
                    "user_id": user_id,
                    "chat_id": user_id,
                    "content_file_id": "c",
                    "style_file_id": "s",
                    "strength": "medium",
                    "status": status,
                    "progress": 0.0,
                    "attempts": int(status != Status.QUEUED),
                    "created_at": t0 + timedelta(seconds=second),
                    "started_at": None if status == Status.QUEUED else t0,
                }
                for request_id, user_id, status, second in rows
            ],
        )
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequence past them
            conn.execute(sa.text("SELECT setval('requests_id_seq', 8)"))
    command.upgrade(config, "head")
    # What the old claim computed: each user's place in their own line, then how long they waited.
    assert queued_in_order(engine) == [5, 8, 2, 6, 3, 4]
    [dan] = queue_requests(database_url, user_id=4, count=1)  # a newcomer: round 0, after Bob and Cy
    assert queued_in_order(engine) == [5, 8, dan, 2, 6, 3, 4]
    command.downgrade(config, "0004")  # and back: the downgrade works on a filled table
    command.upgrade(config, "head")
    engine.dispose()


def _times(*names: str) -> list[sa.ColumnClause[object]]:
    return [sa.column(name, UtcDateTime) for name in names]
