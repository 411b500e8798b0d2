"""Split a rendered text into messages under a channel's limit, never inside an entity or tag.

Lengths are counted in UTF-16 code units, as Telegram counts (an emoji outside the BMP counts
2). For Telegram the whole HTML of a part is counted, tags and entities included, so a part is
within the 4 096 Telegram allows after reading the HTML with room to spare; for Zalo's 2 000
characters the UTF-16 count is never less than the count of characters. A part is cut after
a line when a line ends in its second half, else after a space there, else between two
characters (only a word longer than half a part is cut). A tag open at a cut is closed at the
end of the part and opened again at the start of the next, so every part is well-formed HTML.
"""

from __future__ import annotations

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
_MARKUP = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>"  # a tag
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an entity
)
_JOINERS = frozenset({"\u200d", "\ufe0e", "\ufe0f"})  # zero-width joiner, variation selectors


@dataclass(frozen=True)
class _Token:
    text: str
    width: int  # UTF-16 units
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
        piece, name = match.group(0), (match.group(2) or "").lower()
        closing = bool(match.group(1))
        tokens.append(_Token(piece, utf16_len(piece), name if name and not closing else None,
                             name if closing else None))
    return tokens


def _plain_tokens(text: str) -> list[_Token]:
    return [_Token(char, utf16_len(char)) for char in text]


def split_html(text: str, limit: int) -> list[str]:
    """Telegram HTML in well-formed parts of at most `limit` UTF-16 units of HTML each."""
    if _fits_whole(text, limit):  # most replies: the text as it is, without token by token
        return [text]
    return _split(_html_tokens(text), limit)


def _fits_whole(text: str, limit: int) -> bool:
    """Whether the HTML is one part as it stands: short enough, visible, tags well nested.

    Exactly the texts `_split` would give back unchanged; any other goes the long way.
    """
    if utf16_len(text) > limit:
        return False
    stack: list[str] = []
    visible = False
    just_opened = False  # the last thing seen is an opening tag, nothing after it yet
    end = 0
    for match in _MARKUP.finditer(text):
        between = text[end : match.start()]
        if between:
            just_opened = False
            visible = visible or not between.isspace()
        end = match.end()
        name = (match.group(2) or "").lower()
        if not name:  # an entity is something to see
            visible, just_opened = True, False
        elif not match.group(1):
            stack.append(name)
            just_opened = True
        elif not stack or stack[-1] != name or just_opened:
            return False  # a stray or crossed closing tag, or an empty element: tidied
        else:
            stack.pop()
    rest = text[end:]
    visible = visible or (bool(rest) and not rest.isspace())
    return visible and not stack


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


def _closing(tag: _Token) -> _Token:
    name = tag.opens or ""
    return _Token(f"</{name}>", len(name) + 3, closes=name)


def _scan(tokens: list[_Token], start: int, end: int, stack: tuple[_Token, ...]) -> _Cut:
    """The part `tokens[start:end]`, with the tags still open at its end."""
    opened = list(stack)
    for token in tokens[start:end]:
        if token.opens:
            opened.append(token)
        elif token.closes:
            _close(opened, token.closes)
    return _Cut(end, 0, tuple(opened))


def _next_cut(tokens: list[_Token], start: int, stack: tuple[_Token, ...], limit: int) -> _Cut:
    """Where the part starting at `start` (with the tags of `stack` open) ends.

    Every prefix the scan accepts fits with the tags reopened before it and closed after it.
    """
    opened = list(stack)
    width = sum(tag.width for tag in opened)  # the tags opened again at the start
    closing = sum(_closing(tag).width for tag in opened)  # and closed at the end
    index = start
    after_line: _Cut | None = None
    after_space: _Cut | None = None
    while index < len(tokens):
        token = tokens[index]
        change = _closing(token).width if token.opens else 0
        if token.closes and any(tag.opens == token.closes for tag in opened):
            change = -token.width
        if width + token.width + closing + change > limit and index > start:
            break
        width, closing, index = width + token.width, closing + change, index + 1
        if token.opens:
            opened.append(token)
        elif token.closes:
            _close(opened, token.closes)
        if token.text == "\n":
            after_line = _Cut(index, width, (), drop=1)
        elif token.text == " ":
            after_space = _Cut(index, width, ())
    else:
        return _Cut(index, width, tuple(opened))
    if tokens[index].text == "\n":  # full right before a line ends: the newline goes
        return _Cut(index + 1, width, tuple(opened), drop=1)
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
        closing = [_closing(tag) for tag in reversed(cut.stack)]
        if any(not (token.opens or token.closes or token.text.isspace()) for token in body):
            parts.append(_tidy([*opened, *body, *closing]))
        start, opened = cut.end, cut.stack
    return parts
