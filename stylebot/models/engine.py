"""What the engine workers write besides their requests: the workers seen, how fast each device
paints (engine speeds), the picture-so-far of a running job (previews), and the pictures of a
"Compare strengths" request (variants)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from stylebot.choices import DEFAULT_STRENGTH, Size, Strength
from stylebot.columns import EnumText, UtcDateTime, utcnow
from stylebot.models.base import Base, picture_column


class Worker(Base):
    """An engine worker that has been seen: /stats lists those seen in the last minute."""

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    device: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


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
