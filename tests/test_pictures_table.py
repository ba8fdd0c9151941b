"""Lean rows: each picture stored once by its hash, whatever requests use it; deleted once no request
refers to it; the migration moves the pictures of existing requests there (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import hashlib

from alembic import command
from sqlalchemy import Engine, func, select, text

from stylebot import privacy
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.migrate import alembic_config
from stylebot.models import Picture, Request
from testkit.pictures import CAT, WAVES
from testkit.queueing import queue_requests


def stored(engine: Engine) -> dict[str, int]:
    """The pictures table: hash -> size."""
    with engine.connect() as conn:
        return {h: size for h, size in conn.execute(select(Picture.hash, func.length(Picture.data)))}


def forget(url: str, user_id: int) -> None:
    async def run() -> None:
        engine = make_async_engine(url)
        async with async_session_factory(engine).begin() as session:
            await privacy.forget_user(session=session, user_id=user_id)
        await engine.dispose()

    asyncio.run(run())


def test_a_picture_is_stored_once_and_deleted_with_its_last_request(database_url: str) -> None:
    """Three requests of one user and one of another, all with the same style, two with the same
    photo: two pictures stored; /forget of one user keeps what the other's request still uses."""
    queue_requests(database_url, user_id=1, count=3, content=CAT, style=WAVES)
    queue_requests(database_url, user_id=2, count=1, content=b"another photo", style=WAVES)
    engine = make_engine(database_url)
    digest = {p: hashlib.sha256(p).hexdigest() for p in (CAT, WAVES, b"another photo")}
    assert stored(engine) == {digest[CAT]: len(CAT), digest[WAVES]: len(WAVES), digest[b"another photo"]: 13}
    with engine.connect() as conn:
        hashes = {tuple(r) for r in conn.execute(select(Request.content_hash, Request.style_hash))}
    assert hashes == {(digest[CAT], digest[WAVES]), (digest[b"another photo"], digest[WAVES])}

    forget(database_url, 1)
    assert stored(engine).keys() == {digest[WAVES], digest[b"another photo"]}, "user 2's request uses them"
    forget(database_url, 2)
    assert stored(engine) == {}
    engine.dispose()


def test_the_migration_moves_the_pictures_of_existing_requests(database_url: str) -> None:
    """At 0008 the pictures sit in the requests' rows: upgrading moves them into the pictures table
    (a style used twice, once), and downgrading puts them back."""
    config = alembic_config(database_url)
    command.downgrade(config, "0008")
    engine = make_engine(database_url)
    rows = [(CAT, WAVES), (b"photo 2", WAVES), (None, None)]
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO users (id, name, first_seen, last_seen) VALUES (1, 'Ada', :t, :t)"),
            {"t": "2026-12-01 00:00:00+00:00"},
        )
        for content, style in rows:
            conn.execute(
                text(
                    "INSERT INTO requests (user_id, chat_id, content_file_id, style_file_id, content_image,"
                    " style_image, strength, status, progress, attempts, created_at) VALUES (1, 1, 'c', 's',"
                    " :c, :s, 'medium', 'done', 1.0, 1, :t)"
                ),
                {"c": content, "s": style, "t": "2026-12-01 00:00:00+00:00"},
            )
        # A comparison's picture refers to its request: copying the requests table (SQLite's batch
        # migrations) must not delete it.
        conn.execute(
            text(
                "INSERT INTO variants (request_id, strength, image, width, height)"
                " VALUES (1, 'strong', :i, 2, 1)"
            ),
            {"i": b"variant"},
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        assert list(conn.execute(text("SELECT request_id, strength FROM variants"))) == [(1, "strong")]
    assert sorted(stored(engine).values()) == sorted([len(CAT), len(WAVES), len(b"photo 2")])
    with engine.connect() as conn:
        images = list(
            conn.execute(select(Request.id, Request.content_image, Request.style_image).order_by(Request.id))
        )
    assert [(c, s) for _, c, s in images] == rows

    command.downgrade(config, "0008")
    with engine.connect() as conn:
        back = list(conn.execute(text("SELECT content_image, style_image FROM requests ORDER BY id")))
    assert [(c and bytes(c), s and bytes(s)) for c, s in back] == rows
    command.upgrade(config, "head")
    engine.dispose()
