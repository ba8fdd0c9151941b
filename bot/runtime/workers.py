"""The engine workers the bot starts itself (ENGINE_WORKERS), restarted when one dies."""

from __future__ import annotations

import asyncio
import logging
import time
from multiprocessing.process import BaseProcess

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.launch import pool_worker_prefix, spawn_worker
from stylebot import queue
from stylebot.settings import Settings

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0
STOP_SECONDS = 15.0
# A worker that keeps dying soon after it starts (bad settings, no GPU) is restarted after
# pauses that double, up to MAX_PAUSE_SECONDS, instead of in a tight loop.
SHORT_LIFE_SECONDS = 30.0
MAX_PAUSE_SECONDS = 60.0


class WorkerPool:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.processes: list[BaseProcess | None] = [None] * settings.engine_workers
        self._started_at: list[float] = [0.0] * settings.engine_workers
        self._short_lives: list[int] = [0] * settings.engine_workers

    async def _spawn(self, index: int) -> None:
        # Starting an interpreter takes a moment: do it off the event loop.
        self.processes[index] = await asyncio.to_thread(spawn_worker, self.settings, index)
        self._started_at[index] = time.monotonic()
        log.info("engine worker %d started (pid %s)", index, self.processes[index].pid)  # type: ignore[union-attr]

    async def start(self) -> None:
        """Hands back the jobs this host's previous pool left running (its workers died with the
        bot, or were killed), then starts the workers."""
        async with self.sessions.begin() as session:
            released = await queue.release_jobs_of_workers(session=session, prefix=pool_worker_prefix())
        if released:
            log.info("%d job(s) of the previous run's workers went back to the queue", released)
        for index in range(len(self.processes)):
            await self._spawn(index)

    async def watch(self) -> None:
        """Restarts workers that died, until cancelled."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            for index, process in enumerate(self.processes):
                if process is None or process.is_alive():
                    continue
                lived = time.monotonic() - self._started_at[index]
                short = lived < SHORT_LIFE_SECONDS
                self._short_lives[index] = self._short_lives[index] + 1 if short else 0
                pause = min(MAX_PAUSE_SECONDS, 2.0 ** (self._short_lives[index] - 1)) if short else 0.0
                log.warning(
                    "engine worker %d exited with code %s after %.0f s; restarting in %.0f s",
                    index,
                    process.exitcode,
                    lived,
                    pause,
                )
                await asyncio.sleep(pause)
                await self._spawn(index)

    async def stop(self) -> None:
        """SIGTERM: each worker hands its current job back to the queue, then exits."""
        alive = [p for p in self.processes if p is not None and p.is_alive()]
        for process in alive:
            process.terminate()
        for process in alive:
            await asyncio.to_thread(process.join, STOP_SECONDS)
            if process.is_alive():
                log.warning("engine worker pid %s did not stop in time; killing it", process.pid)
                process.kill()
                await asyncio.to_thread(process.join, 5)
