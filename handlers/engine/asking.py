"""The questions the reader asks when a message may mean more than one thing.

"Có phải anh/chị muốn …?" with the best guesses, "dừng ở đây hay lưu làm câu trả lời?",
"“dung” là “dừng” hay …?": each offers the readings as choices and a way back to the step.
"""

from __future__ import annotations

from handlers.engine.events import Choice, Reply
from handlers.engine.guess import Guess
from messages.phrasing import content

WHICH = "?cmd:"  # key prefix of the choice that runs a command the bot asked about
STAY = "?stay"  # key of the choice that stays on the current step
LEAVE = "?leave"  # key of the choice that leaves the step for later, keeping the draft
KEEP = "?keep"  # key of the choice that takes the typed text as the step's answer after all
HELP = "help"  # the command offered to a question about the step ("nhập gì vậy?")


def leave_or_answer(text: str) -> Reply:
    """"Thôi" followed by other words at a step taking text: ask whether it is the answer."""
    choices = (Choice(key=LEAVE, label="leave.later"), Choice(key=KEEP, label="leave.answer"))
    return Reply(template="errors/leave_or_answer", context={"typed": text}, choices=choices)


def did_you_mean(text: str, guesses: list[Guess], keep: bool = False) -> Reply:
    """Ask "Có phải anh/chị muốn …?" with the best guesses, and a way back to the question
    (at a step taking text, also saving the words as the answer after all)."""
    choices = [
        Choice(key=g.key, label=f"guess.{g.label}")
        if g.key.startswith(WHICH)
        else Choice(key=g.key, text=g.label)
        for g in guesses
    ]
    if keep:
        choices.append(Choice(key=KEEP, label="leave.answer"))
    context = {"typed": text, "understood": " ".join(content(text))}
    return Reply(
        template="errors/did_you_mean",
        context=context,
        choices=(*choices, Choice(key=STAY, label="guess.none")),
    )


def which_meaning(text: str, command: str) -> Reply:
    """Ask whether a word with several meanings was the global command or not."""
    return Reply(
        template="errors/which_meaning",
        context={"typed": text},
        choices=(
            Choice(key=f"{WHICH}{command}", label=f"which.{command}"),
            Choice(key=STAY, label="which.stay"),
        ),
    )


def command_guess(name: str) -> Guess:
    """A command offered as a guess ("❓ Xem hướng dẫn")."""
    return Guess(key=f"{WHICH}{name}", label=name, share=1.0, whole=True)
