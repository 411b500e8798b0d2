"""A typed sentence as words: short forms written out, polite and filler words set aside.

"cho toi dang ky sp nha" reads as the words ("dang", "ky", "san", "pham"); "thoi de mai
lam tiep" is a person leaving a step for later. The vocabulary is `phrasing.toml`.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from messages.telex import untelex
from messages.text import fold, fold_tones, normalize

Words = tuple[str, ...]
_NOT_WORD = re.compile(r"[^\w\s*]")
_DRAWN_OUT = re.compile(r"(\D)\1{2,}")  # "okkk", "nhaaa", "điiii": a letter held down


def _typed(text: str) -> list[str]:
    """The typed words, lowercase, punctuation dropped, a letter held down said once."""
    return _DRAWN_OUT.sub(r"\1", _NOT_WORD.sub(" ", normalize(text).casefold())).split()


class Leaving(StrEnum):
    """How much of a message says "later": all of it, or it starts so and goes on."""

    ALL = "all"
    MIXED = "mixed"


@cache
def _vocabulary() -> dict[str, Any]:
    text = (resources.files("messages") / "phrasing.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _spelling() -> dict[str, Words]:
    return {short: tuple(full.split()) for short, full in _vocabulary()["spelling"].items()}


@cache
def _folded_spelling() -> dict[str, Words]:
    return {short: tuple(fold(w) for w in full) for short, full in _spelling().items()}


@cache
def _phrases(section: str, key: str) -> tuple[Words, ...]:
    """A section's phrases as words, the longest first (so "cho toi" goes before "cho")."""
    phrases = {tuple(p.split()) for p in _vocabulary()[section][key]}
    return tuple(sorted(phrases, key=len, reverse=True))


@cache
def _label_stopwords() -> frozenset[str]:
    return frozenset(_vocabulary()["label"]["stopwords"])


@cache
def _leave_words() -> frozenset[str]:
    return frozenset(_vocabulary()["leave"]["words"]) | {w for p in _fillers() for w in p}


def _fillers() -> tuple[Words, ...]:
    return _phrases("filler", "phrases")


Synonym = tuple[Words, Words, tuple[str | None, ...]]  # said, meant, meant's tone forms


@cache
def _synonyms() -> tuple[Synonym, ...]:
    """Phrases said in other words, folded, the longest first ("tat thong bao")."""
    pairs: dict[Words, tuple[Words, tuple[str | None, ...]]] = {}
    for said, meant in _vocabulary()["synonyms"].items():
        toned = meant.casefold().split()
        pairs[tuple(fold(w) for w in said.split())] = (
            tuple(fold(w) for w in toned),
            tuple(fold_tones(w) if fold(w) != w else None for w in toned),
        )
    ordered = sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)
    return tuple((said, meant, marks) for said, (meant, marks) in ordered)


def _english_plural(word: str) -> str:
    """"deadlines" → "deadline": no Vietnamese syllable ends in "s"."""
    plural = len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us"))
    return word[:-1] if plural else word


@lru_cache(maxsize=4096)
def words(text: str) -> Words:
    """The message's words, folded, punctuation dropped, short forms and synonyms written
    out, English plurals made singular."""
    return _analysed(text)[0]


@lru_cache(maxsize=4096)
def tones(text: str) -> dict[str, str]:
    """The words typed with diacritics, folded → up to tone marks ("nhan" → "nhân" for
    "nhận"): "nhãn" and "nhận" fold alike, but are not the same word."""
    found, marks = _analysed(text)
    return {word: mark for word, mark in zip(found, marks, strict=True) if mark is not None}


@lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[Words, tuple[str | None, ...]]:
    """The words (see `words`) and, beside each, its form up to tone marks when it was typed
    with diacritics as it is (not a short form, not a synonym's)."""
    spelling = _folded_spelling()
    found: list[str] = []
    marks: list[str | None] = []
    for typed in _typed(text):
        plain = untelex(fold(typed))
        parts = spelling.get(plain)
        if parts is None:
            found.append(_english_plural(plain))
            marks.append(fold_tones(typed) if typed != plain else None)
        else:
            found.extend(parts)
            marks.extend([None] * len(parts))
    return _replaced(tuple(found), tuple(marks), _synonyms())


def _replaced(
    found: Words, marks: tuple[str | None, ...], pairs: tuple[Synonym, ...]
) -> tuple[Words, tuple[str | None, ...]]:
    kept: list[str] = []
    kept_marks: list[str | None] = []
    i = 0
    while i < len(found):
        hit = next((pair for pair in pairs if found[i : i + len(pair[0])] == pair[0]), None)
        if hit is None:
            kept.append(found[i])
            kept_marks.append(marks[i])
            i += 1
        elif hit[0] == hit[1]:  # a phrase kept as it is ("thông tin" is not "tin")
            kept.extend(found[i : i + len(hit[0])])
            kept_marks.extend(marks[i : i + len(hit[0])])
            i += len(hit[0])
        else:
            kept.extend(hit[1])
            kept_marks.extend(hit[2])  # "tắt thông báo" is "dừng", not "đúng"
            i += len(hit[0])
    return tuple(kept), tuple(kept_marks)


def _without(found: Words, phrases: tuple[Words, ...]) -> Words:
    kept: list[str] = []
    i = 0
    while i < len(found):
        hit = next((p for p in phrases if found[i : i + len(p)] == p), None)
        if hit is None:
            kept.append(found[i])
            i += 1
        else:
            i += len(hit)
    return tuple(kept)


@lru_cache(maxsize=4096)
def only_fillers(text: str) -> bool:
    """Whether every word of the message is a polite or filler word ("giúp tôi với")."""
    return not _without(words(text), _fillers())


@lru_cache(maxsize=4096)
def content(text: str) -> Words:
    """The words that say what is asked: fillers set aside (all of them if nothing is left),
    and a question's "có … không" ("có lớp tập huấn nào không" asks for the trainings)."""
    found = _unasked(words(text))
    kept = _without(found, _fillers())
    if not kept:
        return found
    return _replaced(kept, (None,) * len(kept), _synonyms())[0]  # "xóa hết thông tin"


def _unasked(found: Words) -> Words:
    """The words without the particle that makes them a question: "… không", "… chưa"."""
    question = _vocabulary()["question"]
    if len(found) > 2 and found[-1] in question["endings"] and found[1] not in question[
        "not_before"
    ]:
        found = found[:-1]
        return found[1:] if found[0] in question["openings"] else found
    return found


@lru_cache(maxsize=4096)
def spelled(text: str) -> str:
    """The message with its short forms written out, diacritics kept: "ko có ảnh" →
    "khong có ảnh" (so that "dừng" still differs from "đúng")."""
    return " ".join(_toned_words(text))


def _toned_words(text: str) -> list[str]:
    spelling = _spelling()
    found: list[str] = []
    for word in _typed(text):
        word = untelex(word)
        plain = fold(word)
        found.extend(spelling.get(word, (word,)) if plain == word else (word,))
    return found


@lru_cache(maxsize=4096)
def bare(text: str) -> str:
    """The answer without the particles said around it: "dạ đồng ý nha" → "đồng ý"."""
    found = _toned_words(text)
    after = _phrases("particles", "around")
    before = _phrases("particles", "before")
    changed = True
    while changed and found:
        changed = False
        for phrase in after:
            tail = tuple(fold(w) for w in found[-len(phrase) :])
            if len(found) > len(phrase) and tail == phrase:
                del found[-len(phrase) :]
                changed = True
        for phrase in before:
            head = tuple(fold(w) for w in found[: len(phrase)])
            if len(found) > len(phrase) and head == phrase:
                del found[: len(phrase)]
                changed = True
    return " ".join(found)


@lru_cache(maxsize=4096)
def label_words(label: str) -> frozenset[str]:
    """A button label's words a request must name ("Sản phẩm của tôi" → sản, phẩm)."""
    found = frozenset(content(label))
    kept = found - _label_stopwords()
    return kept or found


def _starts_with(found: Words, phrases: tuple[Words, ...]) -> Words | None:
    return next((p for p in phrases if found[: len(p)] == p), None)


def _holds(found: Words, phrases: tuple[Words, ...]) -> bool:
    return any(
        found[i : i + len(p)] == p for p in phrases for i in range(len(found) - len(p) + 1)
    )


@lru_cache(maxsize=4096)
def leaving(text: str) -> Leaving | None:
    """Whether the message leaves the step for later ("thôi", "để mai làm tiếp")."""
    found = words(text)
    triggers = _phrases("leave", "triggers")
    if not found or not _holds(found, triggers):
        return None
    if all(word in _leave_words() for word in found):
        return Leaving.ALL
    return Leaving.MIXED if _starts_with(found, triggers) else None


@lru_cache(maxsize=4096)
def opening(text: str) -> tuple[str, ...]:
    """The message's first words, longest first: "ko co anh" → ("ko co anh", "ko co", "ko")."""
    found = words(text)
    return tuple(" ".join(found[:n]) for n in range(min(len(found), 3), 0, -1))


@cache
def guessable() -> tuple[str, ...]:
    """Commands a sentence may be guessed to ask for (each has a `guess.<name>` label)."""
    return tuple(_vocabulary()["guess"]["commands"])


@lru_cache(maxsize=4096)
def request(text: str) -> str | None:
    """At a step taking text: "opener" when the message opens like a request for something
    else ("tôi muốn xem …"), "question" when it asks about the step ("nhập gì vậy")."""
    found = words(text)
    if len(found) > _vocabulary()["request"]["longest"]:  # a long text is the answer itself
        return None
    if _holds(found, _phrases("request", "questions")) or text.rstrip().endswith("?"):
        return "question"
    return "opener" if _starts_with(found, _phrases("request", "openers")) else None


def forget() -> None:
    """Clear what was remembered of the messages read (a cold start, for the bench)."""
    for remembered in (words, tones, _analysed, only_fillers, content, spelled, bare,
                       label_words, leaving, opening, request):
        remembered.cache_clear()
