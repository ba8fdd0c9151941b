"""/cancel (the conversation and every active request) and the Cancel button (one request)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.access.profiles import language
from bot.keyboards import parse_cancel
from bot.replies import edit_text
from bot.services import services
from bot.texts.catalogue import text
from stylebot import store, uploads


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Ends the conversation and cancels the user's queued or running requests."""
    assert update.effective_message is not None and update.effective_user is not None
    if context.user_data is not None:
        context.user_data.clear()
    lang = language(update, context)
    async with services(context).sessions.begin() as session:
        cancelled = await store.cancel_active(session=session, user_id=update.effective_user.id)
        await uploads.drop_uploads(session=session, user_id=update.effective_user.id)
    for request in cancelled:
        if request.status_message_id is not None:
            await edit_text(
                context.bot,
                chat_id=request.chat_id,
                message_id=request.status_message_id,
                new_text=text(lang, "cancelled_notice"),
            )
    if cancelled:
        ids = ", #".join(str(r.id) for r in cancelled)
        await update.effective_message.reply_text(text(lang, "cancelled_jobs", ids=ids))
    else:
        await update.effective_message.reply_text(text(lang, "cancelled_notice"))
    return ConversationHandler.END


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
    await query.edit_message_text(text(lang, "cancelled_notice"))
