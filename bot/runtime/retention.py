"""Deletes pictures older than RETENTION_DAYS, and the ids of updates handled more than a day ago
(stylebot.privacy), at start-up and then every hour."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from stylebot import privacy
from stylebot.models import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 3600.0


async def purge_once(sessions: async_sessionmaker[AsyncSession], *, days: int) -> int:
    async with sessions.begin() as session:
        purged = await privacy.purge_pictures(session=session, before=utcnow() - timedelta(days=days))
        updates = await privacy.purge_handled_updates(session=session, now=utcnow())
    if updates:
        log.info("retention: forgot %d handled update(s)", updates)
    if purged:
        log.info("retention: deleted the pictures of %d request(s) older than %d days", purged, days)
    return purged


async def run_retention(sessions: async_sessionmaker[AsyncSession], *, days: int) -> None:
    while True:
        try:
            await purge_once(sessions, days=days)
        except SQLAlchemyError as exc:  # the database is away: next round
            log.warning("retention: database unavailable (%s)", type(exc).__name__)
        await asyncio.sleep(CHECK_SECONDS)
