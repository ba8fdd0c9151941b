"""The bot's side of the conversation with Telegram: the pictures of a conversation not yet a
request (uploads, drafts), every update received and what handling it sent (inbox, sent), pictures
uploaded once (telegram files), and the messages that carry a painting with the reactions on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from stylebot.choices import Strength
from stylebot.columns import EnumText, UtcDateTime, utcnow
from stylebot.models.base import Base, picture_column


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
