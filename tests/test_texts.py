"""The catalogues: every language says everything, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.texts.catalogue import CATALOGUES, language_for, text
from bot.texts.status import status_text
from bot.texts.strengths import strength_from_words
from stylebot.choices import Strength


def placeholders(template: str) -> set[tuple[str, str]]:
    """The {name:format} fields of a template."""
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("language", sorted(set(CATALOGUES) - {"en"}))
def test_every_catalogue_has_every_key_with_the_same_placeholders(language: str) -> None:
    english, other = CATALOGUES["en"], CATALOGUES[language]
    assert other.keys() == english.keys(), (
        f"missing: {sorted(english.keys() - other.keys())}, extra: {sorted(other.keys() - english.keys())}"
    )
    for key, template in english.items():
        assert placeholders(other[key]) == placeholders(template), key


def test_no_text_is_left_in_english_in_another_language() -> None:
    same = {"language_name", "history_line", "wait_seconds"}  # names and pure formats may coincide
    for language in ("ru", "zh"):
        untranslated = [
            key
            for key, value in CATALOGUES[language].items()
            if value == CATALOGUES["en"][key] and key not in same
        ]
        assert untranslated == [], language


def test_the_language_follows_the_choice_then_telegram_then_english() -> None:
    assert language_for(None, "ru") == "ru"
    assert language_for(None, "zh-hans") == "zh"
    assert language_for(None, "pt-br") == "en"
    assert language_for(None, None) == "en"
    assert language_for("zh", "ru") == "zh"
    assert language_for("xx", "ru") == "ru"


def test_captions_name_strengths_in_any_language_or_by_number() -> None:
    assert strength_from_words("strong") == "strong"
    assert strength_from_words("  Strong! ") == "strong"
    assert strength_from_words("5") == "strongest"
    assert strength_from_words("1") == "lightest"
    assert strength_from_words("Сильно") == "strong"
    assert strength_from_words("最强") == "strongest"
    assert strength_from_words("a sunset over the sea") is None
    assert strength_from_words("6") is None
    assert strength_from_words(None) is None


def test_the_strength_ladder_stops_at_both_ends() -> None:
    assert Strength.MEDIUM.step(1) == Strength.STRONG
    assert Strength.LIGHT.step(-1) == Strength.LIGHTEST
    assert Strength.LIGHTEST.step(-1) is None
    assert Strength.STRONGEST.step(1) is None


def test_status_texts_round_the_wait_and_progress() -> None:
    assert status_text("en", strength="medium", status="queued", position=3, wait_seconds=41) == (
        "Strength: Medium.\nQueued, position 3: about 50 s to wait."
    )
    assert "about 3 min" in status_text(
        "en", strength="medium", status="queued", position=9, wait_seconds=150
    )
    assert (
        status_text("ru", strength="strong", status="running", progress=0.47) == "Сила: Сильно.\nРисую… 45%"
    )
    assert text("zh", "queue_position", position=2) == "已排队，第 2 位。"
