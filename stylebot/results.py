"""Results: written by a worker as it finishes a job, read by the bot as it sends them (the picture
of a request, or of one strength of a comparison)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from stylebot import wakeups
from stylebot.choices import Strength
from stylebot.models import Request, Status, Variant, utcnow
from stylebot.outcomes import Refusal, Refused
from stylebot.queue import failed, held, write_held
from stylebot.submissions import owned_request


@dataclass(frozen=True)
class Painted:
    """A picture a job made: its JPEG, size, and (for a comparison) its strength."""

    image: bytes
    width: int
    height: int
    strength: Strength | None = None


def finish_done(
    engine: Engine,
    *,
    job_id: int,
    worker: str,
    result_image: bytes,
    width: int,
    height: int,
    device: str,
    seconds: float,
    note: str | None = None,
    variants: Sequence[Painted] = (),
) -> bool:
    """Records the result (and a comparison's pictures), if the job is still this worker's; wakes
    the bot's notifier."""
    with wakeups.announcing(engine, wakeups.EVENTS) as conn:
        result = conn.execute(
            update(Request)
            .where(*held(job_id, worker))
            .values(
                status=Status.DONE,
                progress=1.0,
                result_image=result_image,
                output_width=width,
                output_height=height,
                device=device,
                engine_seconds=seconds,
                note=note,
                finished_at=utcnow(),
            )
        )
        if result.rowcount != 1:
            return False
        if variants:
            conn.execute(
                insert(Variant),
                [
                    {
                        "request_id": job_id,
                        "strength": v.strength,
                        "image": v.image,
                        "width": v.width,
                        "height": v.height,
                    }
                    for v in variants
                ],
            )
        return True


def finish_failed(engine: Engine, *, job_id: int, worker: str, error: str) -> bool:
    """Records that the job failed (`error`: a stylebot.outcomes.Failure), if it is still this worker's."""
    return write_held(engine, job_id=job_id, worker=worker, values=failed(error))


@dataclass(frozen=True)
class ResultPicture:
    strength: Strength | None  # a comparison's; None for a request's one result
    image: bytes  # JPEG
    width: int
    height: int


async def variants(*, session: AsyncSession, request_id: int) -> list[ResultPicture]:
    """A comparison's pictures, weakest first; none whose picture retention took."""
    rows = await session.execute(
        select(Variant.strength, Variant.image, Variant.width, Variant.height).where(
            Variant.request_id == request_id, Variant.image.is_not(None)
        )
    )
    found = [ResultPicture(strength, image, w, h) for strength, image, w, h in rows if image is not None]
    ladder = list(Strength)
    return sorted(found, key=lambda picture: ladder.index(picture.strength) if picture.strength else 0)


async def result_picture(
    *, session: AsyncSession, request_id: int, user_id: int, strength: Strength | None
) -> ResultPicture:
    """The user's result (or one strength of their comparison); raises Refused when it is gone."""
    if strength is not None:
        await owned_request(session=session, request_id=request_id, user_id=user_id)
        for picture in await variants(session=session, request_id=request_id):
            if picture.strength == strength:
                return picture
        raise Refused(Refusal.PICTURES_GONE)
    request = await owned_request(
        session=session, request_id=request_id, user_id=user_id, load=[undefer(Request.result_image)]
    )
    if request.result_image is not None and request.output_width and request.output_height:
        return ResultPicture(None, request.result_image, request.output_width, request.output_height)
    raise Refused(Refusal.PICTURES_GONE)
