"""Nobody's data where it does not belong: retention, /forget, owner checks, and logs."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session, undefer_group

from stylebot.models import PICTURES, Draft, Preview, Request, Upload, utcnow
from stylebot.models import User as UserRow
from testkit.botapi import TOKEN, BotApiStandIn, User
from testkit.botprocess import BotProcess, bot_env
from testkit.pictures import CAT, WAVES, cat_photo
from tests.harness import add_done_request, asks, buttons, running_bot, said, says, send_two_pictures, text_of


def counts(database_url: str, user_id: int) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = {
            name: conn.scalar(select(func.count()).select_from(table).where(column == user_id))
            for name, table, column in (
                ("users", UserRow, UserRow.id),
                ("requests", Request, Request.user_id),
                ("uploads", Upload, Upload.user_id),
                ("drafts", Draft, Draft.user_id),
            )
        }
    engine.dispose()
    return {name: int(value or 0) for name, value in found.items()}


async def test_pictures_are_deleted_after_the_retention_days_and_metadata_stays(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(61)
    old = await add_done_request(sqlite_url, user_id=user.id)
    engine = create_engine(sqlite_url)
    with Session(engine) as session, session.begin():
        eight_days_ago = utcnow() - timedelta(days=8)
        session.execute(
            update(Request)
            .where(Request.id == old)
            .values(created_at=eight_days_ago, delivered_at=eight_days_ago)
        )
        session.add(Upload(user_id=user.id, file_id="f", data=CAT, created_at=eight_days_ago))
        session.add(Preview(request_id=old, image=CAT))  # its worker died with the job
    async with running_bot(botapi, sqlite_url, retention_days=7):
        recent = await add_done_request(sqlite_url, user_id=user.id)
        photo = await botapi.wait_for("sendPhoto", timeout=20)  # the recent one is delivered
        assert f"again:{recent}:stronger:medium" in str(photo.params["reply_markup"])
        mark = botapi.mark()
        botapi.press_button(user, photo.result, f"again:{old}:stronger:medium")
        answer = await botapi.wait_for("sendMessage", after=mark)
        assert says(answer.params["text"], "refused_pictures_gone")
        mark = botapi.mark()
        botapi.send_text(user, "/history")
        history = await botapi.wait_for("sendPhoto", after=mark)
        assert f"hist:{recent}" in buttons(history) and f"hist:{old}" not in buttons(history), (
            "the contact sheet shows the paintings still kept"
        )
    with Session(engine) as session:
        pictures = [undefer_group(PICTURES)]
        purged, kept = (
            session.get(Request, old, options=pictures),
            session.get(Request, recent, options=pictures),
        )
        assert purged is not None and kept is not None
        assert (purged.content_image, purged.style_image, purged.result_image) == (None, None, None)
        assert purged.strength == "medium" and purged.output_width == 64
        assert kept.content_image == CAT and kept.result_image is not None
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
        assert session.scalar(select(func.count()).select_from(Preview)) == 0
    engine.dispose()


async def test_forget_deletes_everything_about_the_user_after_confirmation(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user, neighbour = User(62, language_code="ru"), User(63)
    async with running_bot(botapi, sqlite_url):
        await add_done_request(sqlite_url, user_id=user.id)
        await botapi.wait_for("sendPhoto", timeout=20)
        keyboard = await send_two_pictures(botapi, neighbour, CAT, WAVES)
        mark = botapi.mark()
        botapi.press_button(neighbour, keyboard.result, "strength:medium")
        await botapi.wait_for("editMessageText", after=mark)
        # The user: one request queued, one picture half-way (its photo sent).
        mark = botapi.mark()
        botapi.send_photo(user, CAT, caption="strong")
        botapi.send_photo(user, WAVES)
        status = await botapi.wait_for(
            "sendMessage", lambda c: c.result and says(text_of(c), "queue_position", "ru"), after=mark
        )
        await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto", asks("got_content", "ru"))

        prompt = await said(botapi, lambda: botapi.send_text(user, "/forget"))
        assert says(prompt.params["text"], "forget_prompt", "ru")
        kept = await said(
            botapi, lambda: botapi.press_button(user, prompt.result, "forget:no"), "editMessageText"
        )
        assert says(kept.params["text"], "not_forgotten", "ru")
        assert counts(sqlite_url, user.id)["requests"] == 2

        mark = botapi.mark()
        botapi.press_button(user, prompt.result, "forget:yes")
        await botapi.wait_for("editMessageText", asks("forgotten", "ru"), after=mark)
        # The queued painting's status says it went, with no Cancel button left under it.
        gone = await botapi.wait_for(
            "editMessageText",
            lambda c: int(c.params["message_id"]) == status.result["message_id"],
            after=mark,
        )
        assert says(gone.params["text"], "painting_forgotten", "ru") and not gone.params.get("reply_markup")
        # Nothing is half-way any more: a photo now starts a new picture (as the photo).
        again = await said(botapi, lambda: botapi.send_photo(user, CAT), "sendPhoto")
        assert says(text_of(again), "got_content") or says(text_of(again), "got_content", "ru")
        await said(botapi, lambda: botapi.send_text(user, "/cancel"))
    after = counts(sqlite_url, user.id)
    assert after == {"users": 1, "requests": 0, "uploads": 0, "drafts": 0}, after
    assert counts(sqlite_url, neighbour.id)["requests"] == 1, "nobody else's data is touched"


async def test_a_full_run_logs_neither_the_token_nor_picture_bytes(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    """Debug logging, a real worker, a picture whose EXIF says "rotated" (sent as a file, which
    Telegram passes on as it is): the result is upright."""
    user = User(64)
    # Stored landscape (64×43), shown portrait: EXIF orientation 6 means "rotate 90° clockwise".
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    cat_photo().save(buffer, "JPEG", exif=exif.tobytes())
    rotated = buffer.getvalue()
    env = bot_env(botapi, sqlite_url, log_level="DEBUG")
    with BotProcess(env, tmp_path) as bot:
        await said(botapi, lambda: botapi.send_text(user, "/start"), predicate=asks("start"), timeout=60)
        await said(
            botapi,
            lambda: botapi.send_document(user, rotated, mime_type="image/jpeg", file_name="rotated.jpg"),
            "sendPhoto",
            asks("got_content"),
        )
        keyboard = await said(botapi, lambda: botapi.send_photo(user, WAVES), predicate=asks("got_style"))
        mark = botapi.mark()
        botapi.press_button(user, keyboard.result, "strength:medium")
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, after=mark, timeout=120)
    result = Image.open(io.BytesIO(photo.files["photo"]))
    assert result.height > result.width, f"upright: {result.size}"
    log = bot.log()
    assert "DEBUG" in log and "sendPhoto" in log, "the log really is at debug level"
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    for picture in (rotated, WAVES, photo.files["photo"]):
        for chunk in (picture[100:132], picture[-64:-32]):
            assert repr(chunk)[2:-1] not in log and chunk.hex() not in log
    assert not [line for line in log.splitlines() if len(line) > 2000], (
        "no line long enough to hold a picture"
    )
