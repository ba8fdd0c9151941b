"""The conversation that makes a picture: the photo, the style (sent, or picked from the gallery or
the user's recent ones), the strength; then the request is queued.

Where the user is, and what they sent so far, is their draft (bot.drafts); what each step does with
a picture or an answer is in bot.steps. Every input is welcome at every step: /start starts over,
a second picture at the strength question asks which one it replaces, a strength can be typed, the
two pictures can be swapped, and a button from an earlier question answers without a dead end.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import gallery
from bot.access.profiles import language
from bot.asking import ask_style, close_question
from bot.drafts import Draft, Step
from bot.gallery.artwork import GALLERY_FILE_PREFIX
from bot.keyboards import (
    COMPARE_PATTERN,
    REUSE_PATTERN,
    STRENGTH_PATTERN,
    STYLE_PATTERN,
    SWAP_PATTERN,
    WHICH_PATTERN,
    parse_reuse,
    parse_strength,
    parse_style,
    parse_which,
    strength_keyboard,
)
from bot.services import services
from bot.steps import queue_draft, ready, take_content, take_pending, take_style
from bot.submission import refusal_text
from bot.texts.catalogue import text
from bot.texts.choices import quoted, strength_from_words, strength_label
from stylebot import uploads
from stylebot.choices import Strength
from stylebot.outcomes import Refused

log = logging.getLogger(__name__)

PICTURES = filters.PHOTO | filters.Document.ALL
EXPECTATION = {Step.CONTENT: "expect_content", Step.STYLE: "expect_style", Step.STRENGTH: "expect_strength"}


def _user_and_chat(update: Update) -> tuple[int, int]:
    assert update.effective_user is not None and update.effective_chat is not None
    return update.effective_user.id, update.effective_chat.id


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Starts over, whatever was half-made: greets, and asks for the photo."""
    user_id, chat_id = _user_and_chat(update)
    assert update.effective_message is not None and update.effective_user is not None
    found = services(context)
    draft = await found.drafts.get(user_id)
    await close_question(context.bot, chat_id=chat_id, message_id=draft.question)
    await update.effective_message.reply_text(
        text(language(update, context), "start", name=update.effective_user.first_name)
    )
    await found.drafts.put(user_id, Draft(step=Step.CONTENT), drop_others=True)


async def picture(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A picture: the photo, the style, or (at the strength question) a replacement for one of them."""
    user_id, _ = _user_and_chat(update)
    message = update.effective_message
    assert message is not None
    found = services(context)
    draft = await found.drafts.get(user_id)
    album = message.media_group_id
    if album is not None and album in (draft.album_done, draft.album) and draft.step != Step.STYLE:
        if album != draft.album_noted:  # a third picture of an album: said once
            await message.reply_text(text(language(update, context), "album_extra"))
        await found.drafts.put(user_id, draft.changed(album_noted=album))
        return
    if draft.step == Step.STYLE and (album is None or album == draft.album):
        await take_style(update, context, draft)
    elif draft.step == Step.STRENGTH:
        await take_pending(update, context, draft)
    else:  # the photo; also a new album at the style question, which starts over
        await take_content(update, context, draft)


async def words(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text, a sticker, a voice message...: a typed strength at the strength question, else a hint
    of what the bot expects now."""
    user_id, _ = _user_and_chat(update)
    message = update.effective_message
    assert message is not None
    draft = await services(context).drafts.get(user_id)
    lang = language(update, context)
    if draft.step == Step.STRENGTH:
        strength = strength_from_words(message.text)
        if strength is not None:
            action = quoted(lang, strength_label(lang, strength))
            await queue_draft(update, context, draft, strength=strength, action=action)
            return
    await message.reply_text(text(lang, EXPECTATION.get(draft.step, "idle")))


async def _answer_closed(query: CallbackQuery, lang: str, draft: Draft | None) -> None:
    """A button of a question that is no longer open: the one just answered (a double tap), or older."""
    pressed = query.message.message_id if query.message is not None else None
    key = (
        "already_on_it"
        if draft is not None and pressed is not None and pressed == draft.status
        else "question_closed"
    )
    await query.answer(text(lang, key))


async def strength_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queues the draft at the pressed strength; its question becomes the status message."""
    query = update.callback_query
    assert query is not None
    await _strength_or_compare(update, context, parse_strength(query.data), compare=False)


async def compare_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queues light, medium and strong at once, to be sent side by side."""
    await _strength_or_compare(update, context, Strength.MEDIUM, compare=True)


async def _strength_or_compare(
    update: Update, context: ContextTypes.DEFAULT_TYPE, strength: Strength | None, *, compare: bool
) -> None:
    query = update.callback_query
    user_id, _ = _user_and_chat(update)
    assert query is not None
    lang = language(update, context)
    found = services(context)
    if strength is None:
        await query.answer(text(lang, "expired_button"))
        return
    known = found.drafts.peek(user_id)
    if known is not None and known.step != Step.STRENGTH:
        await _answer_closed(query, lang, known)
        return
    await query.answer()
    draft = await found.drafts.get(user_id)
    if draft.step != Step.STRENGTH:
        await _closed_as_message(update, context, draft)
        return
    pressed = query.message.message_id if query.message is not None else None
    label = quoted(lang, text(lang, "compare_button") if compare else strength_label(lang, strength))
    await queue_draft(
        update, context, draft, strength=strength, compare=compare, pressed=pressed, action=label
    )


async def _closed_as_message(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> None:
    """What _answer_closed says, when the draft had to be read first (the button was answered)."""
    assert update.effective_chat is not None and update.callback_query is not None
    message = update.callback_query.message
    pressed = message.message_id if message is not None else None
    key = "already_on_it" if pressed is not None and pressed == draft.status else "question_closed"
    await context.bot.send_message(update.effective_chat.id, text(language(update, context), key))


async def swap_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The photo becomes the style and the style the photo; the question stays."""
    query = update.callback_query
    user_id, _ = _user_and_chat(update)
    assert query is not None
    lang = language(update, context)
    found = services(context)
    known = found.drafts.peek(user_id)
    if known is not None and known.step != Step.STRENGTH:
        await _answer_closed(query, lang, known)
        return
    await query.answer()
    draft = await found.drafts.get(user_id)
    if draft.step != Step.STRENGTH:
        await _closed_as_message(update, context, draft)
        return
    await query.edit_message_text(text(lang, "swapped"), reply_markup=strength_keyboard(lang))
    await found.drafts.put(user_id, draft.changed(content=draft.style, style=draft.content))


async def which_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The picture sent at the strength question replaces the photo, or the style."""
    query = update.callback_query
    user_id, chat_id = _user_and_chat(update)
    assert query is not None
    lang = language(update, context)
    found = services(context)
    part = parse_which(query.data)
    known = found.drafts.peek(user_id)
    if part is None or (known is not None and known.pending is None):
        await _answer_closed(query, lang, known)
        return
    await query.answer()
    draft = await found.drafts.get(user_id)
    if draft.pending is None:
        await _closed_as_message(update, context, draft)
        return
    replaced = draft.changed(**{part: draft.pending}, pending=None)
    await close_question(context.bot, chat_id=chat_id, message_id=draft.question)
    # The "which one?" message becomes the strength question.
    intro = "replaced_content" if part == "content" else "replaced_style"
    await query.edit_message_text(text(lang, intro), reply_markup=strength_keyboard(lang))
    pressed = query.message.message_id if query.message is not None else None
    await found.drafts.put(user_id, replaced.changed(question=pressed), drop_others=True)


async def style_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A style from the gallery or the user's recent ones (also instead of one already sent)."""
    query = update.callback_query
    user_id, _ = _user_and_chat(update)
    assert query is not None
    lang = language(update, context)
    found = services(context)
    choice = parse_style(query.data)
    if choice is None or choice.kind == "own":
        await query.answer(text(lang, "send_own_hint" if choice is not None else "expired_button"))
        return
    known = found.drafts.peek(user_id)
    if known is not None and known.step not in (Step.STYLE, Step.STRENGTH):
        await _answer_closed(query, lang, known)
        return
    await query.answer()
    draft = await found.drafts.get(user_id)
    if draft.step not in (Step.STYLE, Step.STRENGTH) or draft.content is None:
        await _closed_as_message(update, context, draft)
        return
    try:
        upload = await _picked_style(update, context, choice.kind, choice.key)
    except Refused as refused:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, refusal_text(lang, refused))
        return
    if upload is None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, text(lang, "style_gone"))
        return
    await ready(update, context, draft.changed(style=upload), "got_style")


async def _picked_style(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, key: str
) -> int | None:
    """An upload of the picked style; None if it is no longer in the gallery."""
    user_id, _ = _user_and_chat(update)
    found = services(context)
    if kind == "r":
        async with found.sessions.begin() as session:
            return await uploads.upload_from_request(
                session=session, request_id=int(key), user_id=user_id, part="style"
            )
    picked = await asyncio.to_thread(gallery.read_style, found.settings.style_gallery_dir, key)
    if picked is None:
        return None
    style, data = picked
    async with found.sessions.begin() as session:
        return await uploads.add_upload(
            session=session,
            user_id=user_id,
            file_id=f"{GALLERY_FILE_PREFIX}{style.key}",
            data=data,
            name=style.name,
        )


async def reuse_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """New style / New photo under a result: keeps that picture and asks for the other one."""
    query = update.callback_query
    user_id, chat_id = _user_and_chat(update)
    assert query is not None
    lang = language(update, context)
    parsed = parse_reuse(query.data)
    if parsed is None:
        await query.answer(text(lang, "expired_button"))
        return
    await query.answer()
    found = services(context)
    try:
        async with found.sessions.begin() as session:
            upload = await uploads.upload_from_request(
                session=session, request_id=parsed.request_id, user_id=user_id, part=parsed.keep
            )
    except Refused as refused:
        await context.bot.send_message(chat_id, refusal_text(lang, refused))
        return  # whatever conversation was going on goes on
    draft = await found.drafts.get(user_id)
    await close_question(context.bot, chat_id=chat_id, message_id=draft.question)
    if parsed.keep == "content":
        question = await ask_style(
            found, context.bot, chat_id=chat_id, user_id=user_id, lang=lang, intro_key="new_style_prompt"
        )
        new = Draft(step=Step.STYLE, content=upload, question=question)
    else:
        await context.bot.send_message(chat_id, text(lang, "new_photo_prompt"))
        new = Draft(step=Step.CONTENT, style=upload)
    await found.drafts.put(user_id, new, drop_others=True)


def conversation_handlers() -> list[BaseHandler]:
    """Every input of the conversation, in the order python-telegram-bot tries them."""
    return [
        CommandHandler("start", start),
        MessageHandler(PICTURES, picture),
        MessageHandler(~filters.COMMAND, words),
        CallbackQueryHandler(strength_button, pattern=STRENGTH_PATTERN),
        CallbackQueryHandler(compare_button, pattern=COMPARE_PATTERN),
        CallbackQueryHandler(swap_button, pattern=SWAP_PATTERN),
        CallbackQueryHandler(which_button, pattern=WHICH_PATTERN),
        CallbackQueryHandler(style_button, pattern=STYLE_PATTERN),
        CallbackQueryHandler(reuse_button, pattern=REUSE_PATTERN),
    ]
