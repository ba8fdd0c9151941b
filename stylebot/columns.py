"""Column types beside SQLAlchemy's own: timestamps that stay in UTC, and shared words (StrEnums)
that are stored as their values and read back as members."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=enum.StrEnum)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite forgets the zone; this puts it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[E], Generic[E]):
    """A StrEnum stored as its value in a VARCHAR (no database enum type: a new member needs no
    migration); read back as the member, or as `unknown` for a value no member has."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum_class: type[E], *, unknown: E | None) -> None:
        super().__init__()
        self.enum_class = enum_class
        self.unknown = unknown

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_class(value).value  # ValueError: not a member

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        try:
            return self.enum_class(value)
        except ValueError:
            return self.unknown

    @property
    def python_type(self) -> type[E]:
        return self.enum_class
