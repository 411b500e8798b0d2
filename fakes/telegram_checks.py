"""What the fake Bot API checks the way Telegram does: methods, required fields, limits, HTML."""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SPEC_PATH = Path(__file__).resolve().parents[2] / "shared" / "reference" / (
    "telegram-bot-api-10.0.json"
)

# Used when the reference file is not beside the checkout: the methods the bot uses, with
# each field's required flag and types as the reference spells them.
_S, _I, _B, _F = ["String"], ["Integer"], ["Boolean"], ["InputFile", "String"]
_CHAT = ["Integer", "String"]
_MARKUP = ["InlineKeyboardMarkup"]
FALLBACK_METHODS: dict[str, dict[str, tuple[bool, list[str]]]] = {
    "getMe": {},
    "logOut": {},
    "close": {},
    "getUpdates": {
        "offset": (False, _I), "limit": (False, _I), "timeout": (False, _I),
        "allowed_updates": (False, ["Array of String"]),
    },
    "sendMessage": {
        "chat_id": (True, _CHAT), "text": (True, _S), "parse_mode": (False, _S),
        "reply_markup": (False, _MARKUP), "disable_notification": (False, _B),
        "link_preview_options": (False, ["LinkPreviewOptions"]),
        "reply_parameters": (False, ["ReplyParameters"]),
    },
    "editMessageText": {
        "chat_id": (False, _CHAT), "message_id": (False, _I), "inline_message_id": (False, _S),
        "text": (True, _S), "parse_mode": (False, _S), "reply_markup": (False, _MARKUP),
    },
    "answerCallbackQuery": {
        "callback_query_id": (True, _S), "text": (False, _S), "show_alert": (False, _B),
        "url": (False, _S), "cache_time": (False, _I),
    },
    "setMyCommands": {
        "commands": (True, ["Array of BotCommand"]), "scope": (False, ["BotCommandScope"]),
        "language_code": (False, _S),
    },
    "getMyCommands": {"scope": (False, ["BotCommandScope"]), "language_code": (False, _S)},
    "deleteMyCommands": {"scope": (False, ["BotCommandScope"]), "language_code": (False, _S)},
    "sendDocument": {
        "chat_id": (True, _CHAT), "document": (True, _F), "caption": (False, _S),
        "parse_mode": (False, _S), "reply_markup": (False, _MARKUP),
    },
    "sendPhoto": {
        "chat_id": (True, _CHAT), "photo": (True, _F), "caption": (False, _S),
        "parse_mode": (False, _S), "reply_markup": (False, _MARKUP),
    },
    "sendChatAction": {"chat_id": (True, _CHAT), "action": (True, _S)},
    "setWebhook": {
        "url": (True, _S), "max_connections": (False, _I), "secret_token": (False, _S),
        "allowed_updates": (False, ["Array of String"]), "drop_pending_updates": (False, _B),
    },
    "deleteWebhook": {"drop_pending_updates": (False, _B)},
    "getWebhookInfo": {},
    "getFile": {"file_id": (True, _S)},
}


class Rejected(Exception):
    """A request Telegram would refuse: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(detail: str) -> Rejected:
    """A 400 with Telegram's "Bad Request: …" description."""
    return Rejected(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class MethodTable:
    """Known methods (by lowercase name) with their fields: name → (required, types)."""

    methods: dict[str, tuple[str, dict[str, tuple[bool, list[str]]]]]
    full_check: bool

    def lookup(self, method: str) -> tuple[str, dict[str, tuple[bool, list[str]]]]:
        """The method's canonical name and fields; unknown methods are a 404 (case-insensitive)."""
        found = self.methods.get(method.lower())
        if found is None:
            raise Rejected(404, "Not Found")
        return found

    def check_required(self, method: str, params: dict[str, Any]) -> None:
        """Refuse a request without one of the method's required fields."""
        _, fields = self.lookup(method)
        for name, (required, _types) in fields.items():
            if required and params.get(name) in (None, ""):
                detail = "message text is empty" if name == "text" else f"{name} is empty"
                raise bad_request(detail)

    def coerce(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Decode form values as Telegram does: JSON for non-string fields, ids as numbers."""
        _, fields = self.lookup(method)
        decoded: dict[str, Any] = {}
        for name, value in params.items():
            types = fields.get(name, (False, []))[1]
            decoded[name] = _decode(value, types) if isinstance(value, str) else value
        return decoded


def _decode(value: str, types: list[str]) -> Any:
    if "String" in types and "Integer" in types:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if "String" in types or "InputFile" in types:
        return value
    if not types and value[:1] not in ("{", "["):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_methods(spec_path: Path | None = None) -> MethodTable:
    """The reference spec's methods when the file is there; the small table otherwise.

    `FAKE_TELEGRAM_SPEC` overrides the path (point it nowhere to test as a fresh clone would).
    """
    if spec_path is None:
        spec_path = Path(os.environ.get("FAKE_TELEGRAM_SPEC") or SPEC_PATH)
    if spec_path.is_file():
        spec = json.loads(spec_path.read_text("utf-8"))
        methods = {
            name.lower(): (
                name,
                {f["name"]: (bool(f["required"]), list(f["types"])) for f in m.get("fields", [])},
            )
            for name, m in spec["methods"].items()
        }
        return MethodTable(methods, full_check=True)
    log.warning("%s not found: fake Telegram checks only its own table of methods", spec_path)
    methods = {name.lower(): (name, fields) for name, fields in FALLBACK_METHODS.items()}
    return MethodTable(methods, full_check=False)


# --- HTML as Telegram's parse_mode=HTML accepts it ------------------------------------------

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
     "code", "pre", "blockquote", "tg-emoji"}
)
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_BARE_AMPERSAND = re.compile(r"&(?!(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);)")


class _HtmlCheck(HTMLParser):
    """Walks an HTML text, keeping the visible text and the first reason Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.visible: list[str] = []
        self.error: str | None = None

    def _fail(self, reason: str) -> None:
        if self.error is None:
            self.error = reason

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._fail(f'Unsupported start tag "{tag}"')
            return
        names = dict(attrs)
        if tag == "a" and not names.get("href"):
            self._fail('Tag "a" must have attribute "href"')
        if tag == "span" and names.get("class") != "tg-spoiler":
            self._fail('Tag "span" must have class "tg-spoiler"')
        if tag == "tg-emoji" and not names.get("emoji-id"):
            self._fail('Tag "tg-emoji" must have attribute "emoji-id"')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self._fail(f'Unexpected end tag "{tag}"')
        elif self.stack[-1] != tag:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1]}"')
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                self._fail(f'Unescaped "{char}" in text')
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _ENTITIES:
            self._fail(f'Unsupported HTML entity "&{name};"')
        self.visible.append(_ENTITIES.get(name, ""))

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self.visible.append(chr(code))
        except (ValueError, OverflowError):
            self._fail(f'Bad character reference "&#{name};"')

    def handle_comment(self, data: str) -> None:
        self._fail("Unsupported comment")

    def handle_decl(self, decl: str) -> None:
        self._fail("Unsupported declaration")

    def handle_pi(self, data: str) -> None:
        self._fail("Unsupported processing instruction")

    def unknown_decl(self, data: str) -> None:
        self._fail("Unsupported declaration")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see; raises 400 "can't parse entities" for HTML Telegram refuses."""
    if parse_mode is None or parse_mode == "":
        return text
    if parse_mode.lower() != "html":
        if parse_mode.lower() in ("markdown", "markdownv2"):
            return text  # not checked by this fake
        raise bad_request("unsupported parse_mode")
    if (bare := _BARE_AMPERSAND.search(text)) is not None:
        raise bad_request(f"can't parse entities: Unescaped \"&\" at offset {bare.start()}")
    check = _HtmlCheck()
    check.feed(text)
    check.close()
    if check.error is None and check.stack:
        check.error = f'Can\'t find end tag corresponding to start tag "{check.stack[-1]}"'
    if check.error is not None:
        raise bad_request(f"can't parse entities: {check.error}")
    return "".join(check.visible)


def utf16_units(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def check_text(text: Any, parse_mode: str | None, *, caption: bool = False) -> str:
    """Check a message text (1–4096) or caption (0–1024) after entity parsing, in UTF-16 units."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    shown = visible_text(text, parse_mode)
    if caption:
        if utf16_units(shown) > 1024:
            raise bad_request("message caption is too long")
        return shown
    if not shown.strip():
        raise bad_request("message text is empty")
    if utf16_units(shown) > 4096:
        raise bad_request("message is too long")
    return shown


def check_markup(markup: Any) -> None:
    """Check an inline keyboard: button texts present, callback_data 1–64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return  # a reply keyboard or a removal: not checked further
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")


_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Check a setMyCommands list: names 1–32 of a-z0-9_, descriptions 1–256 characters."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands
