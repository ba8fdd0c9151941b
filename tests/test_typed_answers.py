"""Answers typed at the strength question, in every language and both Chinese scripts: read by a plain
function (bot.texts.typed), then done by the bot through the Bot API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runtime.service import BotService
from bot.texts.catalogue import CATALOGUES, language_for
from bot.texts.typed import Meaning, Typed, read_typed
from stylebot.choices import Strength
from testkit.botapi import BotApiStandIn, Call, User
from testkit.pictures import CAT, WAVES
from tests.harness import asks, buttons, requests, running_bot, said, says

S = Meaning.STRENGTH
READ: dict[str, Typed] = {
    # The issue's own examples.
    "light please": Typed(S, Strength.LIGHT),
    "very strong": Typed(S, Strength.STRONGEST),
    "stronger": Typed(S, Strength.STRONG),
    "swap": Typed(Meaning.SWAP),
    "oops, wrong order": Typed(Meaning.SWAP),
    # English, said in other ways.
    "Medium.": Typed(S, Strength.MEDIUM),
    "a bit stronger": Typed(S, Strength.STRONG),
    "much stronger please": Typed(S, Strength.STRONGEST),
    "just a little": Typed(S, Strength.LIGHT),
    "very light": Typed(S, Strength.LIGHTEST),
    "level 4": Typed(S, Strength.STRONG),
    "Strong 💪": Typed(S, Strength.STRONG),
    "I sent them the wrong way round": Typed(Meaning.SWAP),
    "swap the photo and the style": Typed(Meaning.SWAP),
    "compare": Typed(Meaning.COMPARE),
    "all three": Typed(Meaning.COMPARE),
    "bigger": Typed(Meaning.SIZE),
    "keep the colours": Typed(Meaning.COLORS),
    "never mind": Typed(Meaning.CANCEL),
    # Russian.
    "послабее, пожалуйста": Typed(S, Strength.LIGHT),
    "очень сильно": Typed(S, Strength.STRONGEST),
    "ещё сильнее": Typed(S, Strength.STRONGEST),
    "чуть-чуть": Typed(S, Strength.LIGHT),
    "средне": Typed(S, Strength.MEDIUM),
    "ой, перепутал": Typed(Meaning.SWAP),
    "поменяй их местами": Typed(Meaning.SWAP),
    "не в том порядке": Typed(Meaning.SWAP),
    "сравнить все три": Typed(Meaning.COMPARE),
    # Simplified Chinese.
    "强": Typed(S, Strength.STRONG),
    "中": Typed(S, Strength.MEDIUM),
    "轻一点吧": Typed(S, Strength.LIGHT),
    "再强一点": Typed(S, Strength.STRONG),
    "我要非常强烈的": Typed(S, Strength.STRONGEST),
    "哎呀，发反了": Typed(Meaning.SWAP),
    "顺序错了": Typed(Meaning.SWAP),
    "比较强度": Typed(Meaning.COMPARE),
    # Traditional Chinese: its own words, and typed in full width.
    "強": Typed(S, Strength.STRONG),
    "強烈": Typed(S, Strength.STRONG),
    "中等": Typed(S, Strength.MEDIUM),
    "輕": Typed(S, Strength.LIGHT),
    "輕一點": Typed(S, Strength.LIGHT),
    "很強": Typed(S, Strength.STRONGEST),
    "最強": Typed(S, Strength.STRONGEST),
    "弄反了": Typed(Meaning.SWAP),
    "對調": Typed(Meaning.SWAP),
    "４": Typed(S, Strength.STRONG),
}
# Strength words in a sentence, a negation, a change of one picture: no answer, so the hint.
UNREAD = (
    "a sunset over the sea",
    "the light is too strong",
    "not too strong",
    "too strong",
    "very medium",
    "6",
    "switch style",
    "не сильно",
    "поменяй стиль",
    "不要太强",
    "太強了",
    "换风格",
    "",
    "!!!",
)


@pytest.mark.parametrize("typed", sorted(READ))
def test_what_a_typed_answer_means(typed: str) -> None:
    assert read_typed(typed) == READ[typed]


@pytest.mark.parametrize("typed", UNREAD)
def test_what_is_no_answer_stays_unread(typed: str) -> None:
    assert read_typed(typed) is None


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_every_buttons_label_reads_as_what_the_button_does(lang: str) -> None:
    catalogue = CATALOGUES[lang]
    for strength in Strength:
        assert read_typed(catalogue[f"strength_{strength}"]) == Typed(S, strength)
    assert read_typed(catalogue["swap_button"]) == Typed(Meaning.SWAP)
    assert read_typed(catalogue["compare_button"]) == Typed(Meaning.COMPARE)


@pytest.fixture
async def bot(botapi: BotApiStandIn, sqlite_url: str) -> AsyncIterator[BotService]:
    async with running_bot(botapi, sqlite_url) as service:
        yield service


async def two_pictures(botapi: BotApiStandIn, user: User, first: bytes, second: bytes) -> Call:
    """The photo and the style; returns the strength question (in the user's language)."""
    lang = language_for(None, user.language_code)
    await said(botapi, lambda: botapi.send_photo(user, first), "sendPhoto", asks("got_content", lang))
    return await said(botapi, lambda: botapi.send_photo(user, second), predicate=asks("got_style", lang))


@pytest.mark.parametrize(
    ("typed", "language", "strength"),
    [
        ("light please", "en", Strength.LIGHT),
        ("very strong", "en", Strength.STRONGEST),
        ("強烈", "zh-hant", Strength.STRONG),
    ],
)
async def test_a_typed_strength_paints_at_it(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str, typed: str, language: str, strength: Strength
) -> None:
    user = User(301, language_code=language)
    await two_pictures(botapi, user, CAT, WAVES)
    status = await said(botapi, lambda: botapi.send_text(user, typed))
    assert says(status.params["text"], "queue_position", language)
    [request] = requests(sqlite_url)
    assert request.strength == strength


@pytest.mark.parametrize(("typed", "language"), [("oops, wrong order", "en"), ("弄反了", "zh-hant")])
async def test_a_typed_swap_swaps_like_the_button(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str, typed: str, language: str
) -> None:
    user = User(302, language_code=language)
    question = await two_pictures(botapi, user, WAVES, CAT)  # the painting first
    asked = await said(botapi, lambda: botapi.send_text(user, typed))
    assert says(asked.params["text"], "swapped", language) and "strength:light" in buttons(asked)
    shown = botapi.shown(user.id, question.result["message_id"])
    assert shown is not None and shown.markup == "null", "the question above lost its buttons"
    await said(botapi, lambda: botapi.press_button(user, asked.result, "strength:light"), "editMessageText")
    [request] = requests(sqlite_url)
    sent_first, sent_second = [c for c in botapi.calls if c.method == "getFile"][:2]
    assert request.style_file_id == sent_first.params["file_id"], "the first picture became the style"
    assert request.content_file_id == sent_second.params["file_id"]


async def test_typed_words_that_are_no_answer_get_the_hint_and_the_size_points_to_settings(
    bot: BotService, botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user = User(303, language_code="ru")
    await two_pictures(botapi, user, CAT, WAVES)
    hint = await said(botapi, lambda: botapi.send_text(user, "не слишком сильно"))
    assert says(hint.params["text"], "expect_strength", "ru")
    pointer = await said(botapi, lambda: botapi.send_text(user, "крупнее"))
    assert says(pointer.params["text"], "typed_size", "ru")
    status = await said(botapi, lambda: botapi.send_text(user, "сравнить все три"))
    assert says(status.params["text"], "compare_chosen", "ru")
    [request] = requests(sqlite_url)
    assert (request.compare, request.strength) == (True, Strength.MEDIUM)
