"""Split a rendered text into messages under a channel's limit, never inside an entity or tag.

Lengths are counted in UTF-16 code units of what the reader sees: Telegram counts its 4 096
that way after parsing the HTML (so `&amp;` counts 1 and an emoji outside the BMP counts 2),
and for Zalo's 2 000 characters it is never less than the count of characters. A part is cut
after a line when a line ends in its second half, else after a space there, else between two
characters (only a word longer than half a part is cut). A tag open at a cut is closed at the
end of the part and opened again at the start of the next, so every part is well-formed HTML.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from messages.render import Format

_HTML_TOKEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>"  # a tag
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an entity
    r"|.",  # one character
    re.DOTALL,
)
_JOINERS = frozenset({"\u200d", "\ufe0e", "\ufe0f"})  # zero-width joiner, variation selectors


@dataclass(frozen=True)
class _Token:
    text: str
    width: int  # UTF-16 units the reader sees
    opens: str | None = None  # the name of the tag this token opens
    closes: str | None = None  # the name of the tag this token closes


@dataclass(frozen=True)
class _Cut:
    end: int  # tokens before this index belong to the part
    width: int  # the part's width up to here
    stack: tuple[_Token, ...]  # tags still open here
    drop: int = 0  # tokens at the end left out (the newline a part is cut after)


def utf16_len(text: str) -> int:
    """The length of a text in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _html_tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _HTML_TOKEN.finditer(text):
        piece = match.group(0)
        if match.group(2):
            name = match.group(2).lower()
            closing = bool(match.group(1))
            tokens.append(_Token(piece, 0, None if closing else name, name if closing else None))
        elif len(piece) > 1:  # an entity: counted as the character it stands for
            tokens.append(_Token(piece, utf16_len(html.unescape(piece))))
        else:
            tokens.append(_Token(piece, utf16_len(piece)))
    return tokens


def _plain_tokens(text: str) -> list[_Token]:
    return [_Token(char, utf16_len(char)) for char in text]


def visible_len(rendered_html: str) -> int:
    """UTF-16 units of an HTML text with tags dropped and entities read (Telegram's count)."""
    return sum(token.width for token in _html_tokens(rendered_html))


def split_html(text: str, limit: int) -> list[str]:
    """Telegram HTML in parts of at most `limit` visible UTF-16 units, each well-formed."""
    return _split(_html_tokens(text), limit)


def split_plain(text: str, limit: int) -> list[str]:
    """Plain text in parts of at most `limit` UTF-16 units, cut after lines where possible."""
    return _split(_plain_tokens(text), limit)


def split_rendered(text: str, fmt: Format, limit: int) -> list[str]:
    """A text rendered in a channel's format, in parts under the channel's limit."""
    return split_html(text, limit) if fmt is Format.HTML else split_plain(text, limit)


def _close(stack: list[_Token], name: str) -> None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].opens == name:
            del stack[index]
            return


def _breakable(tokens: list[_Token], index: int) -> bool:
    """Whether a hard cut may fall before `tokens[index]` (not inside a joined character)."""
    text, before = tokens[index].text, tokens[index - 1].text
    joined = text in _JOINERS or before in _JOINERS or unicodedata.combining(text[0]) > 0
    return not (len(text) == 1 and len(before) == 1 and joined)


def _scan(tokens: list[_Token], start: int, end: int, stack: tuple[_Token, ...]) -> _Cut:
    """The part `tokens[start:end]`, with the tags still open at its end."""
    opened, width = list(stack), 0
    for token in tokens[start:end]:
        width += token.width
        if token.opens:
            opened.append(token)
        elif token.closes:
            _close(opened, token.closes)
    return _Cut(end, width, tuple(opened))


def _next_cut(tokens: list[_Token], start: int, stack: tuple[_Token, ...], limit: int) -> _Cut:
    """Where the part starting at `start` (with the tags of `stack` open) ends."""
    width, index = 0, start
    after_line: _Cut | None = None
    after_space: _Cut | None = None
    while index < len(tokens):
        token = tokens[index]
        if width + token.width > limit and index > start:
            break
        width += token.width
        index += 1
        if token.text == "\n":
            after_line = _Cut(index, width, (), drop=1)
        elif token.text == " ":
            after_space = _Cut(index, width, ())
    else:
        return _scan(tokens, start, index, stack)
    if tokens[index].text == "\n":  # full right before a line ends: the newline goes
        return _Cut(index + 1, width, _scan(tokens, start, index, stack).stack, drop=1)
    if after_line is not None and after_line.width * 2 >= limit:
        cut = after_line
    elif after_space is not None and after_space.width * 2 >= limit:
        cut = after_space
    else:
        hard = index
        while hard > start + 1 and not _breakable(tokens, hard):
            hard -= 1
        cut = _Cut(hard, 0, ())
    return _Cut(cut.end, cut.width, _scan(tokens, start, cut.end, stack).stack, cut.drop)


def _tidy(pieces: list[_Token]) -> str:
    """The part's HTML, without tags opened and closed again with nothing between."""
    out: list[_Token] = []
    for piece in pieces:
        if piece.closes and out and out[-1].opens == piece.closes:
            out.pop()
        else:
            out.append(piece)
    return "".join(piece.text for piece in out)


def _split(tokens: list[_Token], limit: int) -> list[str]:
    parts: list[str] = []
    start = 0
    opened: tuple[_Token, ...] = ()
    while start < len(tokens):
        cut = _next_cut(tokens, start, opened, limit)
        body = tokens[start : cut.end - cut.drop]
        closing = [_Token(f"</{tag.opens}>", 0, closes=tag.opens) for tag in reversed(cut.stack)]
        if any(token.width and not token.text.isspace() for token in body):
            parts.append(_tidy([*opened, *body, *closing]))
        start, opened = cut.end, cut.stack
    return parts
