"""Results as the bot sends them: the picture of a request, or of one strength of a comparison."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import Strength
from stylebot.models import Variant
from stylebot.outcomes import Refusal, Refused
from stylebot.submissions import owned_request


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
    found = [ResultPicture(Strength(s), image, w, h) for s, image, w, h in rows if image is not None]
    ladder = list(Strength)
    return sorted(found, key=lambda picture: ladder.index(picture.strength) if picture.strength else 0)


async def result_picture(
    *, session: AsyncSession, request_id: int, user_id: int, strength: Strength | None
) -> ResultPicture:
    """The user's result (or one strength of their comparison); raises Refused when it is gone."""
    request = await owned_request(session=session, request_id=request_id, user_id=user_id)
    if strength is not None:
        for picture in await variants(session=session, request_id=request_id):
            if picture.strength == strength:
                return picture
    elif request.result_image is not None and request.output_width and request.output_height:
        return ResultPicture(None, request.result_image, request.output_width, request.output_height)
    raise Refused(Refusal.PICTURES_GONE)
