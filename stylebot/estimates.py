"""How long a job will take, from what the workers' devices measured: each records its speed (work
per second, engine.work) for each size, from a probe at start and then from every job it finishes.
A job's time is its work over that speed: a comparison is three pictures' work, a Large picture
its larger size's, the strongest preset its own (it runs more steps, as strong does at a coarse
brush), so none is told another's time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stylebot.choices import DEFAULT_STRENGTH, OFFERED_STRENGTHS, Brush, Size, Strength
from stylebot.models import EngineSpeed, utcnow

# Each finished job moves the speed this share of the way to its own: a few jobs outweigh the
# probe, and one job slowed by a busy machine does not halve the estimates. The first job after
# the probe moves it further: the probe's small picture says least about a real one.
NEW_JOB_WEIGHT = 0.3
FIRST_JOB_WEIGHT = 0.6
COMPARED_STRENGTHS = OFFERED_STRENGTHS  # the pictures a comparison paints


def works_key(strength: Strength, brush: Brush) -> str:
    """A typical picture's work at a strength and brush, as engine_speeds.typical_works keys it
    ("strong/coarse"); the strength alone keys it at the medium brush, as workers wrote it before."""
    return str(strength) if brush is Brush.MEDIUM else f"{strength}/{brush}"


def _typical_work(typical_works: Mapping[str, float]) -> float:
    """engine_speeds.typical_work, for readers of rows from before typical_works: a typical picture's
    work at the default strength and the medium brush."""
    return typical_works[works_key(DEFAULT_STRENGTH, Brush.MEDIUM)]


def record_probe(
    engine: Engine,
    *,
    device: str,
    size: Size,
    work_per_second: float,
    typical_works: Mapping[str, float],
) -> None:
    """A worker's probe at start: the speed of `device` unless its jobs have measured it already.
    `typical_works`: a typical picture's work at each strength and brush (works_key)."""
    works, typical_work = dict(typical_works), _typical_work(typical_works)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(EngineSpeed).values(
                    device=device,
                    size=size,
                    work_per_second=work_per_second,
                    typical_work=typical_work,
                    typical_works=works,
                    jobs=0,
                    measured_at=utcnow(),
                )
            )
    except IntegrityError:  # measured before: a real job says more than a probe
        with engine.begin() as conn:
            conn.execute(
                update(EngineSpeed)
                .where(EngineSpeed.device == device, EngineSpeed.size == size, EngineSpeed.jobs == 0)
                .values(
                    work_per_second=work_per_second,
                    typical_work=typical_work,
                    typical_works=works,
                    measured_at=utcnow(),
                )
            )


def record_job(
    engine: Engine,
    *,
    device: str,
    size: Size,
    work: float,
    seconds: float,
    typical_works: Mapping[str, float],
) -> None:
    """A finished job's measure: `work` done in `seconds` on `device`; `typical_works` as for
    record_probe."""
    if work <= 0 or seconds <= 0:
        return
    speed = work / seconds
    with engine.begin() as conn:
        row = conn.execute(
            select(EngineSpeed.work_per_second, EngineSpeed.jobs)
            .where(EngineSpeed.device == device, EngineSpeed.size == size)
            .with_for_update()
        ).first()
        if row is not None:
            weight = FIRST_JOB_WEIGHT if row.jobs == 0 else NEW_JOB_WEIGHT
            blended = row.work_per_second + weight * (speed - row.work_per_second)
            conn.execute(
                update(EngineSpeed)
                .where(EngineSpeed.device == device, EngineSpeed.size == size)
                .values(
                    work_per_second=blended,
                    typical_work=_typical_work(typical_works),
                    typical_works=dict(typical_works),
                    jobs=row.jobs + 1,
                    measured_at=utcnow(),
                )
            )
            # A real job says more than the probe about the device's other sizes too, until one
            # of theirs is measured.
            conn.execute(
                update(EngineSpeed)
                .where(EngineSpeed.device == device, EngineSpeed.size != size, EngineSpeed.jobs == 0)
                .values(
                    work_per_second=EngineSpeed.work_per_second
                    + FIRST_JOB_WEIGHT * (speed - EngineSpeed.work_per_second)
                )
            )
            return
    record_probe(
        engine,
        device=device,
        size=size,
        work_per_second=speed,
        typical_works=typical_works,
    )


@dataclass(frozen=True)
class Speed:
    work_per_second: float
    typical_work: float
    measured_at: datetime
    typical_works: Mapping[str, float] = field(default_factory=dict)

    def picture_work(self, strength: Strength, brush: Brush = Brush.MEDIUM) -> float:
        """A typical picture's work at `strength` and `brush`; at the medium brush where that brush's
        was not recorded, and the default strength's where neither was."""
        at_medium = self.typical_works.get(works_key(strength, Brush.MEDIUM), self.typical_work)
        return self.typical_works.get(works_key(strength, brush), at_medium)


@dataclass(frozen=True)
class Speeds:
    """The measured speeds, by (device, size)."""

    by_device: dict[tuple[str, Size], Speed]

    def _speed(self, size: Size, device: str | None) -> Speed | None:
        if device is not None and (device, size) in self.by_device:
            return self.by_device[(device, size)]
        # A job not started yet goes to whichever device measured most recently: usually the only one.
        found = [speed for (_, s), speed in self.by_device.items() if s == size]
        return max(found, key=lambda speed: speed.measured_at) if found else None

    def job_seconds(
        self,
        *,
        size: Size,
        compare: bool,
        strength: Strength = DEFAULT_STRENGTH,
        brush: Brush = Brush.MEDIUM,
        device: str | None = None,
        work: float | None = None,
    ) -> float | None:
        """About how many seconds the job takes from its start; None when no device measured yet.
        `work`: the job's own, once its worker has read its photo; else a typical photo's at
        `strength` and `brush` (a comparison: at each of the strengths it paints)."""
        speed = self._speed(size, device)
        if speed is None:
            return None
        if work is None:
            strengths = COMPARED_STRENGTHS if compare else (strength,)
            work = sum(speed.picture_work(s, brush) for s in strengths)
        return work / speed.work_per_second


async def load(session: AsyncSession) -> Speeds:
    rows = await session.execute(select(EngineSpeed))
    return Speeds(
        {
            (speed.device, speed.size): Speed(
                speed.work_per_second, speed.typical_work, speed.measured_at, speed.typical_works or {}
            )
            for speed in rows.scalars()
        }
    )


def time_left(*, job_seconds: float | None, progress: float, elapsed: float) -> tuple[float, float | None]:
    """(share done, seconds left) of a running job. The time left starts as the estimate's, and
    leans toward what the job's own pace says as it gets on (a busy machine is slower than its
    measure); the share is the clock's (elapsed over elapsed and left), so it moves while a costly
    step runs."""
    if job_seconds is None:
        return progress, None
    left = job_seconds * (1 - progress)
    if progress > 0:
        left = (1 - progress) * left + progress * elapsed * (1 - progress) / progress
    total = elapsed + left
    return (elapsed / total if total > 0 else progress), left
