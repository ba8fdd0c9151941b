"""The buttons of the conversation's questions (bot.handlers.conversation): a strength or all three
compared, swap the pictures, which one a new picture replaces, a style from the gallery or the
user's recent ones; and New style / New photo under a result, which start a conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot import gallery
from bot.asking import ask_style, close_question, show_gallery
from bot.context import BotContext
from bot.drafts import Draft, Step
from bot.gallery.artwork import GALLERY_FILE_PREFIX
from bot.keyboards import (
    Reuse,
    StyleChoice,
    parse_compare,
    parse_gallery,
    parse_reuse,
    parse_strength,
    parse_style,
    parse_swap,
    parse_which,
    strength_keyboard,
)
from bot.presses import Press, button
from bot.steps import queue_draft, ready
from bot.submission import refusal_text
from bot.texts.catalogue import text
from bot.texts.choices import quoted, strength_label
from stylebot import uploads
from stylebot.choices import Strength
from stylebot.outcomes import Refused


def _closed_key(press: Press[Any], draft: Draft | None) -> str:
    """A button of a question no longer open: the one just answered (a double tap), or an older one."""
    double_tap = draft is not None and press.message_id is not None and press.message_id == draft.status
    return "already_on_it" if double_tap else "question_closed"


async def _open_draft(
    context: BotContext, press: Press[Any], is_open: Callable[[Draft], bool]
) -> Draft | None:
    """Answers the press, and returns the draft if its question is still open (`is_open`); else
    says the question is closed and returns None. The answer comes before any database work: as a
    popup when this process knows the draft, else as a message once it is read."""
    drafts = context.services.drafts
    known = drafts.peek(press.user_id)
    if known is not None and not is_open(known):
        await press.query.answer(text(context.language, _closed_key(press, known)))
        return None
    await press.query.answer()
    draft = await drafts.get(press.user_id)
    if not is_open(draft):
        await context.bot.send_message(press.chat_id, text(context.language, _closed_key(press, draft)))
        return None
    return draft


def _at_strength(draft: Draft) -> bool:
    return draft.step == Step.STRENGTH


@button(parse_strength, answer=False)
async def strength_button(update: Update, context: BotContext, press: Press[Strength]) -> None:
    """Queues the draft at the pressed strength; its question becomes the status message."""
    await _strength_or_compare(update, context, press, compare=False)


@button(parse_compare, answer=False)
async def compare_button(update: Update, context: BotContext, press: Press[Strength]) -> None:
    """Queues light, medium and strong at once, to be sent side by side."""
    await _strength_or_compare(update, context, press, compare=True)


async def _strength_or_compare(
    update: Update, context: BotContext, press: Press[Strength], *, compare: bool
) -> None:
    draft = await _open_draft(context, press, _at_strength)
    if draft is None:
        return
    lang = context.language
    label = quoted(lang, text(lang, "compare_button") if compare else strength_label(lang, press.data))
    await queue_draft(
        update, context, draft, strength=press.data, compare=compare, pressed=press.message_id, action=label
    )


@button(parse_swap, answer=False)
async def swap_button(update: Update, context: BotContext, press: Press[bool]) -> None:
    """The photo becomes the style and the style the photo; the question stays."""
    draft = await _open_draft(context, press, _at_strength)
    if draft is None:
        return
    lang = context.language
    await press.query.edit_message_text(text(lang, "swapped"), reply_markup=strength_keyboard(lang))
    await context.services.drafts.put(press.user_id, draft.changed(content=draft.style, style=draft.content))


@button(parse_which, answer=False)
async def which_button(update: Update, context: BotContext, press: Press[str]) -> None:
    """The picture sent at the strength question replaces the photo, or the style."""
    draft = await _open_draft(context, press, lambda d: d.pending is not None)
    if draft is None:
        return
    lang = context.language
    replaced = draft.changed(**{press.data: draft.pending}, pending=None)
    await close_question(context.bot, chat_id=press.chat_id, message_id=draft.question)
    # The "which one?" message becomes the strength question.
    intro = "replaced_content" if press.data == "content" else "replaced_style"
    await press.query.edit_message_text(text(lang, intro), reply_markup=strength_keyboard(lang))
    await context.services.drafts.put(
        press.user_id, replaced.changed(question=press.message_id), drop_others=True
    )


@button(parse_style, answer=False)
async def style_button(update: Update, context: BotContext, press: Press[StyleChoice]) -> None:
    """A style from the gallery or the user's recent ones (also instead of one already sent)."""
    lang = context.language
    if press.data.kind == "own":
        await press.query.answer(text(lang, "send_own_hint"))
        return
    draft = await _open_draft(
        context, press, lambda d: d.step in (Step.STYLE, Step.STRENGTH) and d.content is not None
    )
    if draft is None:
        return
    try:
        upload = await _picked_style(context, press.user_id, press.data)
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return
    if upload is None:
        await context.bot.send_message(press.chat_id, text(lang, "style_gone"))
        return
    await ready(update, context, draft.changed(style=upload), "got_style")


async def _picked_style(context: BotContext, user_id: int, choice: StyleChoice) -> int | None:
    """An upload of the picked style; None if it is no longer in the gallery."""
    found = context.services
    if choice.kind == "r":
        async with found.sessions.begin() as session:
            return await uploads.upload_from_request(
                session=session, request_id=int(choice.key), user_id=user_id, part="style"
            )
    picked = await asyncio.to_thread(gallery.read_style, found.settings.style_gallery_dir, choice.key)
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


@button(parse_reuse)
async def reuse_button(update: Update, context: BotContext, press: Press[Reuse]) -> None:
    """New style / New photo under a result: keeps that picture and asks for the other one."""
    found, lang = context.services, context.language
    try:
        async with found.sessions.begin() as session:
            upload = await uploads.upload_from_request(
                session=session, request_id=press.data.request_id, user_id=press.user_id, part=press.data.keep
            )
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return  # whatever conversation was going on goes on
    draft = await found.drafts.get(press.user_id)
    await close_question(context.bot, chat_id=press.chat_id, message_id=draft.question)
    if press.data.keep == "content":
        question = await ask_style(
            found,
            context.bot,
            chat_id=press.chat_id,
            user_id=press.user_id,
            lang=lang,
            intro_key="new_style_prompt",
        )
        new = Draft(step=Step.STYLE, content=upload, question=question)
    else:
        await context.bot.send_message(press.chat_id, text(lang, "new_photo_prompt"))
        new = Draft(step=Step.CONTENT, style=upload)
    await found.drafts.put(press.user_id, new, drop_others=True)


@button(parse_gallery)
async def gallery_button(update: Update, context: BotContext, press: Press[bool]) -> None:
    """Shows the gallery's picture again (sent once per user; this button brings it back)."""
    await show_gallery(context.services, context.bot, chat_id=press.chat_id, lang=context.language)
