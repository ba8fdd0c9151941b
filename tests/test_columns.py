"""The shared words in the database (stylebot.columns.EnumText): written as their values, read back as
members, on SQLite and PostgreSQL; a value from another version reads as the column's `unknown`, and
every reader of the bot gets through such a row."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from bot.runtime.delivery import caption
from bot.texts.catalogue import text as text_in
from bot.texts.status import status_for
from stylebot import delivery, history, submissions
from stylebot.choices import DEFAULT_STRENGTH, Size, Strength
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.models import Request, Status, User
from stylebot.users import Profile
from testkit.finished import insert_done_request
from testkit.pictures import CAT
from tests.harness import says


def test_members_go_in_as_values_and_come_back_as_members(database_url: str) -> None:
    request_id = insert_done_request(database_url, user_id=1, strength=Strength.STRONGEST)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT strength, size, status FROM requests")).one()
    with Session(engine) as session:
        request = session.get(Request, request_id)
        assert request is not None
        read = (request.strength, request.size, request.status)
    engine.dispose()
    assert tuple(stored) == ("strongest", "standard", "done")
    assert read == (Strength.STRONGEST, Size.STANDARD, Status.DONE)
    assert [type(value) for value in read] == [Strength, Size, Status]


def test_a_value_that_is_no_member_is_refused_on_the_way_in(sqlite_url: str) -> None:
    request_id = insert_done_request(sqlite_url, user_id=1)
    engine = make_engine(sqlite_url)
    with Session(engine) as session, pytest.raises(StatementError, match="not a valid Strength"):
        request = session.get(Request, request_id)
        assert request is not None
        request.strength = "ultra"  # type: ignore[assignment]
        session.commit()
    engine.dispose()


def test_a_row_from_another_version_reads_as_the_columns_unknown(database_url: str) -> None:
    request_id = insert_done_request(database_url, user_id=1)
    engine = make_engine(database_url)
    with engine.begin() as conn:  # as a newer (or much older) version might have left them
        conn.execute(
            text(
                "UPDATE requests SET strength = 'ultra', size = 'poster', status = 'archived' WHERE id = :id"
            ),
            {"id": request_id},
        )
        conn.execute(text("UPDATE users SET default_strength = 'ultra', output_size = 'poster'"))
    with Session(engine) as session:
        request, user = session.get(Request, request_id), session.get(User, 1)
        assert request is not None and user is not None
        assert (request.strength, request.size, request.status) == (
            DEFAULT_STRENGTH,
            Size.STANDARD,
            Status.FAILED,
        )
        assert Profile.of(user) == Profile(
            telegram_language=None, default_strength=None, output_size=Size.STANDARD
        )
        statuses = list(session.scalars(select(Request.status)))
    engine.dispose()
    assert statuses == [Status.FAILED]

    async def bot_reads() -> tuple[list[delivery.Pending], list[history.HistoryEntry]]:
        async_engine = make_async_engine(database_url)
        async with async_session_factory(async_engine)() as session:
            pending = await delivery.finished_undelivered(session=session, limit=10)
            entries = await history.recent_requests(session=session, user_id=1)
        await async_engine.dispose()
        return pending, entries

    pending, entries = asyncio.run(bot_reads())
    assert [(p.status, p.strength) for p in pending] == [(Status.FAILED, DEFAULT_STRENGTH)]
    assert [(e.status, e.strength) for e in entries] == [(Status.FAILED, DEFAULT_STRENGTH)]
    assert status_for("en", pending[0], None, None) is None  # over: no status to show, told as failed
    medium = text_in("en", "strength_as_medium")
    assert says(caption("en", pending[0]), "strength_chosen", strength=medium)


def test_a_cancel_and_an_ownership_check_read_no_picture(sqlite_url: str) -> None:
    """The picture columns are deferred: loading a request for a check reads none of their bytes."""
    request_id = insert_done_request(sqlite_url, user_id=1)
    statements: list[str] = []

    async def check_then_cancel() -> None:
        engine = make_async_engine(sqlite_url)
        event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        async with async_session_factory(engine).begin() as session:
            await submissions.owned_request(session=session, request_id=request_id, user_id=1)
            await submissions.cancel_request(session=session, request_id=request_id, user_id=1)
            loaded = await submissions.owned_request(
                session=session, request_id=request_id, user_id=1, load=submissions.WITH_PICTURES
            )
            assert submissions.pictures_of_request(loaded).content == CAT
        await engine.dispose()

    asyncio.run(check_then_cancel())
    *checks, with_pictures = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert checks and not [s for s in checks if "_image" in s], checks
    assert "content_image" in with_pictures and "result_image" not in with_pictures
