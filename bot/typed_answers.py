"""Doing what an answer typed at the strength question says (bot.texts.typed reads it): paint at a
strength, or at all three; swap the two pictures, as the ↔ Swap button does; or point to /settings
or /cancel for what only they do."""

from __future__ import annotations

from telegram import Update

from bot.asking import ask_strength, close_question
from bot.context import BotContext
from bot.drafts import Draft
from bot.steps import queue_draft
from bot.texts.catalogue import text
from bot.texts.choices import quoted
from bot.texts.typed import Meaning, Typed
from stylebot.choices import Strength

POINTERS = {Meaning.SIZE: "typed_size", Meaning.COLORS: "typed_colors", Meaning.CANCEL: "typed_cancel"}


async def answer_typed(update: Update, context: BotContext, draft: Draft, typed: Typed) -> None:
    """Does what `typed` says with the draft at the strength question."""
    message = update.effective_message
    assert message is not None
    lang = context.language
    if typed.meaning is Meaning.STRENGTH:
        assert typed.strength is not None
        # A full queue asks to press a strength again: the keyboard's, whichever was typed.
        await queue_draft(update, context, draft, strength=typed.strength)
    elif typed.meaning is Meaning.COMPARE:
        label = quoted(lang, text(lang, "compare_button"))
        await queue_draft(update, context, draft, strength=Strength.MEDIUM, compare=True, action=label)
    elif typed.meaning is Meaning.SWAP:
        await swap_pictures(update, context, draft)
    else:
        await message.reply_text(text(lang, POINTERS[typed.meaning]))


async def swap_pictures(update: Update, context: BotContext, draft: Draft) -> None:
    """The photo becomes the style and the style the photo; the question is asked again below the
    message that asked for it (the one above loses its buttons)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    await close_question(context.bot, chat_id=chat.id, message_id=draft.question)
    question = await ask_strength(context.bot, chat_id=chat.id, lang=context.language, intro_key="swapped")
    swapped = draft.changed(content=draft.style, style=draft.content, question=question)
    await context.services.drafts.put(user.id, swapped)
