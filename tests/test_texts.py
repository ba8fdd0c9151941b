"""The catalogues: every language says everything, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.texts.catalogue import CATALOGUES, language_for
from bot.texts.choices import strength_from_words
from bot.texts.numbers import integer, seconds
from bot.texts.status import running_text, wait_text, waiting_text
from stylebot.choices import Strength
from testkit.botprocess import PROJECT_ROOT
from tests.harness import says


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
    # Names, pure formats and marks may coincide.
    same = {
        "language_name",
        "history_line",
        "wait_seconds",
        "decimal_mark",
        "thousands_mark",
        "quoted",
        "style_neon",
    }
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


def test_status_texts_round_the_wait_and_show_places_in_the_users_language() -> None:
    first = waiting_text("en", strength="medium", exact=3, within=None, wait_seconds=41)
    assert says(first, "queue_position", position=3) and says(first, "wait_seconds", n=45)
    later = waiting_text("en", strength="medium", exact=None, within=10_000, wait_seconds=150)
    assert says(later, "queue_within", within="10,000") and "About 3 min" in later
    assert "10\u202f000" in waiting_text(
        "ru", strength="medium", exact=None, within=10_000, wait_seconds=None
    )
    assert says(running_text("ru", strength="strong", progress=0.47), "painting_progress", "ru", percent=45)
    assert says(
        running_text("ru", strength="medium", progress=0.5), "strength_chosen", "ru", strength="средняя"
    )
    assert [wait_text("en", s) for s in (3, 7, 41, 95, 150, 9000)] == [
        "3 s",
        "7 s",
        "45 s",
        "100 s",
        "3 min",
        "3 h",
    ]


def test_numbers_and_units_follow_the_language() -> None:
    assert (seconds("en", 2.94), seconds("ru", 2.94), seconds("zh", 2.94)) == ("2.9 s", "2,9 с", "2.9 秒")
    assert (integer("en", 12345), integer("ru", 12345)) == ("12,345", "12\u202f345")


def test_every_text_the_code_asks_for_is_in_the_catalogues() -> None:
    """Every literal key in text(lang, "key", ...) calls exists (keys built at run time, like
    f"status_{status}", are checked by the tests of their features)."""
    keys = set(CATALOGUES["en"])
    asked = set()
    for path in Path(PROJECT_ROOT, "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "text"
                and len(node.args) >= 2
            ):
                key = node.args[1]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    asked.add((key.value, str(path.relative_to(PROJECT_ROOT))))
    assert len(asked) > 50
    missing = sorted((key, where) for key, where in asked if key not in keys)
    assert missing == []


@pytest.mark.parametrize(
    ("code", "expected"), [("zh-hant", "zh"), ("zh-hk", "zh"), ("zh_TW", "zh"), ("pt-br", "en")]
)
def test_chinese_in_either_script_gets_chinese_and_other_languages_english(code: str, expected: str) -> None:
    assert language_for(None, code) == expected
