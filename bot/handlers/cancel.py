"""/cancel (what is half-made and every active request) and the Cancel button (one request)."""

from __future__ import annotations

from telegram import Message, Update

from bot.asking import close_question
from bot.context import BotContext
from bot.drafts import Draft, Step
from bot.keyboards import parse_cancel
from bot.presses import Press, button
from bot.replies import edit_text
from bot.texts.catalogue import text
from stylebot import submissions


async def cancel(update: Update, context: BotContext) -> None:
    """Drops the picture in the making and cancels the user's queued or running requests; says so once."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    found, lang = context.services, context.language
    draft = await found.drafts.get(user.id)
    async with found.sessions.begin() as session:
        cancelled = await submissions.cancel_active(session=session, user_id=user.id)
    await close_question(context.bot, chat_id=message.chat_id, message_id=draft.question)
    for request in cancelled:
        if request.status_message_id is not None:  # no Cancel button left under a cancelled request
            await edit_text(
                context.bot,
                chat_id=request.chat_id,
                message_id=request.status_message_id,
                new_text=text(lang, "status_cancelled_line"),
            )
    anything = bool(cancelled) or draft.step != Step.IDLE
    await message.reply_text(text(lang, "cancelled_notice" if anything else "nothing_to_cancel"))
    await found.drafts.put(user.id, Draft(album_done=draft.album_done), drop_others=True)


@button(parse_cancel)
async def cancel_button(update: Update, context: BotContext, press: Press[int]) -> None:
    """Cancels the request named by the button, if it is the presser's and still active."""
    async with context.services.sessions.begin() as session:
        cancelled = await submissions.cancel_request(
            session=session, request_id=press.data, user_id=press.user_id
        )
    if cancelled is None:
        await context.bot.send_message(press.user_id, text(context.language, "not_cancellable"))
        return
    said = text(context.language, "status_cancelled_line")
    if isinstance(press.query.message, Message) and press.query.message.photo:  # the painting so far
        await press.query.edit_message_caption(said)
    else:
        await press.query.edit_message_text(said)
