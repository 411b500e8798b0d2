"""How a typed message is read: the current step first, global command words last.

The order, first reading wins:

1. a slash command (`/huy`, `/dangky`) is always that command;
2. `0` goes to the main menu (unless the step takes numbers as answers);
3. a number picks the offered choice with that number (also at a step taking numbers, when
   the bot has just asked back "Có phải …?");
4. the whole words of an offered choice, with or without diacritics, pick it;
5. a yes / no / skip / back answer picks the offered choice of that sense ("dung" the
   "✅ Tạo đợt" of a summary, "bo qua" the "⏭ Bỏ qua, gửi ảnh sau"), also said with
   short forms and particles ("đồng ý nha", "ko có ảnh");
6. words that only say "later" ("thôi", "để mai làm tiếp", "không làm nữa") leave the step,
   keeping what was entered (or take the skip offered, when the other words name it: "mai
   gửi ảnh sau"); `huỷ`/`huy`, `menu` and their words leave it as well;
7. typed words all found in one choice's words pick it ("lam tiep", "rau cu qua tuoi",
   "3*"); when two choices fit, the bot names both and asks (a way back never wins over
   the action it names; a step taking text reads them its own way);
8. a step that takes typed text: "thôi" followed by other words is asked about, a sentence
   that is all but a choice's words picks it, a short request for something else ("tôi
   muốn xem lịch tập huấn"), question about the step ("nhập gì vậy") or short message naming
   or denying a choice in part ("tôi không có mã") is asked about, anything else is the
   step's answer (`text_step.py`);
9. a greeting gets a warm answer and the current question again;
10. a word with several meanings typed without diacritics (`dung`: đúng, dừng, dùng)
    never starts a global action: the bot asks which was meant;
11. the words of a global command (`hạn chót`, `hanchot`, `dừng`) run it;
12. a sentence is scored against the offered choices and the commands (`guess.py`: slips
    mended, words naming only a kind of thing set aside, denied candidates dropped;
    `guess_commands.py`): a command fitting better than every choice runs ("tắt thông
    báo"), else one sure choice is taken, else a sure command; otherwise the best guesses
    are offered ("Có phải anh/chị muốn …?"), and when nothing fits the bot says what it
    read and what it offers.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from handlers.engine.asking import (
    KEEP,
    LEAVE,
    STAY,
    WHICH,
    did_you_mean,
    leave_or_answer,
    which_meaning,
)
from handlers.engine.events import InputKind, Reply
from handlers.engine.guess import Guess, likely, rank, sure_one
from handlers.engine.guess_commands import (
    command_candidates,
    command_first,
    command_may_act,
    sure_command,
)
from handlers.engine.reading_kinds import Reading
from handlers.engine.text_step import asking, choice_said, later_choice, near_choice
from handlers.engine.turn import Step
from messages.answers import is_ambiguous, is_greeting, means, means_said
from messages.phrasing import Leaving, bare, content, leaving, opening
from messages.phrasing import words as word_list
from messages.phrasing_words import denies, particle
from messages.render import command_aliases
from messages.text import best_match, contains_words, fold, fold_tones, normalize
from storage.models import ConversationState, OfferedChoice

ESCAPES = ("huy", "menu")  # commands that leave any step, even one taking free text
__all__ = ["KEEP", "LEAVE", "STAY", "WHICH", "Reading", "parse_command", "read"]


def parse_command(text: str, names: Collection[str] = ()) -> str | None:
    """The command a message asks for: `/name`, its name typed alone, or its words."""
    if text.startswith("/"):
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].casefold() if len(text) > 1 else ""
        return name or None
    if len(text) > 40:
        return None
    # Accented words must match up to tone marks ("đúng" is not "dừng"); words typed
    # without any diacritics match on the fully folded form ("dung" is "dừng").
    toned, folded = fold_tones(text), fold(text)
    plain = normalize(text).casefold() == folded
    by_tones, by_letters = _folded_aliases()
    if toned in by_tones:
        return by_tones[toned]
    if plain:
        if folded in by_letters:
            return by_letters[folded]
        if (spelled := " ".join(word_list(text))) in by_letters:  # "quay ve menu": "về menu"
            return by_letters[spelled]
        joined = folded.replace(" ", "")
        if joined in names:  # "hanchot", "tap huan": a command name typed without its slash
            return joined
    return None



@cache
def _folded_aliases() -> tuple[dict[str, str], dict[str, str]]:
    """Every command's words folded once: up to tone marks, and to bare letters.

    The first command listing a folded form wins, as when the lists were searched in order.
    """
    by_tones: dict[str, str] = {}
    by_letters: dict[str, str] = {}
    for name, words in command_aliases().items():
        for word in words:
            by_tones.setdefault(fold_tones(word), name)
            by_letters.setdefault(fold(word), name)
    return by_tones, by_letters


def read(text: str, state: ConversationState, step: Step, names: Collection[str]) -> Reading:
    """Read a typed message against the current step, then against the global commands."""
    if text.startswith("/"):
        return Reading(command=parse_command(text, names))
    if text == "0" and not step.digits_are_text:
        return Reading(home=True)
    offered = state.offered
    # the bot's own question back ("Có phải …?") is answered by its numbers, even at a step
    # taking numbers as its answer (a target, a code)
    asked_back = any(c.key.startswith((WHICH, STAY, LEAVE, KEEP)) for c in offered)
    if offered and text.isdecimal() and (asked_back or not step.digits_are_text):
        number = int(text)
        if 1 <= number <= len(offered):
            return Reading(choice=offered[number - 1].key)
        if InputKind.TEXT not in step.accepts:
            context = {"number": number, "count": len(offered)}
            return Reading(asked=(Reply(template="errors/number_not_offered", context=context),))
    exact = best_match(text, [(c.key, c.words) for c in offered]) if offered else None
    if exact is not None:
        return Reading(choice=exact)
    takes_text = InputKind.TEXT in step.accepts
    senses = [c for c in offered if c.sense is not None and means_said(text, c.sense)]
    if (found := _one_of(text, senses, takes_text)) is not None:
        return found
    command = parse_command(text, names)
    later = leaving(text)
    if later is Leaving.ALL and command == "huy":  # "không làm nữa": left, to go on later
        return Reading(leave=True)
    if command in ESCAPES:
        return Reading(command=command)
    numeric = text.isdecimal() and step.digits_are_text and not asked_back
    fitting = [c for c in offered if not numeric
               and any(contains_words(text, w) and not denies(text, w) for w in c.words)]
    if (found := _one_of(text, fitting, takes_text)) is not None:
        return found
    if later is not None and (skip := later_choice(text, offered)) is not None:
        return Reading(choice=skip)  # "mai gửi ảnh sau": the "⏭ Bỏ qua, gửi ảnh sau" offered
    if later is Leaving.ALL:
        return Reading(leave=True)
    if later is Leaving.MIXED and takes_text:
        return Reading(question=(leave_or_answer(text),), keep_typed=True)
    if takes_text:
        return (choice_said(text, offered) or asking(text, names)
                or near_choice(text, offered, step.digits_are_text) or Reading(answer=True))
    return _sentence(text, offered, command, names)


def _sentence(
    text: str, offered: list[OfferedChoice], command: str | None, names: Collection[str]
) -> Reading:
    """A message that is not one of the step's own words: what its words most likely ask."""
    if is_greeting(text) or is_greeting(bare(text)):
        return Reading(greeting=True)
    if command is not None and is_ambiguous(text):
        return Reading(question=(which_meaning(text, command),))
    if command is not None:
        return Reading(command=command)
    choices = rank(text, [(c.key, c.words[0] if c.words else c.key, c.words) for c in offered])
    commands = rank(text, command_candidates(names))
    ordered = command_first(text, choices, commands)
    if ordered is not None:
        return Reading(command=ordered.key.removeprefix(WHICH))
    if (picked := _sure_choice(choices, offered)) is not None and _safe(text, picked, offered):
        return Reading(choice=picked.key)
    if (sense := _opening_sense(text, offered)) is not None:
        return Reading(choice=sense)
    if not any(g.whole for g in choices) and (picked := sure_command(commands)) is not None \
            and command_may_act(text, picked, choices):
        return Reading(command=picked.key.removeprefix(WHICH))
    guesses = likely([*choices, *commands])
    if guesses:
        return Reading(question=(did_you_mean(text, guesses),))
    return Reading()


def _sure_choice(choices: list[Guess], offered: list[OfferedChoice]) -> Guess | None:
    """The one sure choice; of two as sure, the action rather than the way back to it ("ok
    tiếp nhận": “✅ Tiếp nhận hồ sơ”, not “⬅️ Về danh sách chờ tiếp nhận”)."""
    backs = {c.key for c in offered if c.sense == "back"}
    return sure_one(choices) or sure_one([g for g in choices if g.key not in backs])


def _opening_sense(text: str, offered: list[OfferedChoice]) -> str | None:
    """The choice a sentence's first words answer: "không, để tôi xem lại" is a no. A yes
    needs every word to say yes or name the choice ("đồng ý gửi"): "có thể sửa ngày
    không?" must not confirm a summary."""
    said = word_list(text)
    for start in opening(text)[1:]:
        rest = said[len(start.split()):]
        if is_ambiguous(start):  # "dung xoa" may be "đừng xóa": never a yes
            continue
        keys = {c.key for c in offered if c.sense is not None and means(start, c.sense)
                and (c.sense != "yes" or _all_yes(rest, c))}
        if len(keys) == 1:
            return keys.pop()
    return None


def _safe(text: str, picked: Guess, offered: list[OfferedChoice]) -> bool:
    """Whether a sentence may pick a choice that commits ("✅ Tạo đợt", "📨 Gửi hồ sơ"): its
    other words must say yes too ("ok tạo đợt đi"), not something else ("tạo đợt sau")."""
    choice = next(c for c in offered if c.key == picked.key)
    if choice.sense != "yes" or picked.inside:
        return True
    return _all_yes(tuple(w for w in content(text) if w not in picked.words), choice)


def _all_yes(said: tuple[str, ...], choice: OfferedChoice) -> bool:
    named = {w for label in choice.words for w in word_list(label)}
    return all(w in named or means(w, "yes") or particle(w) for w in said)


def _one_of(text: str, hits: list[OfferedChoice], takes_text: bool) -> Reading | None:
    """The one fitting choice; when several fit, the bot names them and asks (a step taking
    text reads such an answer its own way, e.g. "quang" among the provinces)."""
    keys = list(dict.fromkeys(c.key for c in hits))
    if len(keys) > 1:  # "tiếp nhận": the action, not "⬅️ Về danh sách chờ tiếp nhận"
        acting = list(dict.fromkeys(c.key for c in hits if c.sense != "back"))
        keys = acting if len(acting) == 1 else keys
    if len(keys) == 1:
        return Reading(choice=keys[0])
    if len(keys) > 1 and not takes_text:
        labels = [c.words[0] for c in hits if c.words][:3]
        context = {"typed": text, "labels": labels}
        return Reading(asked=(Reply(template="errors/which_choice", context=context),))
    return None


