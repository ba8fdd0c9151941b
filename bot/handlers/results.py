"""The buttons under a result: Weaker, Stronger, Finer and Bigger strokes, Keep colours, Bigger (the
same pictures run again, at the user's current size), the full-quality file; a picture of a
comparison chosen; a painting of /history sent again. A repeated tap points at the message that
already holds its picture instead of painting or sending the same one again.

(New style and New photo start a conversation: bot.handlers.questions.reuse_button.)
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot.context import BotContext
from bot.keyboards import (
    Again,
    FileAsked,
    Picked,
    bigger_keyboard,
    compare_keyboard,
    keyboard_under_result,
    parse_again,
    parse_file,
    parse_history,
    parse_pick,
)
from bot.presses import Press, button
from bot.replies import edit_text, point_at, upload_seconds
from bot.submission import StatusPlace, refusal_text, submit
from bot.texts.captions import caption
from bot.texts.catalogue import text
from bot.texts.choices import quoted, request_style_name, strength_named
from stylebot import resultmessages
from stylebot.choices import Size
from stylebot.models import Request
from stylebot.outcomes import Refusal, Refused
from stylebot.resultmessages import Kind
from stylebot.results import result_picture
from stylebot.submissions import (
    WITH_PICTURES,
    Order,
    Pictures,
    changed_order,
    owned_request,
    pictures_of_request,
    same_result,
)

# Refusals that concern the button itself: said as a popup over it.
LADDER_ENDS = frozenset(
    {
        Refusal.ALREADY_LIGHTEST,
        Refusal.ALREADY_STRONGEST,
        Refusal.ALREADY_FINEST,
        Refusal.ALREADY_COARSEST,
        Refusal.ALREADY_LARGE,
    }
)
# Telegram keeps a photo at most this many pixels on its long side: a file up to it adds no pixels.
PHOTO_SIDE = 1280


@button(parse_again, answer=False)
async def again_button(update: Update, context: BotContext, press: Press[Again]) -> None:
    """Queues the result's pictures again, changed as the button says, at the user's current size;
    a painting the user already has that way is pointed at instead."""
    lang, again = context.language, press.data
    pressed = quoted(lang, text(lang, f"{again.change}_button"))
    try:
        async with context.services.sessions() as session:
            source = await owned_request(session=session, request_id=again.request_id, user_id=press.user_id)
            order = changed_order(
                source, again.change, strength=again.strength, size=context.profile.output_size
            )
            existing = await same_result(session=session, user_id=press.user_id, source=source, order=order)
    except Refused as refused:
        if refused.reason in LADDER_ENDS:
            await press.query.answer(refusal_text(lang, refused), show_alert=True)
            return
        await press.query.answer()
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused, action=pressed))
        return
    await press.query.answer()
    if existing is not None and await point_at(
        context.bot, chat_id=existing[0], message_id=existing[1], said=text(lang, "already_here")
    ):
        return

    async def rerun(session: AsyncSession) -> tuple[Pictures, Order]:
        source = await owned_request(
            session=session, request_id=again.request_id, user_id=press.user_id, load=WITH_PICTURES
        )
        return pictures_of_request(source), order

    try:
        await submit(
            context.services,
            context.bot,
            user_id=press.user_id,
            lang=lang,
            what=rerun,
            place=StatusPlace(press.chat_id, reply_to=press.message_id),
        )
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused, action=pressed))


@button(parse_file)
async def file_button(update: Update, context: BotContext, press: Press[FileAsked]) -> None:
    """Sends a result as a file, which Telegram neither shrinks nor recompresses; once: a repeated
    tap points at the file already sent. A file no bigger than the photo says what it adds."""
    lang, asked = context.language, press.data
    try:
        async with context.services.sessions() as session:
            picture = await result_picture(
                session=session, request_id=asked.request_id, user_id=press.user_id, strength=asked.strength
            )
            request = await owned_request(session=session, request_id=asked.request_id, user_id=press.user_id)
            sent = await resultmessages.carried(
                session=session,
                request_id=asked.request_id,
                kind=Kind.FILE,
                strength=asked.strength,
                chat_id=press.chat_id,
            )
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return
    if sent is not None and await point_at(
        context.bot, chat_id=sent.chat_id, message_id=sent.message_id, said=text(lang, "already_here")
    ):
        return
    await context.bot.send_chat_action(press.chat_id, ChatAction.UPLOAD_DOCUMENT)
    same_as_photo = max(picture.width, picture.height) <= PHOTO_SIDE
    said = "file_caption_same_size" if same_as_photo else "file_caption"
    markup: InlineKeyboardMarkup | None = None
    if same_as_photo and request.size != Size.LARGE:
        markup = bigger_keyboard(lang, asked.request_id, asked.strength or request.strength)
    name = f"stylebot-{asked.request_id}{'-' + asked.strength if asked.strength else ''}.jpg"
    message = await context.bot.send_document(
        press.chat_id,
        document=picture.image,
        filename=name,
        caption=text(lang, said, width=picture.width, height=picture.height),
        reply_markup=markup,
        write_timeout=upload_seconds(len(picture.image)),
    )
    async with context.services.sessions.begin() as session:
        await resultmessages.remember(
            session=session,
            chat_id=press.chat_id,
            message_id=message.message_id,
            request_id=asked.request_id,
            kind=Kind.FILE,
            strength=asked.strength,
            file_id=message.document.file_id if message.document else None,
        )


@button(parse_pick)
async def pick_button(update: Update, context: BotContext, press: Press[Picked]) -> None:
    """Makes one picture of a comparison the result: the message under the album gets its buttons."""
    lang, picked = context.language, press.data
    try:
        async with context.services.sessions() as session:
            request = await owned_request(
                session=session, request_id=picked.request_id, user_id=press.user_id
            )
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return
    if press.message_id is None:
        return
    style = request_style_name(lang, request.style_name, request.style_file_id)
    await edit_text(
        context.bot,
        chat_id=press.chat_id,
        message_id=press.message_id,
        new_text=text(lang, "compare_picked", style=style, strength=strength_named(lang, picked.strength)),
        reply_markup=compare_keyboard(
            lang,
            request.id,
            chosen=picked.strength,
            keep_colors=request.keep_colors,
            brush=request.brush,
            size=request.size,
        ),
    )


@button(parse_history)
async def history_button(update: Update, context: BotContext, press: Press[int]) -> None:
    """Sends a painting of /history's contact sheet again, with its buttons (by Telegram's file id
    when it has one: no upload)."""
    lang = context.language
    try:
        async with context.services.sessions() as session:
            request = await owned_request(
                session=session,
                request_id=press.data,
                user_id=press.user_id,
                load=[undefer(Request.result_image)],
            )
            sent = await resultmessages.carried(
                session=session, request_id=request.id, kind=Kind.PHOTO, strength=None, chat_id=press.chat_id
            )
        if request.result_image is None:  # retention took it: its copies in the chat are not offered
            raise Refused(Refusal.PICTURES_GONE)
        photo: str | bytes = sent.file_id if sent and sent.file_id else request.result_image
    except Refused as refused:
        await context.bot.send_message(press.chat_id, refusal_text(lang, refused))
        return
    message = await context.bot.send_photo(
        press.chat_id,
        photo=photo,
        caption=caption(lang, request),
        reply_markup=keyboard_under_result(lang, request),
    )
    async with context.services.sessions.begin() as session:
        await resultmessages.remember(
            session=session,
            chat_id=press.chat_id,
            message_id=message.message_id,
            request_id=request.id,
            kind=Kind.PHOTO,
            file_id=message.photo[-1].file_id if message.photo else None,
        )
