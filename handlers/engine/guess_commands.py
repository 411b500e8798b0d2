"""Which global command a sentence may run without asking, guessed among the commands of
`[guess]` in messages/phrasing.toml ("tắt thông báo giúp mình" stops the announcements)."""

from __future__ import annotations

from collections.abc import Collection

from handlers.engine.asking import WHICH
from handlers.engine.guess import SURE, Guess, sure_one
from messages.answers import ambiguous_words
from messages.phrasing import content, guessable
from messages.phrasing import words as word_list
from messages.render import command_aliases


def sure_command(commands: list[Guess]) -> Guess | None:
    """A command sure enough to run: half its words or more in common ("khoan" alone is not
    "liên kết tài khoản", though it is one of its words)."""
    return sure_one([g for g in commands if g.share >= SURE])


def command_first(text: str, choices: list[Guess], commands: list[Guess]) -> Guess | None:
    """A command that fits the sentence better than any offered choice ("tắt thông báo"
    says more than “📢 Thông báo”: it stops them)."""
    picked = sure_command(commands)
    top = max((g for g in choices if g.whole), key=lambda g: g.share, default=None)
    if picked is None or top is None or picked.share <= top.share:
        return None
    if top.sure and (top.inside or not picked.inside):  # "xóa đi" at "Có, xóa vĩnh viễn"
        return None
    return picked if command_may_act(text, picked, choices) else None


def command_may_act(text: str, picked: Guess, choices: list[Guess]) -> bool:
    """Whether a guessed command may run without asking: not on a word with several meanings
    typed without diacritics ("dung xoa"), and not when other words name an offered choice
    the command does not ("nhãn hiệu" on the checklist is an item, not "nhận sản phẩm")."""
    said = content(text)
    if said and said[0] in picked.words & ambiguous_words(text):
        return False
    aliases = command_aliases().get(picked.key.removeprefix(WHICH), ())
    theirs = {w for alias in aliases for w in word_list(alias)}
    named = {w for g in choices for w in g.words} & set(said)
    return named <= theirs


def command_candidates(names: Collection[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The commands a sentence may be guessed to ask for, with the words that name them."""
    aliases = command_aliases()
    return [
        (f"{WHICH}{name}", name, aliases[name])
        for name in guessable()
        if name in names and name in aliases
    ]
