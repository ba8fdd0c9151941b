"""What a typed answer to the strength question means, in any of the bot's languages and either
Chinese script: a strength ("light please", "very strong", "stronger", "強烈", "посильнее", "4"), a
swap of the two pictures ("swap", "oops, wrong order", "弄反了"), all three strengths side by side
("compare"), or what only /settings or /cancel does (the size, the colours, cancelling). Anything
else means nothing (None), and the caller says what it expects.

The whole message must be the answer once the words that add nothing are dropped: a strength word
inside a sentence ("the light is too strong", "not too strong") is not read as one.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from bot.texts import typed_words as words
from bot.texts.catalogue import CATALOGUES
from stylebot.choices import Strength


class Meaning(enum.StrEnum):
    STRENGTH = "strength"
    SWAP = "swap"
    COMPARE = "compare"
    SIZE = "size"  # only /settings changes it
    COLORS = "colors"  # only /settings changes it
    CANCEL = "cancel"  # /cancel does it


@dataclass(frozen=True)
class Typed:
    meaning: Meaning
    strength: Strength | None = None  # with Meaning.STRENGTH


def normal(text: str) -> str:
    """Case, width and accents folded (ё as е, й as и), punctuation and symbols as spaces."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in kept)
    return " ".join(spaced.split())


def _normal_set(items: frozenset[str]) -> frozenset[str]:
    return frozenset(normal(item) for item in items)


FILLERS = _normal_set(words.FILLERS)
SOFTENERS = _normal_set(words.SOFTENERS)
INTENSIFIERS = _normal_set(words.INTENSIFIERS)
# A bare "swap" with only the photo or only the style named changes that one ("switch style",
# "поменяй стиль"); it is no swap of the two.
BARE_SWAPS = _normal_set(
    frozenset({"swap", "switch", "flip", "exchange", "поменяй", "поменяйте", "поменять"})
)
PHOTO_WORDS = _normal_set(frozenset({"photo", "photos", "фото"}))
STYLE_WORDS = _normal_set(frozenset({"style", "стиль", "стиля"}))


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _key(phrase: str) -> str:
    """A phrase as answers are looked up: normalised; Chinese without spaces, others without fillers."""
    text = normal(phrase)
    if _is_cjk(text):
        return text.replace(" ", "")
    return " ".join(token for token in text.split() if token not in FILLERS)


def _vocabulary() -> dict[str, Typed]:
    """Every phrase, by its key. The buttons' labels come from the catalogues; a phrase that would
    mean two things is a mistake, caught here."""
    table: dict[str, Typed] = {}

    def add(phrase: str, typed: Typed) -> None:
        key = _key(phrase)
        if not key:
            raise ValueError(f"{phrase!r} is all fillers")
        if table.get(key, typed) != typed:
            raise ValueError(f"{phrase!r} would mean both {table[key]} and {typed}")
        table[key] = typed

    for number, strength in enumerate(Strength, start=1):
        add(str(number), Typed(Meaning.STRENGTH, strength))
    for strength in Strength:
        for catalogue in CATALOGUES.values():
            for label in (f"strength_{strength}", f"strength_as_{strength}"):
                add(catalogue[label], Typed(Meaning.STRENGTH, strength))
        for phrase in words.STRENGTH_PHRASES[strength] + words.CJK_STRENGTH_PHRASES[strength]:
            add(phrase, Typed(Meaning.STRENGTH, strength))
    others = {
        Meaning.SWAP: (words.SWAP_PHRASES + words.CJK_SWAP_PHRASES, ("swap_button",)),
        Meaning.COMPARE: (words.COMPARE_PHRASES + words.CJK_COMPARE_PHRASES, ("compare_button",)),
        Meaning.SIZE: (words.SIZE_PHRASES + words.CJK_SIZE_PHRASES, ("size_standard", "size_large")),
        Meaning.COLORS: (words.COLORS_PHRASES + words.CJK_COLORS_PHRASES, ("colors_button",)),
        Meaning.CANCEL: (words.CANCEL_PHRASES + words.CJK_CANCEL_PHRASES, ("cancel_button",)),
    }
    for meaning, (phrases, labels) in others.items():
        for phrase in phrases + tuple(c[label] for c in CATALOGUES.values() for label in labels):
            add(phrase, Typed(meaning))
    return table


VOCABULARY = _vocabulary()


def _extreme(typed: Typed) -> Typed | None:
    """ "Very" said of an answer: a strength goes to its end of the ladder ("very strong" is the
    strongest), "very medium" means nothing, anything else is unchanged ("really swap")."""
    if typed.strength is None:
        return typed
    if typed.strength in (Strength.STRONG, Strength.STRONGEST):
        return Typed(Meaning.STRENGTH, Strength.STRONGEST)
    if typed.strength in (Strength.LIGHT, Strength.LIGHTEST):
        return Typed(Meaning.STRENGTH, Strength.LIGHTEST)
    return None


def _without(tokens: list[str], dropped: frozenset[str]) -> list[str]:
    """`tokens` less the `dropped` ones, unless nothing else would be left ("a bit" alone is light)."""
    rest = [token for token in tokens if token not in dropped]
    return rest or tokens


def _read_worded(tokens: list[str]) -> Typed | None:
    said = _without([token for token in tokens if token not in FILLERS], SOFTENERS)
    plain = _without(said, INTENSIFIERS)
    # As said first ("other way round": "way" is no "very" there), then with the "very" taken out.
    phrase = " ".join(said)
    typed = VOCABULARY.get(phrase)
    intensified = typed is None and plain != said
    if intensified:
        phrase = " ".join(plain)
        typed = VOCABULARY.get(phrase)
    if typed is None:
        return None
    if typed.meaning is Meaning.SWAP and phrase in BARE_SWAPS:
        named = set(tokens)
        if bool(named & PHOTO_WORDS) != bool(named & STYLE_WORDS):
            return None
    return _extreme(typed) if intensified else typed


def _strip_cjk(text: str) -> Typed | None:
    """The answer in `text`, looked up as it is and again each time a filler comes off either end."""
    while text:
        if text in VOCABULARY:
            return VOCABULARY[text]
        shorter = next((text[len(p) :] for p in words.CJK_PREFIXES if text.startswith(p) and text != p), None)
        if shorter is None:
            shorter = next(
                (text[: -len(s)] for s in words.CJK_SUFFIXES if text.endswith(s) and text != s), None
            )
        if shorter is None:
            return None
        text = shorter
    return None


def _read_cjk(text: str) -> Typed | None:
    typed = _strip_cjk(text)
    if typed is not None:
        return typed
    # "我要非常强烈的": the fillers in front off, then the "very", then the rest read as above.
    while prefix := next((p for p in words.CJK_PREFIXES if text.startswith(p) and text != p), None):
        text = text[len(prefix) :]
    very = next((v for v in words.CJK_INTENSIFIERS if text.startswith(v) and text != v), None)
    if very is None:
        return None
    rest = _strip_cjk(text[len(very) :])
    return _extreme(rest) if rest is not None else None


def read_typed(message: str | None) -> Typed | None:
    """What `message`, typed at the strength question, asks for; None when it is no answer."""
    if not message:
        return None
    text = normal(message)
    if not text:
        return None
    if _is_cjk(text):
        return _read_cjk(text.replace(" ", ""))
    return _read_worded(text.split())
