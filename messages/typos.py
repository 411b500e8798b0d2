"""Typing slips mended against the words a screen knows: "thog bao" is "thông báo",
"dangky" is "đăng ký", "huong dna" is "hướng dẫn".

Only a word that cannot be a Vietnamese syllable ("thog", "dangky", "kys") is mended, and
only when one known word is one letter away (a letter missing, extra, wrong or two swapped)
or two known words run together: "thanh" and "thành" stay what they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from messages.phrasing import Words
from messages.telex import syllable

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
LONG = 4  # a shorter word is never mended: too many words are one letter from it


def _one_away(word: str) -> set[str]:
    halves = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in halves if b),
        *(a + b[1] + b[0] + b[2:] for a, b in halves if len(b) > 1),
        *(a + c + b[1:] for a, b in halves if b for c in _LETTERS),
        *(a + c + b for a, b in halves for c in _LETTERS),
    }


def _mended(word: str, known: frozenset[str]) -> Words:
    if word in known or word.isdecimal() or len(word) < LONG or syllable(word):
        return (word,)
    split = [(word[:i], word[i:]) for i in range(1, len(word))
             if word[:i] in known and word[i:] in known]
    if len(split) == 1:
        return split[0]
    near = [w for w in _one_away(word) & known if len(w) >= LONG - 1]
    return (near[0],) if len(near) == 1 else (word,)


def mend(said: Words, known: Iterable[str]) -> Words:
    """The words with each slip mended against the known words (see the module's docstring)."""
    vocabulary = frozenset(known)
    return tuple(w for word in said for w in _mended(word, vocabulary))
