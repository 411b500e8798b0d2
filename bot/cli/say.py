"""The command line's one language and exit codes, shared by every `ocop-bot` command.

Vietnamese by default, English with `--lang en` (read from the command line before typer
builds the help, so help texts follow it too). Every sentence is a label under `cli.` in
`messages/<locale>/labels/cli.toml`:

    from bot.cli.say import DONE, REFUSED, help_text, say
    @app.command(help=help_text("mine.help"))
    def mine() -> None:
        typer.echo(say("mine.done", count=3))
"""

from __future__ import annotations

import errno
import sys
from enum import IntEnum
from pathlib import Path

import typer

from messages import Renderer
from messages.text import fold

LOCALES = ("vi", "en")
YES = frozenset({"co", "c", "y", "yes", "dong y"})  # folded: "có", "Có", "đồng ý" too


class Exit(IntEnum):
    """The documented exit codes of `ocop-bot`."""

    DONE = 0
    REFUSED = 1  # the command understood, and refused (a rule, a running bot, a missing file)
    USAGE = 2  # a wrong command line or a wrong setting
    PARTLY = 3  # done, but some items failed (listed above the exit)


DONE, REFUSED, USAGE, PARTLY = Exit.DONE, Exit.REFUSED, Exit.USAGE, Exit.PARTLY


def language(argv: list[str] | None = None) -> str:
    """The language asked on the command line (`--lang en` or `--lang=en`), else Vietnamese."""
    args = sys.argv[1:] if argv is None else argv
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        else:
            continue
        return value if value in LOCALES else "vi"
    return "vi"


LANG = language()  # as read before typer parsed anything (help texts are built with it)
_renderer = Renderer()
_current = [LANG]


def use(locale: str) -> None:
    """Speak `locale` from now on (the root `--lang` option, once typer has parsed it)."""
    _current[0] = locale if locale in LOCALES else "vi"


def current() -> str:
    """The command line's language now."""
    return _current[0]


def say(key: str, **context: object) -> str:
    """The label `cli.<key>` in the command line's language."""
    return _renderer.label(current(), f"cli.{key}", **context)


_HELP_KEYS: dict[str, str] = {}  # a help text as made at import → its label key


def help_text(key: str) -> str:
    """A command's or option's help, `cli.<key>`, in the command line's language."""
    text = say(key)
    _HELP_KEYS[text] = key
    return text


def help_again(text: str | None) -> str | None:
    """A help made by `help_text`, in the command line's language now (other text as is)."""
    key = _HELP_KEYS.get(text) if text else None
    return say(key) if key else text


def stop(code: Exit, key: str, **context: object) -> typer.Exit:
    """Print `cli.<key>` on stderr and give the exit to raise: `raise stop(REFUSED, …)`."""
    typer.echo(say(key, **context), err=True)
    return typer.Exit(int(code))


def confirm(question: str) -> bool:
    """Ask `question` on the terminal: "có", "c", "y" or "yes" is yes; anything else is no
    (end of input stops the command, exit 1)."""
    answer = typer.prompt(f"{question} [{say('yes_no')}]", default="", show_default=False,
                          prompt_suffix=" ")
    return fold(answer) in YES


def file_problem(error: BaseException) -> str:
    """A file error in the command line's language ("Không có tệp …"), not the system's
    English; other errors as they are."""
    if isinstance(error, OSError) and error.errno is not None:
        name = errno.errorcode.get(error.errno, "")
        file = error.filename or ""
        if name in ("ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENOSPC", "EROFS"):
            return say(f"os_error.{name}", file=file)
    return str(error)


# SQLite's words for what is wrong → the label `cli.sqlite_error.<key>`
_SQLITE_PROBLEMS = (
    ("not_database", "file is not a database"), ("locked", "database is locked"),
    ("read_only", "readonly database"), ("cannot_open", "unable to open database file"),
    ("full", "database or disk is full"), ("damaged", "malformed"), ("disk", "disk I/O error"),
)


def database_problem(error: BaseException) -> str:
    """A SQLite error in the command line's language ("tệp không phải cơ sở dữ liệu
    SQLite"), not SQLite's English; an unknown one as it is."""
    text = str(error)
    for key, words in _SQLITE_PROBLEMS:
        if words in text:
            return say(f"sqlite_error.{key}")
    return text


def output_file(path: Path, *suffixes: str) -> Path:
    """`path` if it ends in one of `suffixes` (".xlsx"); else exit 2 with a line saying so."""
    if path.suffix.lower() not in suffixes:
        raise stop(USAGE, "wrong_type", file=path, suffixes=" / ".join(suffixes))
    return path
