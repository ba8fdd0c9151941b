"""/cancel (what is half-made and every active request) and the Cancel button (one request)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.asking import close_question
from bot.drafts import Draft, Step
from bot.keyboards import parse_cancel
from bot.replies import edit_text
from bot.services import services
from bot.texts.catalogue import text
from stylebot import store


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drops the picture in the making and cancels the user's queued or running requests; says so once."""
    assert update.effective_message is not None and update.effective_user is not None
    user_id, chat_id = update.effective_user.id, update.effective_message.chat_id
    found = services(context)
    lang = language(update, context)
    draft = await found.drafts.get(user_id)
    async with found.sessions.begin() as session:
        cancelled = await store.cancel_active(session=session, user_id=user_id)
    await close_question(context.bot, chat_id=chat_id, message_id=draft.question)
    for request in cancelled:
        if request.status_message_id is not None:  # no Cancel button left under a cancelled request
            await edit_text(
                context.bot,
                chat_id=request.chat_id,
                message_id=request.status_message_id,
                new_text=text(lang, "status_cancelled_line"),
            )
    anything = bool(cancelled) or draft.step != Step.IDLE
    await update.effective_message.reply_text(
        text(lang, "cancelled_notice" if anything else "nothing_to_cancel")
    )
    await found.drafts.put(user_id, Draft(album_done=draft.album_done), drop_others=True)


async def cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Cancels the request named by the button, if it is the presser's and still active."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = language(update, context)
    request_id = parse_cancel(query.data)
    if request_id is None:
        await query.answer(text(lang, "expired_button"))
        return
    await query.answer()
    async with services(context).sessions.begin() as session:
        cancelled = await store.cancel_request(
            session=session, request_id=request_id, user_id=update.effective_user.id
        )
    if cancelled is None:
        await context.bot.send_message(update.effective_user.id, text(lang, "not_cancellable"))
        return
    await query.edit_message_text(text(lang, "status_cancelled_line"))
