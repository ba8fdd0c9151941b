"""Nobody's data where it does not belong: retention, /forget, owner checks, and logs."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from stylebot.models import ConversationState, Request, Upload, UserData, utcnow
from stylebot.models import User as UserRow
from testkit.botapi import BotApiStandIn, User
from tests.conftest import TOKEN, cat_photo
from tests.harness import (
    CAT,
    WAVES,
    BotProcess,
    add_done_request,
    bot_env,
    running_bot,
    says,
    send_two_pictures,
)


def counts(database_url: str, user_id: int) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = {
            "users": conn.scalar(select(func.count()).select_from(UserRow).where(UserRow.id == user_id)),
            "requests": conn.scalar(
                select(func.count()).select_from(Request).where(Request.user_id == user_id)
            ),
            "uploads": conn.scalar(select(func.count()).select_from(Upload).where(Upload.user_id == user_id)),
            "user_data": conn.scalar(
                select(func.count()).select_from(UserData).where(UserData.user_id == user_id)
            ),
            "conversations": conn.scalar(
                select(func.count())
                .select_from(ConversationState)
                .where(ConversationState.key.contains(str(user_id)))
            ),
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
        history = await botapi.wait_for("sendMessage", after=mark)
        assert f"#{old}" in history.params["text"], "the old request's metadata stays"
    with Session(engine) as session:
        purged, kept = session.get(Request, old), session.get(Request, recent)
        assert purged is not None and kept is not None
        assert (purged.content_image, purged.style_image, purged.result_image) == (None, None, None)
        assert purged.strength == "medium" and purged.output_width == 64
        assert kept.content_image == CAT and kept.result_image is not None
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
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
        # The user: one request queued, one conversation half-way (content sent).
        mark = botapi.mark()
        botapi.send_photo(user, CAT, caption="strong")
        botapi.send_photo(user, WAVES)
        await botapi.wait_for("sendMessage", lambda c: "В очереди" in c.params["text"], after=mark)
        mark = botapi.mark()
        botapi.send_photo(user, CAT)
        await botapi.wait_for("sendMessage", lambda c: "Фото получено" in c.params["text"], after=mark)
        await botapi.wait_for("sendMessage", after=mark)

        mark = botapi.mark()
        botapi.send_text(user, "/forget")
        prompt = await botapi.wait_for("sendMessage", after=mark)
        assert "Отменить это нельзя" in prompt.params["text"]
        mark = botapi.mark()
        botapi.press_button(user, prompt.result, "forget:no")
        kept = await botapi.wait_for("editMessageText", after=mark)
        assert kept.params["text"] == "Ничего не удалено."
        assert counts(sqlite_url, user.id)["requests"] == 2

        mark = botapi.mark()
        botapi.press_button(user, prompt.result, "forget:yes")
        done = await botapi.wait_for("editMessageText", after=mark)
        assert "всё, что я о вас хранил, удалено" in done.params["text"]
        # The conversation is over: a photo now starts a new one (as the content).
        mark = botapi.mark()
        botapi.send_photo(user, CAT)
        again = await botapi.wait_for("sendMessage", after=mark)
        assert "Got the photo" in again.params["text"] or "Фото получено" in again.params["text"]
        mark = botapi.mark()
        botapi.send_text(user, "/cancel")
        await botapi.wait_for("sendMessage", after=mark)
    after = counts(sqlite_url, user.id)
    assert after == {"users": 1, "requests": 0, "uploads": 0, "user_data": 0, "conversations": 0}, after
    assert counts(sqlite_url, neighbour.id)["requests"] == 1, "nobody else's data is touched"


async def test_a_full_run_logs_neither_the_token_nor_picture_bytes(
    botapi: BotApiStandIn, sqlite_url: str, tmp_path: Path
) -> None:
    """Debug logging, a real worker, a picture whose EXIF says "rotated": the result is upright."""
    user = User(64)
    # Stored landscape (64×43), shown portrait: EXIF orientation 6 means "rotate 90° clockwise".
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    cat_photo().save(buffer, "JPEG", exif=exif.tobytes())
    rotated = buffer.getvalue()
    env = bot_env(botapi, sqlite_url, log_level="DEBUG")
    with BotProcess(env, tmp_path) as bot:
        keyboard = await send_two_pictures(botapi, user, rotated, WAVES)
        mark = botapi.mark()
        botapi.press_button(user, keyboard.result, "strength:medium")
        photo = await botapi.wait_for("sendPhoto", after=mark, timeout=120)
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
