"""The buttons under a result that run it again: Weaker, Stronger, Keep colours.

(New style and New photo start a conversation: bot.handlers.conversation.reuse.)
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.keyboards import parse_again, parse_file
from bot.runtime.delivery import upload_seconds
from bot.services import services
from bot.submission import StatusPlace, refusal_text, submit
from bot.texts.catalogue import text
from bot.texts.choices import quoted
from stylebot.choices import Strength
from stylebot.outcomes import Refusal, Refused
from stylebot.results import result_picture
from stylebot.submissions import Change, Order, Pictures, changed_order, owned_request, pictures_of_request


def ladder_end(strength: Strength | None, change: Change) -> Refusal | None:
    """Whether the button asks for a step past either end of the ladder, when it says its strength."""
    if strength is None or change == Change.COLORS:
        return None
    if strength.step(-1 if change == Change.WEAKER else 1) is not None:
        return None
    return Refusal.ALREADY_LIGHTEST if change == Change.WEAKER else Refusal.ALREADY_STRONGEST


async def again_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queues the result's pictures again, weaker, stronger, or with colours kept or not."""
    query = update.callback_query
    user, chat = update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    lang = language(update, context)
    again = parse_again(query.data)
    if again is None:
        await query.answer(text(lang, "expired_button"))
        return
    change = again.change
    end = ladder_end(again.strength, change)
    if end is not None:
        await query.answer(refusal_text(lang, Refused(end)), show_alert=True)
        return
    await query.answer()

    async def rerun(session: AsyncSession) -> tuple[Pictures, Order]:
        source = await owned_request(session=session, request_id=again.request_id, user_id=user.id)
        return pictures_of_request(source), changed_order(source, change)

    reply_to = query.message.message_id if query.message is not None else None
    try:
        await submit(
            services(context),
            context.bot,
            user_id=user.id,
            lang=lang,
            what=rerun,
            place=StatusPlace(chat.id, reply_to=reply_to),
        )
    except Refused as refused:
        pressed = quoted(lang, text(lang, f"{change}_button"))
        await context.bot.send_message(chat.id, refusal_text(lang, refused, action=pressed))


async def file_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends a result as a file, which Telegram neither shrinks nor recompresses."""
    query = update.callback_query
    user, chat = update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    lang = language(update, context)
    asked = parse_file(query.data)
    if asked is None:
        await query.answer(text(lang, "expired_button"))
        return
    await query.answer()
    try:
        async with services(context).sessions() as session:
            picture = await result_picture(
                session=session, request_id=asked.request_id, user_id=user.id, strength=asked.strength
            )
    except Refused as refused:
        await context.bot.send_message(chat.id, refusal_text(lang, refused))
        return
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    name = f"stylebot-{asked.request_id}{'-' + asked.strength if asked.strength else ''}.jpg"
    await context.bot.send_document(
        chat.id,
        document=picture.image,
        filename=name,
        caption=text(lang, "file_caption", width=picture.width, height=picture.height),
        write_timeout=upload_seconds(len(picture.image)),
    )
