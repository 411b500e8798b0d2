"""typer's own words — the usage line, the help panels, the help option, usage mistakes — in
the command line's language.

typer prints these in English whatever the command's help says; `invoke` runs the command
tree with every such word taken from the `cli.usage.` labels, and turns a usage mistake into
lines in that language (exit 2) instead of typer's English box.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence

import typer
from typer import _click, rich_utils
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from bot.cli.bad_values import reason
from bot.cli.say import REFUSED, USAGE, current, help_again, language, say, use
from messages.render import format_number

PROG = "ocop-bot"
_QUOTED = re.compile(r"'([^']*)'")
_IN_BRACKETS = re.compile(r"\(([^()]*)\)$")


class _Formatter(HelpFormatter):
    """click's plain help layout, with the usage line's prefix in the command line's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, `Cách dùng: ocop-bot …` in Vietnamese."""
        super().write_usage(prog, args, f"{say('usage.prefix')} " if prefix is None else prefix)


class _Context(_click.Context):
    """A command's context, formatting help with `_Formatter`."""

    formatter_class = _Formatter


def _commands(command: _click.Command) -> Iterator[_click.Command]:
    """`command` and every command under it."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def _type_word(param: _click.Parameter) -> str:
    """An option's value in the help: <chữ>, <số>, <tệp>; nothing for a flag."""
    shown = str(param.display_type(None)) if hasattr(param, "display_type") else ""
    if param.param_type_name == "option" and getattr(param, "is_flag", False):
        return ""
    for kind in ("list", "int", "path", "str"):
        if kind in shown:
            return say(f"usage.type.{kind}")
    return shown


def _number(value: float) -> str:
    """A bound as the help shows it: 10.000 with its thousands dot, a year (2018) as is."""
    return format_number(value, current()) if abs(value) > 9999 else f"{value:g}"


def _range(low: float | None, high: float | None) -> str | None:
    """typer's `x>=1` or `2018<=x<=2100` in words: "từ 1", "từ 2018 đến 2100"."""
    if low is None and high is None:
        return None
    if high is None:
        return say("usage.range_from", low=_number(low or 0))
    if low is None:
        return say("usage.range_to", high=_number(high))
    return say("usage.range_between", low=_number(low), high=_number(high))


def _panels() -> None:
    """The panel titles and the bracketed notes of typer's rich help."""
    rich_utils.ARGUMENTS_PANEL_TITLE = say("usage.arguments")
    rich_utils.OPTIONS_PANEL_TITLE = say("usage.options")
    rich_utils.COMMANDS_PANEL_TITLE = say("usage.commands")
    rich_utils.DEFAULT_STRING = say("usage.default")
    rich_utils.REQUIRED_LONG_STRING = say("usage.required")
    rich_utils.ENVVAR_STRING = say("usage.env_var")
    rich_utils.DEPRECATED_STRING = say("usage.deprecated")


def localized(root: _click.Command) -> _click.Command:
    """`root`'s tree with typer's own words in the command line's language."""
    _panels()
    for command in _commands(root):
        command.help = help_again(command.help)
        command.context_class = _Context
        command.options_metavar = say("usage.options_metavar")
        if isinstance(command, TyperGroup):
            command.subcommand_metavar = say("usage.command_metavar")
        for param in command.params:
            if getattr(param, "help", None):
                setattr(param, "help", help_again(getattr(param, "help", None)))  # noqa: B010
            if param.param_type_name == "argument":
                name = param.name or ""
                key = f"usage.argument.{name}"
                param.metavar = say(key) if _has(key) else name.upper()
                word = _type_word(param)  # typer shows an argument's type beside its name
                setattr(param, "display_type_rich", lambda ctx, word=word: word)  # noqa: B010
            else:
                param.metavar = _type_word(param)  # typer shows an option's metavar as its type
            bounds = getattr(param, "min", None), getattr(param, "max", None)
            if bounds != (None, None):  # typer writes `[2018<=x<=2100]`
                words = _range(*bounds)
                setattr(param, "_get_number_range_help_str",  # noqa: B010
                        lambda words=words: words)
            if param.name in ("install_completion", "show_completion"):
                setattr(param, "help", say(f"usage.{param.name}"))  # noqa: B010 (options only)
        help_option = command.get_help_option(_Context(command, info_name=PROG))
        if help_option is not None:
            help_option.help = say("usage.help")
            help_option.metavar = ""
    return root


def _has(key: str) -> bool:
    try:
        say(key)
    except KeyError:
        return False
    return True


def _hint(error: BadParameter) -> str:
    """The option or argument a mistake is about, as the help names it."""
    if error.param_hint is not None:
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if error.param is None:
        return ""
    if error.param.param_type_name == "argument":
        return error.param.metavar or (error.param.name or "").upper()
    return " / ".join(error.param.opts)


def explain(error: UsageError) -> str:
    """A usage mistake as one line in the command line's language."""
    message = error.message
    if isinstance(error, MissingParameter):
        argument = error.param is not None and error.param.param_type_name == "argument"
        missing = "missing_argument" if argument else "missing_option"
        return say(f"usage.{missing}", name=_hint(error))
    if isinstance(error, BadParameter):
        name = _hint(error)
        key = "usage.bad_value" if name else "usage.bad"
        return say(key, name=name, reason=reason(error))
    if isinstance(error, NoSuchOption):
        return say("usage.no_such_option", name=error.option_name,
                   like=", ".join(sorted(error.possibilities or ())))
    if isinstance(error, BadOptionUsage):
        key = "usage.no_value" if "does not take" in message else "usage.needs_value"
        return say(key, name=error.option_name)
    quoted = _QUOTED.findall(message)
    if message.startswith("No such command") and quoted:
        return say("usage.no_such_command", name=quoted[0], like=", ".join(quoted[1:]))
    if message.startswith("Missing command"):
        return say("usage.missing_command")
    if "unexpected extra argument" in message:
        extra = _IN_BRACKETS.search(message)
        return say("usage.extra", args=extra.group(1) if extra else message)
    return say("usage.other", message=message)


def invoke(app: typer.Typer, args: Sequence[str] | None = None) -> int:
    """Run `ocop-bot ARGS` (the command line's own when None); its exit code.

    A usage mistake prints the usage line, the mistake and where to read the help, on
    stderr (exit 2); an answer "no" to a question, or end of input, stops with exit 1.
    """
    argv = list(sys.argv[1:] if args is None else args)
    use(language(argv))  # the help is printed while parsing, before the root option is read
    root = localized(typer.main.get_command(app))
    try:
        code = root.main(args=argv, prog_name=PROG, standalone_mode=False)
    except NoArgsIsHelpError:
        return int(USAGE)  # the help was printed as the mistake was found
    except UsageError as error:
        if error.ctx is not None:
            typer.echo(error.ctx.get_usage(), err=True)
            typer.echo(say("usage.try_help", command=error.ctx.command_path), err=True)
        typer.echo(explain(error), err=True)
        return int(USAGE)
    except typer.Abort:
        typer.echo(say("usage.aborted"), err=True)
        return int(REFUSED)
    return code if isinstance(code, int) else 0
