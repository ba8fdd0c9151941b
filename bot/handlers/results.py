"""The buttons under a result: Weaker, Stronger, Keep colours (the same pictures run again), and the
full-quality file.

(New style and New photo start a conversation: bot.handlers.questions.reuse_button.)
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatAction

from bot.context import BotContext
from bot.keyboards import Again, FileAsked, parse_again, parse_file
from bot.presses import Press, button
from bot.replies import upload_seconds
from bot.submission import StatusPlace, refusal_text, submit
from bot.texts.catalogue import text
from bot.texts.choices import quoted
from stylebot.outcomes import Refused
from stylebot.results import result_picture
from stylebot.submissions import (
    WITH_PICTURES,
    Order,
    Pictures,
    changed_order,
    next_strength,
    owned_request,
    pictures_of_request,
)


@button(parse_again, answer=False)
async def again_button(update: Update, context: BotContext, press: Press[Again]) -> None:
    """Queues the result's pictures again, weaker, stronger, or with colours kept or not."""
    lang, again = context.language, press.data
    if again.strength is not None:  # the button says the result's strength: the ladder's end is known
        try:
            next_strength(again.strength, again.change)
        except Refused as refused:
            await press.query.answer(refusal_text(lang, refused), show_alert=True)
            return
    await press.query.answer()

    async def rerun(session: AsyncSession) -> tuple[Pictures, Order]:
        source = await owned_request(
            session=session, request_id=again.request_id, user_id=press.user_id, load=WITH_PICTURES
        )
        return pictures_of_request(source), changed_order(source, again.change)

    try:
        await submit(
            context.services,
            context.bot,
            user_id=press.user_id,
            lang=lang,
            what=rerun,
            place=StatusPlace(press.chat_id, reply_to=press.message_id),
        )
    except Refused as refused:
        pressed = quoted(lang, text(lang, f"{again.change}_button"))
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused, action=pressed))


@button(parse_file)
async def file_button(update: Update, context: BotContext, press: Press[FileAsked]) -> None:
    """Sends a result as a file, which Telegram neither shrinks nor recompresses."""
    lang, asked = context.language, press.data
    try:
        async with context.services.sessions() as session:
            picture = await result_picture(
                session=session, request_id=asked.request_id, user_id=press.user_id, strength=asked.strength
            )
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return
    await context.bot.send_chat_action(press.chat_id, ChatAction.UPLOAD_DOCUMENT)
    name = f"stylebot-{asked.request_id}{'-' + asked.strength if asked.strength else ''}.jpg"
    await context.bot.send_document(
        press.chat_id,
        document=picture.image,
        filename=name,
        caption=text(lang, "file_caption", width=picture.width, height=picture.height),
        write_timeout=upload_seconds(len(picture.image)),
    )
