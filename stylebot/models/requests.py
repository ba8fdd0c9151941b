"""The users, and their requests (which are also the job queue between bot and engine).

The shared words (stylebot.choices, Status) are read back as enum members (stylebot.columns.EnumText).
A value no member has (a row written by another version) reads as the column's `unknown`: a strength
as the default one, a size as the standard one, a default strength as "ask" (None), a status as
failed (over, and the user told so), so that reading an old row never fails.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from stylebot.choices import DEFAULT_STRENGTH, Brush, Size, Strength
from stylebot.columns import EnumText, UtcDateTime, utcnow
from stylebot.models.base import Base, picture_column, picture_of, store_picture


class Status(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (Status.QUEUED, Status.RUNNING)


# Done or failed, and the user not told yet (a cancelled request is marked delivered at once).
FINISHED_UNDELIVERED = "finished_at IS NOT NULL AND delivered_at IS NULL"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # Telegram user id
    name: Mapped[str] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Preferences (/settings, /language). language None: follow Telegram's language_code.
    language: Mapped[str | None] = mapped_column(String(8))
    default_strength: Mapped[Strength | None] = mapped_column(EnumText(Strength, unknown=None))  # None: ask
    output_size: Mapped[Size] = mapped_column(
        EnumText(Size, unknown=Size.STANDARD), default=Size.STANDARD, server_default=Size.STANDARD
    )
    keep_colors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    default_brush: Mapped[Brush] = mapped_column(
        EnumText(Brush, unknown=Brush.MEDIUM), default=Brush.MEDIUM, server_default=Brush.MEDIUM
    )
    # The key of the gallery picture last sent to the user, "@" the update that sent it: sent again
    # only when it changed (or to replay that update).
    gallery_shown: Mapped[str | None] = mapped_column(String(128))

    requests: Mapped[list[Request]] = relationship(back_populates="user")


class Request(Base):
    """One stylization a user asked for, from upload to delivery."""

    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_status_created", "status", "created_at"),
        Index("ix_requests_user_created", "user_id", "created_at"),
        # The claim order (stylebot.queue.CLAIM_ORDER): the next job, and a position, are walks along it.
        Index("ix_requests_queue", "status", "queue_round", "id"),
        # A new request's round looks at its user's queued and running requests only.
        Index("ix_requests_user_status_round", "user_id", "status", "queue_round"),
        # The round being served: the highest among claimed requests. Partial, because the queued
        # requests hold the highest rounds and a plain index would walk past all of them.
        Index(
            "ix_requests_claimed_round",
            "queue_round",
            postgresql_where=text("started_at IS NOT NULL"),
            sqlite_where=text("started_at IS NOT NULL"),
        ),
        # The waiting-time estimate reads the last jobs done at every notifier round: without this,
        # a walk of the whole history.
        Index("ix_requests_status_finished", "status", "finished_at"),
        # The bot looks for finished, undelivered requests at every wake-up and poll: this index holds only
        # them, whatever the queue and the history hold (see stylebot.delivery.finished_undelivered).
        Index(
            "ix_requests_finished_undelivered",
            "id",
            postgresql_where=text(FINISHED_UNDELIVERED),
            sqlite_where=text(FINISHED_UNDELIVERED),
        ),
        UniqueConstraint("update_id", name="uq_requests_update_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)

    content_file_id: Mapped[str] = mapped_column(String(256))
    style_file_id: Mapped[str] = mapped_column(String(256))
    # The pictures sent, by hash (the pictures table holds each once); NULL once retention took them.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # "Recent styles" also offers each distinct style picture once by it.
    style_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The bytes as Telegram gave them; the engine decodes them. Read-only here: a Request made with
    # them stores them (store_picture, before its INSERT) and refers to them by hash.
    content_image: Mapped[bytes | None] = picture_of(content_hash, "content_image")
    style_image: Mapped[bytes | None] = picture_of(style_hash, "style_image")
    strength: Mapped[Strength] = mapped_column(EnumText(Strength, unknown=DEFAULT_STRENGTH))
    keep_colors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    size: Mapped[Size] = mapped_column(
        EnumText(Size, unknown=Size.STANDARD), default=Size.STANDARD, server_default=Size.STANDARD
    )
    style_name: Mapped[str | None] = mapped_column(String(128))  # a gallery style's name
    # Light, medium and strong made in one job (Variant rows), sent as one album.
    compare: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The Telegram update that queued it: handling that update again (a replay) finds it.
    update_id: Mapped[int | None] = mapped_column(BigInteger)

    status: Mapped[Status] = mapped_column(EnumText(Status, unknown=Status.FAILED), default=Status.QUEUED)
    # Fixed when queued (stylebot.queue.new_round): a user's first waiting request gets the round
    # being served, their next one the round after it. Workers claim by (round, id).
    queue_round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(128))
    device: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)  # a code from stylebot.outcomes

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    output_width: Mapped[int | None] = mapped_column(Integer)
    output_height: Mapped[int | None] = mapped_column(Integer)
    engine_seconds: Mapped[float | None] = mapped_column(Float)
    result_image: Mapped[bytes | None] = picture_column()  # JPEG
    note: Mapped[str | None] = mapped_column(Text)  # a code from stylebot.outcomes, for the user

    status_message_id: Mapped[int | None] = mapped_column(BigInteger)
    result_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Set once the user has been told the outcome (result sent, or failure reported).
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    brush: Mapped[Brush] = mapped_column(
        EnumText(Brush, unknown=Brush.MEDIUM), default=Brush.MEDIUM, server_default=Brush.MEDIUM
    )
    # The job's work (engine.work), set by the worker when it starts: its time left is measured by it.
    work: Mapped[float | None] = mapped_column(Float)

    user: Mapped[User] = relationship(back_populates="requests")


@event.listens_for(Request, "before_insert")
def _store_pictures(_mapper: Mapper[Request], conn: Connection, request: Request) -> None:
    """A request made with its pictures' bytes stores them in the pictures table, and their hashes."""
    content, style = request.__dict__.get("content_image"), request.__dict__.get("style_image")
    if content is not None:
        request.content_hash = store_picture(conn, content)
    if style is not None:
        request.style_hash = store_picture(conn, style)
