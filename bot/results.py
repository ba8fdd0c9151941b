"""The buttons under a result that run it again: Weaker, Stronger, Keep colours.

(New style and New photo start a conversation: bot.conversation.reuse.)
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.keyboards import parse_again
from bot.services import services
from bot.submit import limits_refusal, queued_text, show_status
from bot.texts import step_strength, text
from bot.users import lang
from stylebot import store
from stylebot.models import Request, utcnow

log = logging.getLogger(__name__)


async def again_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queues the result's pictures again, weaker, stronger, or with colours kept or not."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    language = lang(update, context)
    again = parse_again(query.data)
    if again is None:
        await query.answer(text(language, "expired_button"))
        return
    found = services(context)
    async with found.sessions.begin() as session:
        source = await session.get(Request, again.request_id)
        if source is None or source.user_id != user.id:
            await query.answer(text(language, "not_yours"), show_alert=True)
            return
        strength, keep_colors = source.strength, source.keep_colors
        if again.change == "colors":
            keep_colors = not keep_colors
        else:
            stepped = step_strength(strength, -1 if again.change == "weaker" else 1)
            if stepped is None:
                key = "already_lightest" if again.change == "weaker" else "already_strongest"
                await query.answer(text(language, key), show_alert=True)
                return
            strength = stepped
        refusal = await limits_refusal(
            session=session, settings=found.settings, user_id=user.id, now=utcnow()
        )
        if refusal is not None:
            await query.answer(refusal.say(language), show_alert=True)
            return
        chat_id = query.message.chat.id if query.message is not None else source.chat_id
        request = await store.rerun(
            session=session,
            request_id=again.request_id,
            user_id=user.id,
            chat_id=chat_id,
            strength=strength,
            keep_colors=keep_colors,
        )
        if isinstance(request, str):
            await query.answer(text(language, request), show_alert=True)
            return
        status = await queued_text(session, lang=language, request=request)
    await query.answer()
    log.info("request %d queued by user %d: %s of request %d", request.id, user.id, again.change, source.id)
    reply_to = query.message.message_id if query.message is not None else None
    await show_status(found, context.bot, lang=language, request=request, status=status, reply_to=reply_to)
