"""Share and reactions: inline mode (`@bot` in any chat offers the user's recent paintings, sent by
Telegram's file id: no upload), and the reactions users put on their results, kept for /stats."""

from __future__ import annotations

import logging

from telegram import InlineQueryResultCachedPhoto, ReactionTypeEmoji, Update

from bot.context import BotContext
from bot.texts.captions import caption
from stylebot import resultmessages

log = logging.getLogger(__name__)

SHARED = 20  # inline results offered: Telegram shows them as a scrolling strip
CUSTOM = "custom"  # a custom emoji or a paid reaction, counted as such


async def inline_query(update: Update, context: BotContext) -> None:
    """Offers the user's recent paintings; the painting whose Share button was pressed comes first
    (its request id is the query)."""
    query = update.inline_query
    assert query is not None
    lang = context.language
    async with context.services.sessions() as session:
        found = await resultmessages.shareable(session=session, user_id=query.from_user.id, limit=SHARED)
    asked = query.query.strip()
    found.sort(key=lambda shared: str(shared.request_id) != asked)  # stable: newest first otherwise
    results = [
        InlineQueryResultCachedPhoto(
            id=f"{shared.request_id}-{shared.strength or 'r'}",
            photo_file_id=shared.file_id,
            caption=caption(lang, shared.request, shared.strength),
        )
        for shared in found
    ]
    await query.answer(results, cache_time=0, is_personal=True)


async def reaction(update: Update, context: BotContext) -> None:
    """Keeps the user's latest reaction on a result (its first emoji; none: taken back)."""
    changed = update.message_reaction
    if changed is None or changed.user is None:
        return  # an anonymous admin's reaction in a group: no one to count it for
    new = changed.new_reaction
    emoji = None
    if new:
        first = new[0]
        emoji = first.emoji if isinstance(first, ReactionTypeEmoji) else CUSTOM
    async with context.services.sessions.begin() as session:
        kept = await resultmessages.react(
            session=session,
            chat_id=changed.chat.id,
            message_id=changed.message_id,
            user_id=changed.user.id,
            emoji=emoji,
        )
    log.info("reaction %s on message %d: %s", emoji, changed.message_id, "kept" if kept else "not a result")
