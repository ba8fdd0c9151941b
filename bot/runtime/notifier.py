"""Tells users how their requests are going: reads the database when woken (a job claimed,
progressing or finished: stylebot.wakeups) and at a slow poll, delivers outcomes and edits status
messages, each chat in its own lane (bot.runtime.lanes).

Reading the database works whichever machine the workers run on. What a round reads is bounded
however long the queue is: the outcomes to deliver, the running jobs, and the queued requests at a
few places (MilestoneRotation). A failed send is retried with growing pauses; one that keeps
failing is given up after MAX_DELIVERY_FAILURES.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.keyboards import cancel_keyboard
from bot.metrics import BotMetrics, DeliveryOutcome
from bot.replies import retry_seconds
from bot.runtime.delivery import Deliverer, language_of
from bot.runtime.lanes import ChatLanes
from bot.runtime.previews import StatusPictures
from bot.texts.status import EXACT_UP_TO, MILESTONES, status_for
from stylebot import delivery, estimates, positions, stats
from stylebot.delivery import Pending
from stylebot.estimates import Speeds
from stylebot.models import Status, utcnow
from stylebot.outcomes import Failure
from stylebot.stats import WaitModel
from stylebot.wakeups import AsyncListener

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # without a wake-up listener (tests that drive rounds by hand)
# Rounds start at most this often however many wake-ups come (many jobs' progress at once): the
# wake-ups that arrive meanwhile make one round.
MIN_ROUND_GAP = 0.05
EDIT_INTERVAL = 2.0  # a chat's status is edited at most this often
# Status edits in one round, all chats together. Telegram allows about 30 messages a second in
# all; edits are the least urgent of them, so they leave room for replies and results.
EDITS_PER_ROUND = 10
RESULTS_PER_ROUND = 100  # the rest go in the next round (after a Telegram outage)
SENDS_AT_ONCE = 16
FIRST_BACKOFF = 2.0
MAX_BACKOFF = 300.0
# A result that Telegram refused this many times (about half an hour, with the backoff) is given up.
MAX_DELIVERY_FAILURES = 12
DELIVERED_MEMORY_SECONDS = 60.0  # far longer than a round's read of the database takes
# Each round looks at the front of the queue, and at the places just inside a few milestones
# (bot.texts.status.MILESTONES): a request there has just crossed one, and its status shows a
# milestone further back.
WINDOW = 20
MILESTONES_PER_ROUND = 3


class MilestoneRotation:
    """Which milestones' windows a round looks at: a few each round, all of them in turn."""

    def __init__(self) -> None:
        self._next = 0

    def windows(self, depth: int) -> list[tuple[int, int]]:
        """(first place, how many) for the front of the queue and this round's milestones."""
        reachable = [m for m in MILESTONES if m - WINDOW < depth]
        chosen = []
        for _ in range(min(MILESTONES_PER_ROUND, len(reachable))):
            chosen.append(reachable[self._next % len(reachable)])
            self._next += 1
        return [(1, EXACT_UP_TO)] + [(max(EXACT_UP_TO + 1, m - WINDOW + 1), WINDOW) for m in chosen]


@dataclass
class Notifier:
    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    metrics: BotMetrics = field(default_factory=BotMetrics)
    lanes: ChatLanes = field(default_factory=lambda: ChatLanes(SENDS_AT_ONCE))
    rounds: int = 0  # rounds completed: tests wait for one to pass rather than sleep
    _deliverer: Deliverer = field(init=False)
    shown: dict[int, str] = field(default_factory=dict)  # request id -> status text on screen (Services)
    _last_edit: dict[int, float] = field(default_factory=dict)  # chat id -> monotonic time
    _retry_at: dict[int, float] = field(default_factory=dict)  # request id -> monotonic time
    _failures: dict[int, int] = field(default_factory=dict)
    # Outcomes this process delivered, and when: a round that read the database just before the
    # record was written still sees them undelivered, and must not send them again. Known by id and
    # finish time: after /forget, SQLite may give a new request the id of a deleted one.
    _delivered: dict[tuple[int, datetime | None], float] = field(default_factory=dict)
    _rotation: MilestoneRotation = field(default_factory=MilestoneRotation)
    # Wakes a round the moment a worker commits a change; the poll stays as the safety net.
    wake: AsyncListener | None = None
    poll_seconds: float = POLL_SECONDS
    # After a refused delivery the next try waits this long, doubling with each failure up to
    # MAX_BACKOFF (tests shorten it: the doubling is what they check, not the seconds).
    first_backoff: float = FIRST_BACKOFF
    _round_at: float = 0.0  # when the last round started (time.monotonic())
    pictures: StatusPictures = field(init=False)  # the painting so far, in running statuses
    _speeds: Speeds = field(default_factory=lambda: Speeds({}))  # for the time left

    def __post_init__(self) -> None:
        self._deliverer = Deliverer(self.bot, self.sessions)
        self.pictures = StatusPictures(self.bot, self.sessions)

    async def run(self) -> None:
        if self.wake is not None:
            await self.wake.start()
        try:
            while True:
                try:
                    await self.tick()
                except SQLAlchemyError as exc:  # the database is away: try again next round
                    log.warning("notifier: database unavailable (%s)", type(exc).__name__)
                except Exception:
                    log.exception("notifier round failed")
                self.rounds += 1
                await self._wait()
        finally:
            self.lanes.cancel()
            if self.wake is not None:
                await self.wake.close()

    async def _wait(self) -> None:
        """Until a wake-up, the poll, or the next retry of a delivery, whichever comes first."""
        await asyncio.sleep(max(0.0, self._round_at + MIN_ROUND_GAP - time.monotonic()))
        now = time.monotonic()
        timeout = min([self.poll_seconds] + [at - now for at in self._retry_at.values() if at > now])
        if self.wake is None:
            await asyncio.sleep(timeout)
        else:
            await self.wake.wait(timeout)
        self._round_at = time.monotonic()

    async def tick(self) -> None:
        async with self.sessions() as session:
            finished = await delivery.finished_undelivered(session=session, limit=RESULTS_PER_ROUND)
            running = await delivery.running_undelivered(session=session)
            depth = await positions.queue_depth(session=session)
            queued: list[tuple[int, Pending]] = []
            for start, count in self._rotation.windows(depth):
                queued += await delivery.queue_window(session=session, start=start, limit=count)
            model = await stats.wait_model(session, now=utcnow()) if queued else None
            self._speeds = await estimates.load(session)
            await self.pictures.refresh(session, running)
        now = time.monotonic()
        self._delivered = {r: at for r, at in self._delivered.items() if now - at < DELIVERED_MEMORY_SECONDS}
        for request in finished:
            known = (request.id, request.finished_at) in self._delivered
            if not known and self._retry_at.get(request.id, 0.0) <= now:
                self.lanes.start(request.chat_id, ("outcome", request.id), partial(self._deliver, request))
        edits = EDITS_PER_ROUND
        for request, position in [(r, None) for r in running] + [(r, p) for p, r in queued]:
            if edits and self._edit_status(request, position, model, now):
                edits -= 1

    async def _deliver(self, request: Pending) -> None:
        """One try at delivering an outcome; what Telegram says decides when the next one is."""
        try:
            await self._deliverer.deliver(request)
        except Forbidden:
            log.info("request %d: user blocked the bot; recorded as undeliverable", request.id)
            await self._give_up(request)
        except RetryAfter as exc:
            self._retry_at[request.id] = time.monotonic() + retry_seconds(exc.retry_after)
            log.info("request %d: Telegram asks to wait %s s", request.id, exc.retry_after)
        except TelegramError as exc:
            failures = self._failures.get(request.id, 0) + 1
            self._failures[request.id] = failures
            if failures >= MAX_DELIVERY_FAILURES:
                # e.g. "chat not found": the account is gone. Stop, rather than try forever.
                log.warning("request %d: not delivered after %d tries (%s)", request.id, failures, exc)
                await self._give_up(request)
                return
            backoff = self.first_backoff * 2.0 ** (failures - 1)
            self._retry_at[request.id] = time.monotonic() + min(MAX_BACKOFF, backoff)
            log.warning("request %d: Telegram error (%s), retry %d", request.id, exc, failures)
        except SQLAlchemyError as exc:  # what Telegram took is kept; its record is tried next round
            log.warning("request %d: delivery not recorded (%s)", request.id, type(exc).__name__)
        else:
            self.metrics.delivered(
                DeliveryOutcome.FAILURE if request.status == Status.FAILED else DeliveryOutcome.RESULT
            )
            if request.finished_at is not None:
                self.metrics.observe_delivery((utcnow() - request.finished_at).total_seconds())
            self._forget(request)

    async def _give_up(self, request: Pending) -> None:
        await self._deliverer.record(request.id, None, error=Failure.UNDELIVERABLE)
        self.metrics.delivered(DeliveryOutcome.UNDELIVERABLE)
        self._forget(request)

    def _forget(self, request: Pending) -> None:
        """The outcome is delivered (or given up) and recorded: nothing more to remember but that."""
        for memo in (self.shown, self._retry_at, self._failures):
            memo.pop(request.id, None)
        self._delivered[(request.id, request.finished_at)] = time.monotonic()

    def _edit_status(
        self, request: Pending, position: int | None, model: WaitModel | None, now: float
    ) -> bool:
        """Starts an edit of the request's status if what it shows changed; True if it did."""
        if request.status_message_id is None:
            return False
        lang = language_of(request)
        new_text = status_for(lang, request, position, model, self._speeds, utcnow())
        if new_text is None or (
            self.shown.get(request.id) == new_text and not self.pictures.new_picture(request.id)
        ):
            return False
        if now - self._last_edit.get(request.chat_id, -EDIT_INTERVAL) < EDIT_INTERVAL:
            return False
        if self.lanes.busy(request.chat_id):  # the chat's result, or a stalled send, comes first
            return False
        self._last_edit[request.chat_id] = now

        async def edit() -> None:
            try:
                await self.pictures.edit(request, lang, new_text, cancel_keyboard(lang, request.id))
            except TelegramError as exc:  # a status can wait for the next change
                log.info("request %d: status not edited (%s)", request.id, exc)
                return
            self.shown[request.id] = new_text

        return self.lanes.start(request.chat_id, ("status", request.id), edit)
