"""The tables: users, and requests (which are also the job queue between bot and engine).

The shared words (stylebot.choices, Status) are read back as enum members (stylebot.columns.EnumText).
A value no member has (a row written by another version) reads as the column's `unknown`: a strength
as the default one, a size as the standard one, a default strength as "ask" (None), a status as
failed (over, and the user told so), so that reading an old row never fails.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedColumn,
    Mapper,
    column_property,
    mapped_column,
    relationship,
)

from stylebot.choices import DEFAULT_STRENGTH, Brush, Size, Strength
from stylebot.columns import EnumText, UtcDateTime, utcnow

__all__ = ["utcnow"]  # also here: most callers know the time from the models they write


class Base(DeclarativeBase):
    pass


PICTURES = "pictures"  # the deferred group of every picture column: undefer_group(PICTURES) loads them


def picture_column() -> MappedColumn[Any]:
    """A picture's bytes, deferred: loading a row (a cancel, an ownership check) reads none of them;
    the code that needs them asks (undefer, or a select of the column)."""
    return mapped_column(LargeBinary, deferred=True, deferred_group=PICTURES)


class Status(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (Status.QUEUED, Status.RUNNING)


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


def _picture_of(hash_column: Any, name: str) -> Any:
    """A request's picture, read through its hash (deferred, like every picture column)."""
    found = (
        select(Picture.data).where(Picture.hash == hash_column).correlate_except(Picture).scalar_subquery()
    ).label(name)
    return column_property(found, deferred=True, group=PICTURES)


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
    content_image: Mapped[bytes | None] = _picture_of(content_hash, "content_image")
    style_image: Mapped[bytes | None] = _picture_of(style_hash, "style_image")
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


class Upload(Base):
    """A picture a user sent (or picked) in a conversation that has not become a request yet.

    Kept in the database, not in memory, so a conversation survives a restart of the bot.
    """

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(256))
    name: Mapped[str | None] = mapped_column(String(128))  # a gallery style's name
    data: Mapped[bytes] = picture_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Draft(Base):
    """A user's picture in the making: the conversation's step and the uploads so far (bot.drafts).

    Written together with the completion of the update that changed it (see Inbox), so a crash
    never leaves a draft one step ahead of the updates the bot believes it has handled.
    """

    __tablename__ = "drafts"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Inbox(Base):
    """Every Telegram update, written before Telegram is told it arrived, and marked done once handled.

    A bot killed halfway through an update replays it at start-up. Done rows stay a day, so that an
    update Telegram delivers again (its confirmation was lost in the crash) is recognised and skipped.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index(
            "ix_inbox_pending",
            "update_id",
            postgresql_where=text("done_at IS NULL"),
            sqlite_where=text("done_at IS NULL"),
        ),
        Index("ix_inbox_done_at", "done_at"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Sent(Base):
    """What handling an update sent to Telegram, in order: a replay of the update sends none of it again."""

    __tablename__ = "sent"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # The Bot API method called ("sendMessage"); NULL for answers recorded before it was kept.
    method: Mapped[str | None] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)  # Telegram's answer, as it came


class TelegramFile(Base):
    """A picture the bot sends often (the gallery's preview), uploaded once: later sends use its file_id."""

    __tablename__ = "telegram_files"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    file_id: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Variant(Base):
    """One picture of a "Compare strengths" request: the same pictures at another strength."""

    __tablename__ = "variants"

    request_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    strength: Mapped[Strength] = mapped_column(EnumText(Strength, unknown=DEFAULT_STRENGTH), primary_key=True)
    image: Mapped[bytes | None] = picture_column()  # JPEG; None: retention took it
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class Worker(Base):
    """An engine worker that has been seen: /stats lists those seen in the last minute."""

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    device: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@event.listens_for(Request, "before_insert")
def _store_pictures(_mapper: Mapper[Request], conn: Connection, request: Request) -> None:
    """A request made with its pictures' bytes stores them in the pictures table, and their hashes."""
    content, style = request.__dict__.get("content_image"), request.__dict__.get("style_image")
    if content is not None:
        request.content_hash = store_picture(conn, content)
    if style is not None:
        request.style_hash = store_picture(conn, style)


class ResultMessage(Base):
    """A message that carries a painting (a photo, one picture of an album, a file): a repeated tap
    points at it instead of sending the same bytes again; /history and inline mode send it again by
    its file_id; a reaction on it is a reaction to its request (and strength)."""

    __tablename__ = "result_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    request_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # stylebot.resultmessages.Kind
    strength: Mapped[Strength | None] = mapped_column(EnumText(Strength, unknown=None))  # a variant's
    file_id: Mapped[str | None] = mapped_column(String(256))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Reaction(Base):
    """A user's reaction on a result message (Telegram's message_reaction updates): the latest one
    per user and message; removing every emoji deletes the row."""

    __tablename__ = "reactions"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    request_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    strength: Mapped[Strength | None] = mapped_column(EnumText(Strength, unknown=None))
    emoji: Mapped[str] = mapped_column(String(64))  # the first emoji (or "custom")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Preview(Base):
    """The latest picture-so-far of a running job (a small JPEG), shown in its status message."""

    __tablename__ = "previews"

    request_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    image: Mapped[bytes] = picture_column()
    version: Mapped[int] = mapped_column(Integer, default=1)  # grows with each new picture
    made_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set by the bot once the status message is a photo (a text message cannot become one).
    status_photo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class EngineSpeed(Base):
    """How fast a device paints at a size: work (engine.work) per second, measured by its workers
    at start (a probe) and on every job since; the time estimates shown to users come from it."""

    __tablename__ = "engine_speeds"

    device: Mapped[str] = mapped_column(String(32), primary_key=True)
    size: Mapped[Size] = mapped_column(EnumText(Size, unknown=Size.STANDARD), primary_key=True)
    work_per_second: Mapped[float] = mapped_column(Float)
    # The work of one picture from a 4:3 photo at this size: a queued job's, before its photo is read.
    typical_work: Mapped[float] = mapped_column(Float)
    # The same at each strength and brush (stylebot.estimates.works_key -> work): the strongest
    # presets run more steps, and strong too at a coarse brush.
    # None: measured by a worker from before; typical_work then stands for every strength.
    typical_works: Mapped[dict[str, float] | None] = mapped_column(JSON, nullable=True)
    jobs: Mapped[int] = mapped_column(Integer, default=0)  # jobs measured; 0: the probe's figure
    measured_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
