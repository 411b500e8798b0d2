"""Which kind a single word of a sentence is: a word naming only the kind of thing asked
for, a word of leaving for later, a particle; and whether a message is short enough to be
asked about. The vocabulary is `phrasing.toml`."""

from __future__ import annotations

from functools import cache, lru_cache

from messages.phrasing import _leave_words, _phrases, _vocabulary, spelled, words
from messages.text import fold, fold_tones


@cache
def generic() -> frozenset[str]:
    """Words that name only the kind of thing asked for ("giấy", "lớp", "cái"), folded."""
    return frozenset(w for p in _vocabulary()["generic"]["words"] for w in p.split())


def leave_word(word: str) -> bool:
    """Whether a folded word is one of the words a message leaving for later is made of."""
    return word in _leave_words()


def particle(word: str) -> bool:
    """Whether a folded word is a particle said around an answer ("nha", "bạn", "đi")."""
    return (word,) in _phrases("particles", "around")


def request_words(text: str) -> int | None:
    """How many words a message has, when it is short enough to be asked about at a step
    taking text (a longer one is the answer itself)."""
    found = len(words(text))
    return found if found <= _vocabulary()["request"]["longest"] else None


@cache
def _denying() -> tuple[frozenset[str], frozenset[str]]:
    found = _vocabulary()["negation"]
    toned = frozenset(fold_tones(w) for w in found["toned"])
    only_toned = {fold(t) for t in found["toned"]}
    return frozenset(w for w in found["words"] if w not in only_toned), toned


@lru_cache(maxsize=4096)
def denied(text: str) -> frozenset[str]:
    """The words said after a word that denies them: "ko đăng ký nữa" → đăng, ký, nữa."""
    plain, toned = _denying()
    typed = spelled(text).split()
    for i, word in enumerate(typed):
        if fold(word) in plain or (fold(word) != word and fold_tones(word) in toned):
            return frozenset(w for later in typed[i + 1:] for w in words(later))
    return frozenset()


def denies(text: str, label: str) -> bool:
    """Whether the message denies what a label names ("chưa có mã" and “Tôi có mã xác
    nhận”), the label not denying itself (“Không đồng ý”)."""
    said = denied(text)
    if not said:
        return False
    named = frozenset(words(label))
    return bool(said & named) and not named & (_denying()[0] | {"dung"})
