"""Queues requests the way the bot does (stylebot.queue.enqueue), from synchronous tests."""

from __future__ import annotations

import asyncio

from stylebot import queue, users
from stylebot.choices import Strength
from stylebot.database import async_session_factory, make_async_engine


def queue_requests(
    database_url: str, *, user_id: int, count: int, content: bytes = b"c", style: bytes = b"s"
) -> list[int]:
    """`count` requests of `user_id` (recorded first if new), each in its own transaction."""

    async def create() -> list[int]:
        engine = make_async_engine(database_url)
        sessions = async_session_factory(engine)
        ids = []
        try:
            for _ in range(count):
                async with sessions.begin() as session:
                    await users.upsert_user(
                        session=session,
                        user_id=user_id,
                        name=f"user{user_id}",
                        username=None,
                        language_code=None,
                    )
                    request = await queue.enqueue(
                        session=session,
                        user_id=user_id,
                        chat_id=user_id,
                        content_file_id="c",
                        content_image=content,
                        style_file_id="s",
                        style_image=style,
                        strength=Strength.MEDIUM,
                    )
                    ids.append(request.id)
        finally:
            await engine.dispose()
        return ids

    return asyncio.run(create())
