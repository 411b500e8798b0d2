"""Which kind a single word of a sentence is: a word naming only the kind of thing asked
for, a word of leaving for later, a particle; and whether a message is short enough to be
asked about. The vocabulary is `phrasing.toml`."""

from __future__ import annotations

from functools import cache

from messages.phrasing import _leave_words, _phrases, _vocabulary, words


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
