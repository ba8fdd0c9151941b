"""What the conversation does with what the user sends, step by step (bot.drafts.Step).

Plain functions the handlers call (bot.handlers.conversation). Each ends by saving the draft, which
also marks the update handled: everything it says comes first.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Message, Update

from bot.asking import ask_strength, ask_style, ask_which, close_question
from bot.context import BotContext
from bot.drafts import Draft, Step
from bot.handling import later_updates
from bot.keyboards import strength_keyboard
from bot.pictures import PictureRefused, fetch_picture
from bot.services import Services
from bot.submission import StatusPlace, refusal_text, submit
from bot.texts.catalogue import text
from bot.texts.choices import strength_from_words
from stylebot import uploads
from stylebot.choices import Strength
from stylebot.images import stored_side
from stylebot.outcomes import Refusal, Refused
from stylebot.submissions import Order, Pictures, pictures_of_uploads

log = logging.getLogger(__name__)


async def keep_picture(update: Update, context: BotContext) -> int | None:
    """Downloads, checks and keeps the message's picture (an upload id); None after saying why not."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    found = context.services
    lang = context.language
    try:
        picture = await fetch_picture(
            message,
            max_pixels=found.settings.image_max_pixels,
            local_mode=found.settings.telegram_local_mode,
            max_side=stored_side(found.settings.engine_large_side),
        )
    except PictureRefused as refused:
        await message.reply_text(refused.say(lang))
        return None
    if picture.animated:
        await message.reply_text(text(lang, "first_frame"))
    async with found.sessions.begin() as session:
        return await uploads.add_upload(
            session=session, user_id=update.effective_user.id, file_id=picture.file_id, data=picture.data
        )


def caption_strength(message: Message, draft: Draft) -> Strength | None:
    return strength_from_words(message.caption) or draft.caption_strength


async def take_content(update: Update, context: BotContext, draft: Draft) -> None:
    """The photo to paint. With a style already chosen (New photo under a result), on to the strength."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    found = context.services
    album = message.media_group_id
    upload = await keep_picture(update, context)
    if upload is None:
        step = draft.step if draft.step != Step.IDLE else Step.CONTENT
        await found.drafts.put(user.id, draft.changed(step=step, album_refused=album or draft.album_refused))
        return
    started = Draft(
        step=Step.STYLE,
        content=upload,
        style=draft.style if draft.step == Step.CONTENT else None,  # kept by New photo
        caption_strength=caption_strength(message, draft),
        question=draft.question,
    )
    if started.style is not None:
        await close_question(context.bot, chat_id=chat.id, message_id=draft.question)
        await ready(update, context, started, "got_photo_same_style")
        return
    if album is not None and album != draft.album_refused:
        # The style is the album's next picture, arriving a moment later: nothing to ask.
        await found.drafts.put(user.id, started.changed(album=album), drop_others=True)
        return
    await close_question(context.bot, chat_id=chat.id, message_id=draft.question)
    question = await ask_style(
        found,
        context.bot,
        chat_id=chat.id,
        user_id=user.id,
        lang=context.language,
        intro_key="got_content",
    )
    await found.drafts.put(user.id, started.changed(question=question), drop_others=True)


async def take_style(update: Update, context: BotContext, draft: Draft) -> None:
    """The style picture: then the strength (asked, or named in a caption or the settings)."""
    message = update.effective_message
    assert message is not None
    album = message.media_group_id
    upload = await keep_picture(update, context)
    if upload is None:
        return
    draft = draft.changed(style=upload, caption_strength=caption_strength(message, draft))
    if album is None:
        await ready(update, context, draft, "got_style")
        return
    if _more_of_album(album):
        await message.reply_text(text(context.language, "album_extra"))
        draft = draft.changed(album_noted=album)
    await ready(update, context, draft.changed(album_done=album), "got_both")


def draft_user(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _more_of_album(album: str) -> bool:
    """Whether a third picture of `album` has arrived: Telegram hands an album's pictures over
    together, so it waits among the user's updates received after this one, if it came at all. (One
    that comes later still is noted when its turn comes, after the question.)"""
    return any(
        u.effective_message is not None and u.effective_message.media_group_id == album
        for u in later_updates()
    )


async def ready(update: Update, context: BotContext, draft: Draft, intro_key: str) -> None:
    """Both pictures are here: queued at once when the strength is known, else the question."""
    chat = update.effective_chat
    assert chat is not None
    await close_question(context.bot, chat_id=chat.id, message_id=draft.question)
    strength = draft.caption_strength or context.profile.default_strength
    draft = draft.changed(step=Step.STRENGTH, question=None, pending=None)
    if strength is not None:
        await queue_draft(update, context, draft, strength=strength)
        return
    question = await ask_strength(context.bot, chat_id=chat.id, lang=context.language, intro_key=intro_key)
    await context.services.drafts.put(draft_user(update), draft.changed(question=question))


async def queue_draft(
    update: Update,
    context: BotContext,
    draft: Draft,
    *,
    strength: Strength,
    compare: bool = False,
    pressed: int | None = None,
    action: str | None = None,
) -> None:
    """Queues the draft's pictures; `pressed` is the question whose button did it (it becomes the
    status message). A limit keeps the pictures and asks again; `action` names what to press."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and draft.content is not None and draft.style is not None
    found = context.services
    lang = context.language
    preferences = context.profile
    order = Order(
        strength,
        keep_colors=preferences.keep_colors,
        size=preferences.output_size,
        compare=compare,
        brush=preferences.default_brush,
    )
    content, style = draft.content, draft.style

    async def from_draft(session: AsyncSession) -> tuple[Pictures, Order]:
        pictures = await pictures_of_uploads(
            session=session, user_id=user.id, content_id=content, style_id=style
        )
        return pictures, order

    try:
        request = await submit(
            found,
            context.bot,
            user_id=user.id,
            lang=lang,
            what=from_draft,
            place=StatusPlace(chat.id, edit=pressed),
        )
    except Refused as refused:
        await _refused(
            found, context.bot, user.id, chat.id, lang, draft, refused, pressed=pressed, action=action
        )
        return
    idle = Draft(album_done=draft.album_done, album_noted=draft.album_noted, status=request.status_message_id)
    await found.drafts.put(user.id, idle, drop_others=True)


async def _refused(
    found: Services,
    bot: Bot,
    user_id: int,
    chat_id: int,
    lang: str,
    draft: Draft,
    refused: Refused,
    *,
    pressed: int | None,
    action: str | None,
) -> None:
    if refused.reason in (Refusal.PICTURES_GONE, Refusal.ALREADY_QUEUED):
        await bot.send_message(chat_id, refusal_text(lang, refused))
        await found.drafts.put(user_id, Draft(status=pressed), drop_others=True)
        return
    # A limit: the pictures are kept, and the question is asked again for when a place is free.
    await close_question(bot, chat_id=chat_id, message_id=pressed or draft.question)
    asked = action or text(lang, "pressed_strength")
    message = await bot.send_message(
        chat_id, refusal_text(lang, refused, action=asked), reply_markup=strength_keyboard(lang)
    )
    await found.drafts.put(user_id, draft.changed(step=Step.STRENGTH, question=message.message_id))


async def take_pending(update: Update, context: BotContext, draft: Draft) -> None:
    """A picture sent at the strength question: asked whether it is a new photo or a new style."""
    message = update.effective_message
    assert message is not None
    upload = await keep_picture(update, context)
    if upload is None:
        return
    await ask_which(message, lang=context.language)
    await context.services.drafts.put(draft_user(update), draft.changed(pending=upload))
