"""The catalogues, and looking a text up in the user's language."""

from __future__ import annotations

from bot.texts.locales import en, ru, zh, zh_hant

# Keys are what /language stores and its buttons carry: a language, and for Chinese its script.
CATALOGUES: dict[str, dict[str, str]] = {
    "en": en.TEXTS,
    "ru": ru.TEXTS,
    "zh": zh.TEXTS,
    "zh-hant": zh_hant.TEXTS,
}
DEFAULT_LANGUAGE = "en"
# Subtags of a Chinese language code that mean Traditional characters: the script itself, or a place
# that writes it (Taiwan, Hong Kong, Macau). Cantonese ("yue") is written in them too.
TRADITIONAL_SUBTAGS = frozenset({"hant", "tw", "hk", "mo"})


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The user's choice (/language), else Telegram's language code ("ru", "zh-hans", "zh-hant",
    "zh_TW", "zh-HK": Chinese in the script its code names or its place writes), else English."""
    if chosen in CATALOGUES:
        return chosen
    parts = (telegram_code or "").replace("_", "-").lower().split("-")
    traditional = "hans" not in parts and not TRADITIONAL_SUBTAGS.isdisjoint(parts[1:])
    if parts[0] == "yue" or (parts[0] == "zh" and traditional):
        return "zh-hant"
    return parts[0] if parts[0] in CATALOGUES else DEFAULT_LANGUAGE


def text(lang: str, key: str, **values: object) -> str:
    return CATALOGUES.get(lang, en.TEXTS)[key].format(**values)
