"""Putting a request in the queue, whoever asks (the conversation, a button under a result): the
shared layer checks and creates it, then its status message shows its place, with a Cancel button.

Refusals (stylebot.outcomes.Refused) reach the caller, which says them where the user looks.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, ReplyParameters

from bot.handling import handled_update_id
from bot.keyboards import cancel_keyboard
from bot.services import Services
from bot.texts.catalogue import text
from bot.texts.status import queued_text
from stylebot import delivery, estimates, positions, stats, submissions
from stylebot.models import Request, utcnow
from stylebot.outcomes import Refusal, Refused
from stylebot.submissions import Limits, Order, Pictures

log = logging.getLogger(__name__)

# Reads, in the submission's transaction, the pictures to paint and how.
WhatToPaint = Callable[[AsyncSession], Awaitable[tuple[Pictures, Order]]]


@dataclass(frozen=True)
class StatusPlace:
    """Where the status message goes: into the message whose button was pressed, or a new one."""

    chat_id: int
    edit: int | None = None  # the message to turn into the status
    reply_to: int | None = None  # for a new message: the message it answers (a result)


async def submit(
    found: Services, bot: Bot, *, user_id: int, lang: str, what: WhatToPaint, place: StatusPlace
) -> Request:
    """Queues what `what` reads (in the same transaction), and shows the status message."""
    async with found.sessions.begin() as session:
        pictures, order = await what(session)
        request = await submissions.queue_request(
            session=session,
            user_id=user_id,
            chat_id=place.chat_id,
            pictures=pictures,
            order=order,
            limits=Limits.of(found.settings),
            now=utcnow(),
            update_id=handled_update_id(),
        )
        if place.edit is not None:
            request.status_message_id = place.edit
    # Read after the commit: two requests queued at the same moment see each other, so their places differ.
    async with found.sessions() as session:
        status = await _queued_text(session, lang=lang, request=request)
    log.info("request %d queued by user %d (%s)", request.id, user_id, order.strength)
    found.statuses_shown[request.id] = status
    markup = cancel_keyboard(lang, request.id)
    if place.edit is not None:
        await bot.edit_message_text(status, chat_id=place.chat_id, message_id=place.edit, reply_markup=markup)
        return request
    # Replying to a result that has since been deleted must not fail the request.
    reply = ReplyParameters(place.reply_to, allow_sending_without_reply=True) if place.reply_to else None
    message = await bot.send_message(place.chat_id, status, reply_markup=markup, reply_parameters=reply)
    async with found.sessions.begin() as session:
        await delivery.set_status_message(
            session=session, request_id=request.id, message_id=message.message_id
        )
    request.status_message_id = message.message_id
    return request


async def _queued_text(session: AsyncSession, *, lang: str, request: Request) -> str:
    """The first status text of a request that has just been queued."""
    position = await positions.queue_position(session=session, request_id=request.id)
    model = await stats.wait_model(session, now=utcnow())
    speeds = await estimates.load(session)
    own = speeds.job_seconds(
        size=request.size, compare=request.compare, strength=request.strength, brush=request.brush
    )
    return queued_text(
        lang,
        strength=request.strength,
        compare=request.compare,
        position=position,
        model=model,
        own_seconds=own,
    )


def refusal_text(lang: str, refused: Refused, *, action: str = "") -> str:
    """A refusal of the shared layer, in words; `action` names what to press again (a full queue)."""
    values: dict[str, object] = dict(refused.values)
    if refused.reason == Refusal.QUEUE_FULL:
        values["action"] = action or text(lang, "pressed_strength")
    if "resets_in_seconds" in values:  # said as hours and minutes
        left = refused.values["resets_in_seconds"]
        del values["resets_in_seconds"]
        values |= {"hours": left // 3600, "minutes": left % 3600 // 60}
    return text(lang, f"refused_{refused.reason}", **values)
