"""What a sentence most likely asks for, among the offered choices and the commands.

A candidate fits when all its words are in the message ("cho tôi đăng ký sản phẩm" holds
"Đăng ký sản phẩm") or all the message's words are in it ("tập huấn" in "🎓 Tập huấn");
how well is the share of words the two have in common. One clear best fit is taken; several
equal fits, or only partial ones, become the guesses the bot offers ("Có phải …?").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from messages.phrasing import content, label_words, only_fillers, tones, words
from messages.phrasing_words import denies, generic
from messages.typos import mend

SURE = 0.5  # share of common words above which a whole fit is taken without asking
ALONE = 0.34  # the same, for the only candidate sharing any word with the message
CLOSE = 0.75  # share of common words for a choice to win over a step's typed answer
CLOSE_INSIDE = 0.5  # the same, when every word typed is one of the choice's ("có giấy rồi")
LIKELY = 0.25  # share of common words above which a partial fit is offered as a guess
OFFERED = 3  # guesses offered at most


@dataclass(frozen=True)
class Guess:
    """A candidate and how well the message fits it."""

    key: str
    label: str
    share: float  # words in common / words in either
    whole: bool  # all the words of one side are in the other
    words: frozenset[str] = frozenset()  # the candidate's words that were compared

    inside: bool = False  # all the message's words are in the candidate's
    order: int = 0  # the longest run of words the message and the candidate say in one order

    @property
    def sure(self) -> bool:
        """Whether this fit alone is enough to act on."""
        return self.whole and (self.share >= SURE or self.inside)


Candidate = tuple[str, str, Iterable[str]]  # key, label shown, the words that name it


def rank(typed: str, candidates: Iterable[Candidate]) -> list[Guess]:
    """The candidates that share words with the message, best first (ties keep their order)."""
    candidates = list(candidates)
    known = (w for _, _, names in candidates for name in names for w in words(name))
    sequence = mend(content(typed), known)  # "thog bao", "dangky": slips mended
    said = frozenset(sequence)
    if not said:
        return []
    plain = only_fillers(typed)  # "giúp tôi với": compared word for word
    marked = tones(typed)
    found: list[Guess] = []
    for key, label, names in candidates:
        best: Guess | None = None
        for name in names:
            if denies(typed, name):  # "không đăng ký nữa" is not “Đăng ký”
                continue
            wanted = frozenset(words(name)) if plain else label_words(name)
            theirs = tones(name)
            # a word naming only the kind of thing ("giấy", "lớp", "cái") that this candidate
            # does not carry does not count against it: "giấy kiểm nghiệm" is "Phiếu kiểm nghiệm"
            here = (said - (generic() - wanted)) or said
            same = frozenset(w for w in here & wanted  # "nhãn" is not "nhận"
                             if marked.get(w, theirs.get(w)) == theirs.get(w, marked.get(w)))
            common = len(same)
            if not common:
                continue
            whole = here <= same or wanted <= same
            guess = Guess(key, label, common / len(here | wanted), whole, wanted, here <= same,
                          _run(sequence, words(name)))
            if best is None or (guess.whole, guess.share) > (best.whole, best.share):
                best = guess
        if best is not None:
            found.append(best)
    return sorted(found, key=_telling(said, found), reverse=True)


def _telling(said: frozenset[str], found: list[Guess]) -> Callable[[Guess], tuple[bool, float]]:
    """The order of the fits: whole ones by their share of common words; partial ones by how
    telling their common words are (a word many candidates have, "sản phẩm" among the
    dossier items, tells less than "nhãn hiệu")."""
    many = Counter(w for g in found for w in g.words & said)

    def weight(guess: Guess) -> tuple[bool, float]:
        if guess.whole:
            return True, guess.share
        common = sum(1 / many[w] for w in guess.words & said)
        return False, common / len(said | guess.words)

    return weight


def _run(said: Sequence[str], name: Sequence[str]) -> int:
    """The longest run of words said in the same order in both ("gửi thông báo" in
    "📣 Gửi thông báo" is 3, in "📊 Thông báo đã gửi" 2)."""
    best = 0
    for i in range(len(said)):
        for j in range(len(name)):
            n = 0
            while i + n < len(said) and j + n < len(name) and said[i + n] == name[j + n]:
                n += 1
            best = max(best, n)
    return best


def sure_one(guesses: Sequence[Guess]) -> Guess | None:
    """The one best fit when it is sure and no other fits as well (two equal fits are told
    apart by the words said in the candidate's order); or the only candidate sharing any
    word with the message, when all its words were said ("nâng hạng lên 4 sao")."""
    sure = [g for g in guesses if g.sure]
    if not sure:
        alone = len({g.key for g in guesses}) == 1 and guesses[0]
        return guesses[0] if alone and alone.whole and alone.share >= ALONE else None
    top = max((g for g in sure if g.share == sure[0].share), key=lambda g: g.order)
    rivals = [g for g in sure if g.share == top.share and g.order == top.order
              and g.key != top.key]
    return None if rivals else top


def likely(guesses: Sequence[Guess]) -> list[Guess]:
    """The guesses worth offering, best first, without repeating a key or a choice already
    offered in other words (the command "đăng ký" beside the button "Đăng ký sản phẩm")."""
    seen: set[str] = set()
    picked: list[Guess] = []
    for guess in guesses:
        if guess.key in seen or guess.share < LIKELY:
            continue
        if any(guess.words <= other.words for other in picked):
            continue
        seen.add(guess.key)
        picked.append(guess)
    return picked[:OFFERED]
