"""Putting a request in the queue: the per-user limits, then the status message with its Cancel button.

Shared by the conversation (two pictures and a strength) and the buttons under a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, CallbackQuery, ReplyParameters

from bot.keyboards import cancel_keyboard
from bot.services import Services
from bot.texts import status_text, text
from stylebot import stats, store
from stylebot.models import Request, Status, utcnow
from stylebot.settings import Settings


@dataclass(frozen=True)
class Refusal:
    """Why a request cannot be queued now, as a text key and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def say(self, lang: str) -> str:
        return text(lang, self.key, **self.values)


async def limits_refusal(
    *, session: AsyncSession, settings: Settings, user_id: int, now: datetime
) -> Refusal | None:
    """The queue cap (MAX_QUEUED_PER_USER) and the daily quota (DAILY_QUOTA, UTC days)."""
    if await store.count_queued(session=session, user_id=user_id) >= settings.max_queued_per_user:
        return Refusal("queue_full", {"limit": settings.max_queued_per_user})
    if settings.daily_quota:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if await store.count_since(session=session, user_id=user_id, since=midnight) >= settings.daily_quota:
            left = int((midnight + timedelta(days=1) - now).total_seconds())
            return Refusal(
                "quota_reached",
                {"quota": settings.daily_quota, "hours": left // 3600, "minutes": left % 3600 // 60},
            )
    return None


async def queued_text(session: AsyncSession, *, lang: str, request: Request) -> str:
    """The first status text of a request that has just been queued."""
    position = await store.queue_position(session=session, request_id=request.id)
    model = await stats.wait_model(session, now=utcnow())
    return status_text(
        lang,
        strength=request.strength,
        status=Status.QUEUED,
        position=position,
        wait_seconds=model.wait(position),
    )


async def show_status(
    found: Services,
    bot: Bot,
    *,
    lang: str,
    request: Request,
    status: str,
    query: CallbackQuery | None = None,
    reply_to: int | None = None,
) -> None:
    """Turns the pressed keyboard into the status message, or sends a new one and records it."""
    markup = cancel_keyboard(lang, request.id)
    if query is not None and query.message is not None:
        await query.edit_message_text(status, reply_markup=markup)
        return
    # Replying to a result that has since been deleted must not fail the request.
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    message = await bot.send_message(request.chat_id, status, reply_markup=markup, reply_parameters=reply)
    async with found.sessions.begin() as session:
        await store.set_status_message(session=session, request_id=request.id, message_id=message.message_id)
