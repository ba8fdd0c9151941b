"""The catalogues, and looking a text up in the user's language."""

from __future__ import annotations

from bot.texts.locales import en, ru, zh

CATALOGUES: dict[str, dict[str, str]] = {"en": en.TEXTS, "ru": ru.TEXTS, "zh": zh.TEXTS}
DEFAULT_LANGUAGE = "en"


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The user's choice (/language), else Telegram's language code ("ru", "zh-hans", "zh-hant",
    "zh_TW": Chinese in either script reads the one catalogue), else English."""
    if chosen in CATALOGUES:
        return chosen
    prefix = (telegram_code or "").replace("_", "-").split("-")[0].lower()
    return prefix if prefix in CATALOGUES else DEFAULT_LANGUAGE


def text(lang: str, key: str, **values: object) -> str:
    return CATALOGUES.get(lang, en.TEXTS)[key].format(**values)
