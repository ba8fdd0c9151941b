"""The declarative Base every table is declared on, and the pictures: the deferred picture columns,
and the pictures table that stores each picture a user sent once, by the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, LargeBinary, String, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, column_property, mapped_column

from stylebot.columns import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


PICTURES = "pictures"  # the deferred group of every picture column: undefer_group(PICTURES) loads them


def picture_column() -> MappedColumn[Any]:
    """A picture's bytes, deferred: loading a row (a cancel, an ownership check) reads none of them;
    the code that needs them asks (undefer, or a select of the column)."""
    return mapped_column(LargeBinary, deferred=True, deferred_group=PICTURES)


class Picture(Base):
    """A picture a user sent, stored once however many requests use it (a gallery style, a rerun's
    photo and style, the same style sent twice): addressed by the SHA-256 of its bytes. Requests
    refer to it by hash; retention and /forget delete those no request refers to any more."""

    __tablename__ = "pictures"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = picture_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def picture_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_picture(conn: Connection, data: bytes) -> str:
    """Stores `data` unless it is stored already (its bytes are then not even sent); its hash.

    Either way the row is written (a stored one touched), so it stays locked until this transaction
    ends: stylebot.privacy, deleting pictures no request refers to, waits for the request that is
    about to refer to it."""
    digest = picture_hash(data)
    now = utcnow()
    if conn.execute(update(Picture).where(Picture.hash == digest).values(created_at=now)).rowcount:
        return digest
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    new = insert(Picture).values(hash=digest, data=data, created_at=now)
    conn.execute(new.on_conflict_do_update(index_elements=["hash"], set_={"created_at": now}))
    return digest


def picture_of(hash_column: Any, name: str) -> Any:
    """A request's picture, read through its hash (deferred, like every picture column)."""
    found = (
        select(Picture.data).where(Picture.hash == hash_column).correlate_except(Picture).scalar_subquery()
    ).label(name)
    return column_property(found, deferred=True, group=PICTURES)
