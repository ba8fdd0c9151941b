"""Numbers and units as each language writes them: "2.9 s", "2,9 с", "2.9 秒"; "10,000", "10 000"."""

from __future__ import annotations

from bot.texts.catalogue import text


def decimal(lang: str, value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals and the language's decimal mark."""
    return f"{value:.{digits}f}".replace(".", text(lang, "decimal_mark"))


def integer(lang: str, value: int) -> str:
    """`value` with the language's thousands separator (a narrow no-break space in Russian)."""
    return f"{value:,}".replace(",", text(lang, "thousands_mark"))


def seconds(lang: str, value: float) -> str:
    return text(lang, "seconds_value", value=decimal(lang, value))
