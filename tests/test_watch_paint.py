"""Watching a painting form, and being told honestly how long it takes: the picture so far in the
status message (through the Bot API stand-in, with a worker process whose engine is the fast
stand-in), an estimate on a fresh service's first request, progress that follows the work and the
clock, and one tiny real engine run for the pictures themselves."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import preview
from engine.params import StyleParams
from engine.preview import PREVIEW_SIDE
from engine.scales import output_size, scale_sizes, split_steps
from engine.transfer import ALL_LAYERS, stylize
from engine.vgg import FeatureNet, load_feature_net
from engine.work import job_work, scale_costs, typical_work
from stylebot.choices import Size
from stylebot.database import make_engine
from stylebot.estimates import (
    FIRST_JOB_WEIGHT,
    NEW_JOB_WEIGHT,
    Speed,
    Speeds,
    record_job,
    record_probe,
    time_left,
)
from stylebot.models import EngineSpeed, Request, Status, utcnow
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES, cat_photo, jpeg_bytes, style_texture
from testkit.waiting import wait_until, wait_until_async
from tests.harness import running_bot, says, send_two_pictures, text_of
from tests.test_queue_processes import fake_workers


@pytest.fixture(scope="module")
def net() -> FeatureNet:
    return load_feature_net(ALL_LAYERS)


def test_the_engine_shows_each_scale_and_its_progress_follows_the_work(
    net: FeatureNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "PREVIEW_SECONDS", 0.0)  # every step's picture, to see each scale begin
    pictures: list[tuple[float, Image.Image]] = []
    shares: list[float] = []
    params = StyleParams(max_side=64, steps=6)
    photo = cat_photo(64)
    stylize(
        photo,
        style_texture(64),
        net=net,
        params=params,
        progress=shares.append,
        on_preview=lambda image: pictures.append((shares[-1], image)),
    )
    sizes = scale_sizes(*output_size(photo.width, photo.height, params.max_side))
    steps = split_steps(params.steps, len(sizes))
    costs = scale_costs(sizes, steps)
    # Every scale shows its picture, coarse to fine, the first as soon as the coarse scale begins.
    seen = [image.size for _, image in pictures]
    assert sorted(set(seen), key=seen.index) == sizes
    # The share done after a scale's first step is the work before it and one step of its own:
    # the coarse scales count for little (their pixels are few), not for their count of steps.
    firsts = [next(share for share, image in pictures if image.size == size) for size in sizes]
    expected = [(sum(costs[:i]) + costs[i] / steps[i]) / sum(costs) for i in range(len(sizes))]
    assert firsts == pytest.approx(expected)
    assert costs[0] / sum(costs) < steps[0] / sum(steps)
    for _, image in pictures:
        assert image.mode == "RGB" and max(image.size) <= PREVIEW_SIDE
    assert pictures[0][1].size == sizes[0] and pictures[-1][1].size == sizes[-1]


def test_estimates_follow_size_kind_and_clock() -> None:
    standard, large = StyleParams(max_side=384), StyleParams(max_side=576)
    speed = 0.5  # work units a second
    at = utcnow()
    speeds = Speeds(
        {
            ("cpu", Size.STANDARD): Speed(speed, typical_work(standard), at),
            ("cpu", Size.LARGE): Speed(speed, typical_work(large), at),
        }
    )
    single = speeds.job_seconds(size=Size.STANDARD, compare=False)
    assert single == pytest.approx(typical_work(standard) / speed)
    assert speeds.job_seconds(size=Size.STANDARD, compare=True) == pytest.approx(3 * single)
    bigger = speeds.job_seconds(size=Size.LARGE, compare=False)
    assert bigger is not None and bigger > 2 * single  # 1.5× the side: 2.25× the pixels
    portrait = job_work(300, 400, standard)
    assert speeds.job_seconds(size=Size.STANDARD, compare=False, work=portrait) == pytest.approx(
        portrait / speed
    )
    assert Speeds({}).job_seconds(size=Size.STANDARD, compare=False) is None
    # Stuck at 55 % for a while: the share still moves with the clock, and the time left grows
    # with the job's own slow pace rather than repeating the estimate.
    early = time_left(job_seconds=30.0, progress=0.55, elapsed=15.0)
    late = time_left(job_seconds=30.0, progress=0.55, elapsed=35.0)
    assert early[0] < late[0] < 1 and early[1] is not None and late[1] is not None and late[1] > early[1]
    assert time_left(job_seconds=None, progress=0.4, elapsed=10.0) == (0.4, None)


def _upload(botapi: BotApiStandIn, method: str, data: dict[str, Any], photo: bytes) -> dict[str, Any]:
    if method == "editMessageMedia":
        files = {"pic": ("p.jpg", photo, "image/jpeg")}
    else:
        files = {"photo": ("p.jpg", photo, "image/jpeg")}
    answer = httpx.post(f"{botapi.base_url}{botapi.token}/{method}", data=data, files=files, timeout=10)
    return dict(answer.json())


def test_the_stand_in_edits_media_as_strictly_as_telegram(botapi: BotApiStandIn) -> None:
    botapi.flood.enabled = False  # many edits of one chat in a row: the rules here, not the pace
    photo = _upload(botapi, "sendPhoto", {"chat_id": "8", "caption": "so far"}, jpeg_bytes(cat_photo(48)))
    message_id = photo["result"]["message_id"]
    text = httpx.post(
        f"{botapi.base_url}{botapi.token}/sendMessage", json={"chat_id": 8, "text": "hi"}, timeout=10
    ).json()["result"]["message_id"]

    def edit(target: int, picture: bytes, caption: str = "so far") -> dict[str, Any]:
        media = f'{{"type": "photo", "media": "attach://pic", "caption": "{caption}"}}'
        return _upload(
            botapi, "editMessageMedia", {"chat_id": "8", "message_id": str(target), "media": media}, picture
        )

    same = jpeg_bytes(cat_photo(48))
    assert edit(message_id, same)["description"] == "Bad Request: message is not modified"
    assert edit(text, same)["description"] == "Bad Request: there is no media in the message to edit"
    assert edit(99_999, same)["description"] == "Bad Request: message to edit not found"
    thin = io.BytesIO()
    Image.new("RGB", (630, 30)).save(thin, "JPEG")
    assert edit(message_id, thin.getvalue())["description"] == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    newer = jpeg_bytes(style_texture(48))
    assert edit(message_id, newer, caption="later")["ok"]
    shown = botapi.shown(8, message_id)
    assert shown is not None and shown.kind == "photo" and shown.text == "later"
    assert edit(message_id, newer, caption="later")["description"] == "Bad Request: message is not modified"


def _speeds(url: str) -> list[EngineSpeed]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(EngineSpeed)))
    finally:
        engine.dispose()


def _first_done(url: str) -> Request | None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalars(select(Request).where(Request.status == Status.DONE)).first()
    finally:
        engine.dispose()


async def test_a_first_request_is_told_its_time_and_watches_its_painting_form(
    botapi: BotApiStandIn, postgres_url: str, tmp_path: Path
) -> None:
    user = User(61)
    release = tmp_path / "release"  # the job runs until the test has seen what it watches for
    painter = {"FAKE_ENGINE_SECONDS": "7", "FAKE_ENGINE_RELEASE": str(release), "JOB_LEASE_SECONDS": "30"}
    with fake_workers(postgres_url, ["painter"], tmp_path, **painter):
        # A fresh service: no job has run, only the worker's probe at start has measured its device.
        wait_until(lambda: len(_speeds(postgres_url)) == len(Size), "the worker's probe", 60)
        async with running_bot(botapi, postgres_url):
            question = await send_two_pictures(botapi, user, CAT, WAVES)
            mark = botapi.mark()
            botapi.press_button(user, question.result, "strength:medium")
            status = await botapi.wait_for(
                "editMessageText",
                lambda c: c.result is not None and says(c.params["text"], "queue_position"),
                after=mark,
            )
            assert says(status.params["text"], "queue_wait"), (
                "the first request on a fresh service is told a time"
            )
            photo = await botapi.wait_for(
                "sendPhoto",
                lambda c: c.result is not None and "cancel:" in str(c.params.get("reply_markup")),
                after=mark,
            )
            assert says(str(photo.params["caption"]).split("\n\n")[-1], "preview_note")
            # A later picture replaces the first, and a status tells the time left; then the job ends.
            await botapi.wait_for("editMessageMedia", lambda c: c.result is not None, after=mark, timeout=60)
            await wait_until_async(
                lambda: any(says(_shown_text(c), "painting_left") for c in botapi.calls[mark:]),
                "a running status with the time left",
                60,
            )
            release.touch()
            text_id = question.result["message_id"]
            await botapi.wait_for(
                "deleteMessage", lambda c: int(c.params["message_id"]) == text_id, after=mark
            )
            result = await botapi.wait_for(
                "sendPhoto",
                lambda c: c.result is not None and "cancel:" not in str(c.params.get("reply_markup")),
                after=mark,
            )
            assert result.at > photo.at, "the picture so far came before the painting"
            status_photo = photo.result["message_id"]
            await wait_until_async(
                lambda: botapi.shown(user.id, status_photo) is None, "the status photo deleted", 30
            )
            edits = botapi.calls_to("editMessageMedia", user.id)
            assert edits and all(c.result is not None for c in edits), "later pictures replace the first"
            assert all(c.at < result.at for c in edits)
            running = [c for c in botapi.calls[mark:] if says(_shown_text(c), "painting_left")]
            assert running, "a running status tells the time left"

            # Cancel under a status that shows the painting so far: its caption says so.
            question = await send_two_pictures(botapi, user, CAT, WAVES, start=False)
            mark = botapi.mark()
            botapi.press_button(user, question.result, "strength:light")
            photo = await botapi.wait_for(
                "sendPhoto",
                lambda c: c.result is not None and "cancel:" in str(c.params.get("reply_markup")),
                after=mark,
            )
            [data] = [
                b["callback_data"] for row in photo.params["reply_markup"]["inline_keyboard"] for b in row
            ]
            botapi.press_button(user, photo.result, data)
            await botapi.wait_for(
                "editMessageCaption",
                lambda c: c.result is not None and says(c.params["caption"], "status_cancelled_line"),
                after=mark,
            )
        done = wait_until(lambda: _first_done(postgres_url), "the job recorded as done", 30)
        assert done.work is not None and done.work > 0
        [measured] = [s for s in _speeds(postgres_url) if s.size == Size.STANDARD]
        assert measured.jobs == 1


def _shown_text(call: Any) -> str:
    """What a status call shows: a text, a caption, or a new picture's caption."""
    media = call.params.get("media")
    if isinstance(media, dict):
        return str(media.get("caption", ""))
    return text_of(call)


def test_jobs_outweigh_the_probe_and_teach_the_other_size(sqlite_url: str) -> None:
    works = {"medium": 2.0}  # a typical picture's work (estimates.works_key), beside the point here
    engine = make_engine(sqlite_url)
    try:
        for size in Size:
            record_probe(engine, device="cpu", size=size, work_per_second=1.0, typical_works=works)
        record_job(
            engine, device="cpu", size=Size.STANDARD, work=6.0, seconds=2.0, typical_works={"medium": 2.0}
        )
        first = {s.size: s for s in _speeds(sqlite_url)}
        assert first[Size.STANDARD].jobs == 1 and first[Size.LARGE].jobs == 0
        # Both moved most of the way from the probe's 1.0 to the job's 3.0 work units a second.
        assert first[Size.STANDARD].work_per_second == pytest.approx(1 + FIRST_JOB_WEIGHT * 2)
        assert first[Size.LARGE].work_per_second == pytest.approx(1 + FIRST_JOB_WEIGHT * 2)
        # A later probe (a restarted worker) leaves a measured figure alone; a later job blends in.
        record_probe(
            engine, device="cpu", size=Size.STANDARD, work_per_second=0.1, typical_works={"medium": 2.0}
        )
        record_job(
            engine, device="cpu", size=Size.STANDARD, work=2.0, seconds=2.0, typical_works={"medium": 2.0}
        )
        [standard] = [s for s in _speeds(sqlite_url) if s.size == Size.STANDARD]
        before = 1 + FIRST_JOB_WEIGHT * 2
        assert standard.jobs == 2
        assert standard.work_per_second == pytest.approx(before + NEW_JOB_WEIGHT * (1.0 - before))
    finally:
        engine.dispose()
