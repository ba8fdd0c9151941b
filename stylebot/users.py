"""Users and their preferences (/settings, /language), as the bot records and reads them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import Brush, Size, Strength
from stylebot.models import User, utcnow


@dataclass(frozen=True)
class Profile:
    """A user's preferences, as the handlers need them."""

    language: str | None = None  # chosen with /language
    telegram_language: str | None = None  # Telegram's language_code
    default_strength: Strength | None = None  # None: ask with buttons
    output_size: Size = Size.STANDARD
    keep_colors: bool = False
    default_brush: Brush = Brush.MEDIUM
    gallery_shown: str | None = None  # the key of the gallery picture last sent to the user

    @classmethod
    def of(cls, user: User) -> Profile:
        return cls(
            language=user.language,
            telegram_language=user.language_code,
            default_strength=user.default_strength,
            output_size=user.output_size,
            keep_colors=user.keep_colors,
            default_brush=user.default_brush,
            gallery_shown=user.gallery_shown,
        )


async def upsert_user(
    *, session: AsyncSession, user_id: int, name: str, username: str | None, language_code: str | None
) -> User:
    user = await session.get(User, user_id)
    now = utcnow()
    if user is None:
        user = User(
            id=user_id,
            name=name,
            username=username,
            language_code=language_code,
            first_seen=now,
            output_size=Size.STANDARD,
            keep_colors=False,
            default_brush=Brush.MEDIUM,
        )
        session.add(user)
    user.name, user.username, user.language_code, user.last_seen = name, username, language_code, now
    return user


PREFERENCES = frozenset(
    {"language", "default_strength", "output_size", "keep_colors", "default_brush", "gallery_shown"}
)


async def set_preferences(*, session: AsyncSession, user_id: int, **values: object) -> Profile:
    """Changes some of PREFERENCES; returns the result."""
    if not values.keys() <= PREFERENCES:
        raise ValueError(f"not a preference: {sorted(values.keys() - PREFERENCES)}")
    await session.execute(update(User).where(User.id == user_id).values(**values))
    user = await session.get(User, user_id, populate_existing=True)
    assert user is not None, "preferences of a user who was never recorded"
    return Profile.of(user)


async def gallery_shown(*, session: AsyncSession, user_id: int) -> str | None:
    """The key of the gallery picture last sent to the user (None: never)."""
    return await session.scalar(select(User.gallery_shown).where(User.id == user_id))
