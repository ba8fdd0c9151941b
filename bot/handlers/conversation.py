"""The conversation that makes a picture: the photo, the style (sent, or picked from the gallery or
the user's recent ones), the strength; then the request is queued.

Where the user is, and what they sent so far, is their draft (bot.drafts); what each step does with
a picture or an answer is in bot.steps (a typed answer in bot.typed_answers), and the buttons of the
conversation's questions are in bot.handlers.questions. Every input is welcome at every step: /start
starts over, a second picture at the strength question asks which one it replaces, a strength (or a
swap, or all three) can be typed, the two pictures can be swapped, and a button from an earlier
question answers without a dead end.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.asking import close_question
from bot.context import BotContext
from bot.drafts import Draft, Step
from bot.handlers import questions
from bot.keyboards import (
    COMPARE_PATTERN,
    GALLERY_PATTERN,
    REUSE_PATTERN,
    STRENGTH_PATTERN,
    STYLE_PATTERN,
    SWAP_PATTERN,
    WHICH_PATTERN,
)
from bot.steps import take_content, take_pending, take_style
from bot.texts.catalogue import text
from bot.texts.typed import read_typed
from bot.typed_answers import answer_typed

PICTURES = filters.PHOTO | filters.Document.ALL
EXPECTATION = {Step.CONTENT: "expect_content", Step.STYLE: "expect_style", Step.STRENGTH: "expect_strength"}


async def start(update: Update, context: BotContext) -> None:
    """Starts over, whatever was half-made: greets, and asks for the photo."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    drafts = context.services.drafts
    draft = await drafts.get(user.id)
    await close_question(context.bot, chat_id=message.chat_id, message_id=draft.question)
    await message.reply_text(text(context.language, "start", name=user.first_name))
    await drafts.put(user.id, Draft(step=Step.CONTENT), drop_others=True)


async def picture(update: Update, context: BotContext) -> None:
    """A picture: the photo, the style, or (at the strength question) a replacement for one of them."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    drafts = context.services.drafts
    draft = await drafts.get(user.id)
    album = message.media_group_id
    if album is not None and album in (draft.album_done, draft.album) and draft.step != Step.STYLE:
        if album != draft.album_noted:  # a third picture of an album: said once
            await message.reply_text(text(context.language, "album_extra"))
        await drafts.put(user.id, draft.changed(album_noted=album))
        return
    if draft.step == Step.STYLE and (album is None or album == draft.album):
        await take_style(update, context, draft)
    elif draft.step == Step.STRENGTH:
        await take_pending(update, context, draft)
    else:  # the photo; also a new album at the style question, which starts over
        await take_content(update, context, draft)


async def words(update: Update, context: BotContext) -> None:
    """Text, a sticker, a voice message...: an answer typed at the strength question ("light
    please", "swap"), else a hint of what the bot expects now."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    draft = await context.services.drafts.get(user.id)
    typed = read_typed(message.text) if draft.step == Step.STRENGTH else None
    if typed is not None:
        await answer_typed(update, context, draft, typed)
        return
    await message.reply_text(text(context.language, EXPECTATION.get(draft.step, "idle")))


def conversation_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Every input of the conversation, in the order python-telegram-bot tries them."""
    return [
        CommandHandler("start", start),
        MessageHandler(PICTURES, picture),
        MessageHandler(~filters.COMMAND, words),
        CallbackQueryHandler(questions.strength_button, pattern=STRENGTH_PATTERN),
        CallbackQueryHandler(questions.compare_button, pattern=COMPARE_PATTERN),
        CallbackQueryHandler(questions.swap_button, pattern=SWAP_PATTERN),
        CallbackQueryHandler(questions.which_button, pattern=WHICH_PATTERN),
        CallbackQueryHandler(questions.style_button, pattern=STYLE_PATTERN),
        CallbackQueryHandler(questions.reuse_button, pattern=REUSE_PATTERN),
        CallbackQueryHandler(questions.gallery_button, pattern=GALLERY_PATTERN),
    ]
