"""How a message is read against the choices of a step: at a step taking typed text (a
choice said in a sentence, a request for something else, a choice named in part), and a
message leaving for later where a way to skip is offered."""

from __future__ import annotations

from collections.abc import Collection

from handlers.engine.asking import HELP, command_guess, did_you_mean
from handlers.engine.guess import CLOSE, CLOSE_INSIDE, Guess, likely, rank, sure_one
from handlers.engine.guess_commands import command_candidates, sure_command
from handlers.engine.reading_kinds import Reading
from messages.phrasing import content, request
from messages.phrasing import words as word_list
from messages.phrasing_words import denies, leave_word, request_words
from storage.models import OfferedChoice


def later_choice(text: str, offered: list[OfferedChoice]) -> str | None:
    """A message leaving for later, at a step offering one way to skip it, whose other words
    all name that way ("để sau gửi ảnh" the "⏭ Bỏ qua, gửi ảnh sau")."""
    skips = [c for c in offered if c.sense == "skip"]
    if len(skips) != 1:
        return None
    named = {w for label in skips[0].words for w in word_list(label)}
    return skips[0].key if all(w in named or leave_word(w) for w in word_list(text)) else None


def near_choice(text: str, offered: list[OfferedChoice], numbers: bool) -> Reading | None:
    """At a step taking text, a short message denying an offered choice ("tôi không có mã"),
    or naming one in part where the answer is a number or a code ("để năm 2026" at the
    target), is asked about: the choice, or the words kept as the answer. (A step taking
    other text reads such words its own way: "thua thien hue" among the provinces.)"""
    if not offered or request_words(text) is None:
        return None
    guesses = likely(rank(text, [(c.key, c.words[0] if c.words else c.key, c.words)
                                 for c in offered])) if numbers else []
    near = [g for g in guesses if g.whole or len(g.words & set(content(text))) >= 2]
    if any(denies(text, w) for c in offered for w in c.words):  # "tôi không có mã"
        kept = [c for c in offered if c.words and not any(denies(text, w) for w in c.words)]
        near = near or [Guess(c.key, c.words[0], 0.0, False)
                        for c in kept or [c for c in offered if c.sense == "back"]][:2]
    if not near:
        return None
    return Reading(question=(did_you_mean(text, near, keep=True),), keep_typed=True)


def choice_said(text: str, offered: list[OfferedChoice]) -> Reading | None:
    """At a step taking text, a sentence that is all but a choice's words picks it
    ("có bản giấy rồi" the "📄 Tôi có bản giấy" of a dossier item)."""
    guesses = rank(text, [(c.key, c.words[0] if c.words else c.key, c.words) for c in offered])
    picked = sure_one(guesses)
    close = picked is not None and (
        picked.share >= CLOSE or (picked.inside and picked.share >= CLOSE_INSIDE)
    )
    return Reading(choice=picked.key) if picked and close else None


def asking(text: str, names: Collection[str]) -> Reading | None:
    """At a step taking text: a request for something else ("tôi muốn xem lịch tập huấn"), or a
    question about the step ("nhập gì vậy?"), is asked about, never saved as the answer."""
    kind = request(text)
    if kind == "question":
        return Reading(question=(did_you_mean(text, [command_guess(HELP)], keep=True),),
                       keep_typed=True)
    if kind == "opener" and (picked := sure_command(rank(text, command_candidates(names)))):
        return Reading(question=(did_you_mean(text, [picked], keep=True),), keep_typed=True)
    return None
