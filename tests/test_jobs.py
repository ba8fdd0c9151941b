"""The queue's claim, lease and finish, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, select, update

from stylebot import queue, results
from stylebot.database import make_engine
from stylebot.models import Request, Status, utcnow
from stylebot.outcomes import Failure
from testkit.queueing import queue_requests

LEASE = 30
ATTEMPTS = 3


def add_requests(database_url: str, count: int, user_id: int = 1) -> list[int]:
    return queue_requests(database_url, user_id=user_id, count=count)


def claim(engine: Engine, worker: str) -> queue.Job | None:
    return queue.claim_next_job(engine, worker=worker, lease_seconds=LEASE, max_attempts=ATTEMPTS)


def status_of(engine: Engine, job_id: int) -> tuple[str, int, str | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(Request.status, Request.attempts, Request.worker).where(Request.id == job_id)
        ).one()
    return row.status, row.attempts, row.worker


def test_jobs_are_claimed_oldest_first_and_once(database_url: str) -> None:
    engine = make_engine(database_url)
    ids = add_requests(database_url, 3)
    claimed = [claim(engine, "w1"), claim(engine, "w2"), claim(engine, "w1")]
    assert [job.id for job in claimed if job] == ids
    assert claim(engine, "w3") is None
    assert status_of(engine, ids[0]) == (Status.RUNNING, 1, "w1")
    engine.dispose()


def test_concurrent_claimers_never_share_a_job(database_url: str) -> None:
    engine = make_engine(database_url)
    ids = add_requests(database_url, 40)
    taken: dict[str, list[int]] = {}

    def claimer(name: str) -> None:
        mine = taken.setdefault(name, [])
        own_engine = make_engine(database_url)  # a connection pool per worker, as in separate processes
        while (job := claim(own_engine, name)) is not None:
            mine.append(job.id)
        own_engine.dispose()

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    everything = [job_id for claimed in taken.values() for job_id in claimed]
    assert sorted(everything) == ids  # each job exactly once
    engine.dispose()


def test_an_expired_lease_goes_to_another_worker_and_the_old_one_loses_it(database_url: str) -> None:
    engine = make_engine(database_url)
    [job_id] = add_requests(database_url, 1)
    assert claim(engine, "dead") is not None
    assert claim(engine, "alive") is None  # the lease still holds
    with engine.begin() as conn:
        conn.execute(update(Request).values(heartbeat_at=utcnow() - timedelta(seconds=LEASE + 1)))
    job = claim(engine, "alive")
    assert job is not None and job.id == job_id and job.attempts == 2
    assert not queue.heartbeat(engine, job_id=job_id, worker="dead", progress=0.5)
    assert not results.finish_done(
        engine, job_id=job_id, worker="dead", result_image=b"x", width=1, height=1, device="cpu", seconds=1.0
    )
    assert queue.heartbeat(engine, job_id=job_id, worker="alive", progress=0.5)
    assert results.finish_done(
        engine, job_id=job_id, worker="alive", result_image=b"x", width=1, height=1, device="cpu", seconds=1.0
    )
    assert status_of(engine, job_id) == (Status.DONE, 2, "alive")
    engine.dispose()


def test_after_the_last_attempt_an_abandoned_job_fails(database_url: str) -> None:
    engine = make_engine(database_url)
    [_job_id] = add_requests(database_url, 1)
    for attempt in range(ATTEMPTS):
        assert claim(engine, f"w{attempt}") is not None
        with engine.begin() as conn:
            conn.execute(update(Request).values(heartbeat_at=utcnow() - timedelta(seconds=LEASE + 1)))
    assert claim(engine, "last") is None
    with engine.connect() as conn:
        status, error = conn.execute(select(Request.status, Request.error)).one()
    assert status == Status.FAILED and error == Failure.LOST_WORKER
    engine.dispose()


def test_cancel_is_seen_by_the_heartbeat_and_release_keeps_the_attempt(database_url: str) -> None:
    engine = make_engine(database_url)
    first, second = add_requests(database_url, 2)
    assert claim(engine, "w") is not None
    with engine.begin() as conn:
        conn.execute(update(Request).where(Request.id == first).values(status=Status.CANCELLED))
    assert not queue.heartbeat(engine, job_id=first, worker="w")
    job = claim(engine, "w")
    assert job is not None and job.id == second
    assert queue.release(engine, job_id=second, worker="w")
    assert status_of(engine, second) == (Status.QUEUED, 0, None)
    engine.dispose()


def test_the_user_who_waited_longest_goes_next(database_url: str) -> None:
    engine = make_engine(database_url)
    ada = add_requests(database_url, 4, user_id=1)  # Ada sends four at once, then Bob and Cy one each
    bob = add_requests(database_url, 1, user_id=2)
    cy = add_requests(database_url, 1, user_id=3)
    expected = [ada[0], *bob, *cy, *ada[1:]]
    with engine.connect() as conn:  # the positions the bot shows follow the same order
        assert list(conn.scalars(queue.queue_order())) == expected
    order = []
    while (job := claim(engine, "w")) is not None:
        order.append(job.id)
        assert results.finish_done(
            engine, job_id=job.id, worker="w", result_image=b"x", width=1, height=1, device="cpu", seconds=0.0
        )
    assert order == expected
    engine.dispose()
