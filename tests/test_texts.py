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
from testkit.botapi.profile import (
    COMMAND_DESCRIPTION_LIMIT,
    DESCRIPTION_LIMIT,
    SHORT_DESCRIPTION_LIMIT,
    telegram_length,
)
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
        "stats_reaction_line",
        "wait_seconds",
        "decimal_mark",
        "thousands_mark",
        "quoted",
        "style_neon",
    }
    for language in ("ru", "zh", "zh-hant"):
        untranslated = [
            key
            for key, value in CATALOGUES[language].items()
            if value == CATALOGUES["en"][key] and key not in same
        ]
        assert untranslated == [], language


def test_the_language_follows_the_choice_then_telegram_then_english() -> None:
    assert language_for(None, "ru") == "ru"
    assert language_for(None, "zh-hans") == "zh"
    assert language_for(None, "zh-hant") == "zh-hant"
    assert language_for("zh-hant", "zh-hans") == "zh-hant"
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
    assert strength_from_words("最強") == "strongest"
    assert strength_from_words("強烈") == "strong"
    assert strength_from_words("very strong") == "strongest"
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
    ("code", "expected"),
    [
        ("zh-hant", "zh-hant"),
        ("zh-tw", "zh-hant"),
        ("zh-hk", "zh-hant"),
        ("zh_TW", "zh-hant"),
        ("zh-mo", "zh-hant"),
        ("zh-Hant-TW", "zh-hant"),
        ("yue", "zh-hant"),
        ("zh", "zh"),
        ("zh-hans", "zh"),
        ("zh-cn", "zh"),
        ("zh-sg", "zh"),
        ("zh-Hans-HK", "zh"),
        ("pt-br", "en"),
    ],
)
def test_chinese_gets_the_script_its_code_or_place_writes_and_other_languages_english(
    code: str, expected: str
) -> None:
    assert language_for(None, code) == expected


# Characters written differently in the two scripts (Simplified, Traditional), among those the
# catalogues use: a Traditional catalogue holds none of the first, a Simplified one none of the second.
SCRIPT_PAIRS = str.split(
    "这這 们們 个個 图圖 张張 风風 画畫 发發 说說 设設 换換 强強 给給 颜顏 开開 关關 数數 进進 门門 时時 "
    "间間 请請 让讓 还還 选選 择擇 钮鈕 删刪 识識 语語 较較 现現 样樣 边邊 载載 档檔 务務 队隊 处處 认認 "
    "记記 录錄 实實 际際 质質 纹紋 传傳 为為 点點 击擊 对對 错錯 误誤 应應 该該 经經 过過 来來 后後 损損 "
    "坏壞 动動 号號 码碼 简簡 网網 连連 续續 断斷 线線 笔筆 马馬 赛賽 铅鉛 级級 问問 题題 无無 从從 计計 "
    "统統 总總 败敗 机機 帮幫 将將 会會 钟鐘 么麼 于於 与與 并並 杂雜 够夠 尽盡 头頭 读讀 长長 单單 复復"
)


def test_each_chinese_catalogue_is_written_in_its_own_script() -> None:
    simplified = {pair[0] for pair in SCRIPT_PAIRS}
    traditional = {pair[1] for pair in SCRIPT_PAIRS}
    hant = "".join(CATALOGUES["zh-hant"].values())
    hans = "".join(CATALOGUES["zh"].values())
    assert sorted(simplified & set(hant)) == []
    assert sorted(traditional & set(hans)) == []


def test_the_traditional_catalogue_uses_taiwan_and_hong_kong_words_not_converted_mainland_ones() -> None:
    """What a character-by-character conversion of the Simplified catalogue would say instead."""
    hant = "".join(CATALOGUES["zh-hant"].values())
    for mainland in ("文件", "默認", "設置", "內存", "相冊", "用戶", "信息", "消息", "數據", "“", "”"):
        assert mainland not in hant, mainland
    for local in ("檔案", "預設", "設定", "記憶體", "相簿", "使用者", "訊息", "資料", "「"):
        assert local in hant, local


def test_what_the_screen_before_start_says_fits_telegrams_limits_in_every_language() -> None:
    for lang, catalogue in CATALOGUES.items():
        assert telegram_length(catalogue["bot_description"]) <= DESCRIPTION_LIMIT, lang
        assert telegram_length(catalogue["bot_short_description"]) <= SHORT_DESCRIPTION_LIMIT, lang
        for key in (k for k in catalogue if k.startswith("cmd_")):
            assert 1 <= telegram_length(catalogue[key]) <= COMMAND_DESCRIPTION_LIMIT, (lang, key)
