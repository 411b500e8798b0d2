"""Vietnamese text normalisation and matching of typed words against offered choices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, wraps

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")
# Đ/đ, and Ð/ð (U+00D0/U+00F0, the Icelandic eth) that published lists use for them.
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
REMEMBERED_LENGTH = 80  # characters: button words and short answers, not whole paragraphs


def remembered(function: Callable[[str], str]) -> Callable[[str], str]:
    """`function` with its results for short texts remembered.

    Every reply folds the words of each choice it offers again; remembering them saves that
    work on each message. Long texts are not kept, so the memory stays small (a few MB).
    """
    cached = lru_cache(maxsize=4096)(function)

    @wraps(function)
    def call(text: str) -> str:
        return cached(text) if len(text) <= REMEMBERED_LENGTH else function(text)

    return call


@remembered
def normalize(text: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: the form we store."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@remembered
def fold(text: str) -> str:
    """Lowercase, diacritics removed, đ→d (and its look-alike ð→d), spaces collapsed: the form
    we match on."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


# Tone marks (sắc, huyền, hỏi, ngã, nặng); vowel marks like ư, ơ, â, ă, ê, ô and đ are kept.
_TONES = frozenset("\u0301\u0300\u0309\u0303\u0323")


@remembered
def fold_tones(text: str) -> str:
    """Lowercase with tone marks removed and y read as i: "Đăng kí" and "đăng ký" agree."""
    decomposed = unicodedata.normalize("NFD", normalize(text).casefold())
    toneless = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", toneless).replace("y", "i")


@remembered
def _loose(text: str) -> str:
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def best_match(typed: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The key whose words equal what was typed: accented match first, then folded."""
    wanted = normalize(typed).casefold()
    for key, words in options:
        if any(normalize(word).casefold() == wanted for word in words):
            return key
    folded = _loose(typed)
    if not folded:
        return None
    hits = [key for key, words in options if any(_loose(word) == folded for word in words)]
    return hits[0] if len(set(hits)) == 1 else None


def search(typed: str, options: Sequence[tuple[str, Iterable[str]]]) -> list[str]:
    """Keys whose words contain what was typed (folded), exact matches first."""
    exact = best_match(typed, options)
    if exact is not None:
        return [exact]
    folded = _loose(typed)
    if len(folded) < 2:
        return []
    found: list[str] = []
    for key, words in options:
        if any(folded in _loose(word) for word in words) and key not in found:
            found.append(key)
    return found


# How lists write a province before its name: "Tỉnh Trà Vinh", "TP Cần Thơ", "Thành phố Cần Thơ".
_PROVINCE_PREFIX = re.compile(r"^\s*(?:tỉnh|tinh|tp\.?|thành phố|thanh pho)(?:\s+|\.\s*)", re.I)


def without_province_prefix(text: str) -> str:
    """A province's name without the "Tỉnh", "TP", "TP." or "Thành phố" written before it."""
    text = normalize(text)
    stripped = _PROVINCE_PREFIX.sub("", text)
    return stripped if stripped else text


def display_length(text: str) -> int:
    """Length in user-perceived characters (grapheme-ish: combining marks not counted)."""
    return sum(1 for ch in unicodedata.normalize("NFC", text) if not unicodedata.combining(ch))


def has_letters_or_digits(text: str) -> bool:
    """True if the text has at least one letter or digit (not only emoji or punctuation)."""
    return any(ch.isalnum() for ch in text)


def contains_words(typed: str, label: str) -> bool:
    """Whether every word typed (folded) is a word of the label: "lam tiep" in "Làm tiếp: X"."""
    wanted = _loose(typed).split()
    have = set(_loose(label).split())
    return bool(wanted) and all(word in have for word in wanted)
