"""Tells users how their requests are going: polls the database, edits status messages, sends results.

Polling works whichever machine the workers run on. Status edits are throttled to one per chat
every EDIT_INTERVAL seconds (Telegram's limit); a failed send is retried with backoff. Each user
is told in their own language.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.keyboards import cancel_keyboard, result_keyboard
from bot.replies import edit_text
from bot.texts.catalogue import language_for, text
from bot.texts.status import failure_text, note_text, status_text
from bot.texts.strengths import strength_label
from stylebot import stats, store
from stylebot.choices import Strength
from stylebot.models import Status, utcnow
from stylebot.outcomes import Failure

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
EDIT_INTERVAL = 2.0
# Status edits in one round, all chats together. Telegram allows about 30 messages a second in
# all; edits are the least urgent of them, so they leave room for replies and results.
EDITS_PER_ROUND = 10
# Results delivered in one round at most; the rest go in the next (after a Telegram outage).
RESULTS_PER_ROUND = 100
MAX_BACKOFF = 300.0
# A result that Telegram refused this many times (about half an hour, with the backoff) is given up.
MAX_DELIVERY_FAILURES = 12
# Telegram shows photos at most this large; a larger result is also sent as a file.
PHOTO_SIDE = 1280


@dataclass
class Notifier:
    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    _shown: dict[int, str] = field(default_factory=dict)  # request id -> status text on screen
    _last_edit: dict[int, float] = field(default_factory=dict)  # chat id -> monotonic time
    _retry_at: dict[int, float] = field(default_factory=dict)  # request id -> monotonic time
    _failures: dict[int, int] = field(default_factory=dict)
    _edits_left: int = EDITS_PER_ROUND

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except SQLAlchemyError as exc:  # the database is away: try again next round
                log.warning("notifier: database unavailable (%s)", type(exc).__name__)
            except Exception:
                log.exception("notifier round failed")
            await asyncio.sleep(POLL_SECONDS)

    async def tick(self) -> None:
        # Results first, then progress of running jobs, then the places of the first queued requests
        # (in claim order) that have a status message: no more of them can be edited in one round.
        async with self.sessions() as session:
            finished = await store.finished_undelivered(session=session, limit=RESULTS_PER_ROUND)
            running = await store.running_undelivered(session=session)
            queued = await store.queued_with_message(session=session, limit=EDITS_PER_ROUND)
            positions = await store.queue_positions(session=session, request_ids=[r.id for r in queued])
            model = await stats.wait_model(session, now=utcnow()) if queued else None
        now = time.monotonic()
        self._edits_left = EDITS_PER_ROUND
        for request in [*finished, *running, *queued]:
            if self._retry_at.get(request.id, 0.0) > now:
                continue
            try:
                if request.status in (Status.DONE, Status.FAILED):
                    await self._deliver(request)
                elif request.status_message_id is not None:
                    position = positions.get(request.id)
                    eta = model.wait(position) if model and position else None
                    await self._show_status(request, position, eta)
            except Forbidden:
                log.info("request %d: user blocked the bot; recorded as undeliverable", request.id)
                await self._mark_delivered(request.id, None, error=Failure.UNDELIVERABLE)
            except RetryAfter as exc:
                # PTB 22 gives an int of seconds, or a timedelta when PTB_TIMEDELTA is set.
                wait = exc.retry_after
                self._retry_at[request.id] = now + (
                    wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                )
                log.info("request %d: Telegram asks to wait %s s", request.id, wait)
            except TelegramError as exc:
                failures = self._failures.get(request.id, 0) + 1
                self._failures[request.id] = failures
                if failures >= MAX_DELIVERY_FAILURES and request.status in (Status.DONE, Status.FAILED):
                    # e.g. "chat not found": the account is gone. Stop, rather than try forever.
                    log.warning("request %d: not delivered after %d tries (%s)", request.id, failures, exc)
                    await self._mark_delivered(request.id, None, error=Failure.UNDELIVERABLE)
                    continue
                self._retry_at[request.id] = now + min(MAX_BACKOFF, 2.0**failures)
                log.warning("request %d: Telegram error (%s), retry %d", request.id, exc, failures)

    async def _show_status(self, request: store.Pending, position: int | None, wait: float | None) -> None:
        if request.status == Status.QUEUED and position is None:
            return
        lang = _language(request)
        new_text = status_text(
            lang,
            strength=request.strength,
            status=request.status,
            position=position,
            progress=request.progress,
            wait_seconds=wait,
        )
        if self._shown.get(request.id) == new_text:
            return
        if time.monotonic() - self._last_edit.get(request.chat_id, -EDIT_INTERVAL) < EDIT_INTERVAL:
            return
        if self._edits_left <= 0:
            return
        self._edits_left -= 1
        assert request.status_message_id is not None
        self._last_edit[request.chat_id] = time.monotonic()
        await edit_text(
            self.bot,
            chat_id=request.chat_id,
            message_id=request.status_message_id,
            new_text=new_text,
            reply_markup=cancel_keyboard(lang, request.id),
        )
        self._shown[request.id] = new_text

    async def _deliver(self, request: store.Pending) -> None:
        lang = _language(request)
        if request.status == Status.FAILED:
            failed = text(lang, "failure_message", reason=failure_text(lang, request.error))
            message = await self.bot.send_message(request.chat_id, failed)
            await self._mark_delivered(request.id, message.message_id)
            if request.status_message_id is not None:  # also takes the Cancel button away
                await edit_text(
                    self.bot, chat_id=request.chat_id, message_id=request.status_message_id, new_text=failed
                )
            return
        async with self.sessions() as session:
            image = await store.result_image(session=session, request_id=request.id)
        if image is None:
            await self._mark_delivered(request.id, None, error=Failure.RESULT_MISSING)
            return
        await self.bot.send_chat_action(request.chat_id, ChatAction.UPLOAD_PHOTO)
        seconds = request.engine_seconds or 0.0
        message = await self.bot.send_photo(
            request.chat_id,
            photo=image,
            caption=_caption(lang, request),
            reply_markup=result_keyboard(
                lang, request.id, strength=Strength.parse(request.strength), keep_colors=request.keep_colors
            ),
        )
        await self._mark_delivered(request.id, message.message_id)
        log.info("request %d: result delivered", request.id)
        if max(request.output_width or 0, request.output_height or 0) > PHOTO_SIDE:
            await self._send_full_size(request, image, lang)
        if request.status_message_id is not None:
            await edit_text(
                self.bot,
                chat_id=request.chat_id,
                message_id=request.status_message_id,
                new_text=text(lang, "done_status", seconds=seconds),
            )

    async def _send_full_size(self, request: store.Pending, image: bytes, lang: str) -> None:
        """The result as a file, which Telegram does not shrink. Best effort: the photo is delivered."""
        caption = text(lang, "full_size_caption", width=request.output_width, height=request.output_height)
        try:
            await self.bot.send_chat_action(request.chat_id, ChatAction.UPLOAD_DOCUMENT)
            await self.bot.send_document(
                request.chat_id, document=image, filename=f"stylebot-{request.id}.jpg", caption=caption
            )
        except TelegramError as exc:
            log.warning("request %d: full-size file not sent (%s)", request.id, exc)

    async def _mark_delivered(
        self, request_id: int, message_id: int | None, error: str | None = None
    ) -> None:
        async with self.sessions.begin() as session:
            await store.mark_delivered(
                session=session, request_id=request_id, result_message_id=message_id, error=error
            )
        for memo in (self._shown, self._retry_at, self._failures):
            memo.pop(request_id, None)


def _language(request: store.Pending) -> str:
    return language_for(request.language, request.telegram_language)


def _caption(lang: str, request: store.Pending) -> str:
    caption = text(
        lang,
        "caption",
        strength=strength_label(lang, request.strength),
        width=request.output_width,
        height=request.output_height,
        seconds=request.engine_seconds or 0.0,
    )
    if request.keep_colors:
        caption += f" · {text(lang, 'colors_kept')}"
    note = note_text(lang, request.note)
    return f"{caption}\n{note}" if note else caption
