"""The Bot API methods the fake Telegram server answers, and its flood control."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.telegram_checks import (
    Rejected,
    bad_request,
    check_commands,
    check_markup,
    check_text,
)

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Trợ lý OCOP", "username": "ocop_test_bot"}
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})


@dataclass(frozen=True)
class Call:
    """One request the fake received: method, decoded parameters and how it was answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    description: str | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        """Whether the fake accepted the request."""
        return self.status == 200


@dataclass
class _Flood:
    """Flood control: minimum spacing per chat and a one-second window overall."""

    per_chat_rate: float | None = None
    global_rate: float | None = None
    next_allowed: dict[str, float] = field(default_factory=dict)
    window: deque[float] = field(default_factory=deque)

    def check(self, chat_id: str, now: float) -> None:
        if self.global_rate is not None:
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.global_rate:
                _too_many(self.window[0] + 1.0 - now)
        if self.per_chat_rate is not None:
            allowed = self.next_allowed.get(chat_id, 0.0)
            if now < allowed:
                _too_many(allowed - now)
            self.next_allowed[chat_id] = now + 1.0 / self.per_chat_rate
        if self.global_rate is not None:
            self.window.append(now)


def _too_many(wait: float) -> None:
    retry_after = max(1, math.ceil(wait))
    raise Rejected(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


class BotApiMethods:
    """`_api_<method>` answers one Bot API method; the server state lives in FakeTelegram."""

    _lock: threading.RLock
    flood: _Flood
    blocked: set[str]
    refuse_html: bool
    webhook: dict[str, Any]
    commands: dict[tuple[str, str], list[dict[str, str]]]
    files: dict[str, bytes]
    _updates: list[dict[str, Any]]
    _confirmed: int
    _message_ids: dict[str, itertools.count[int]]
    _messages: dict[tuple[str, int], str]
    _keyboards: dict[tuple[str, int], dict[str, Any]]
    _open_callbacks: dict[str, int]
    _answered: set[str]
    _wake: asyncio.Event | None
    _closing: bool

    def _changed(self) -> None:
        raise NotImplementedError

    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        with self._lock:
            return len(self._updates)

    def _next_message_id(self, chat: str) -> int:
        with self._lock:
            counter = self._message_ids.setdefault(chat, itertools.count(1))
            return next(counter)

    def _send_checks(self, params: dict[str, Any]) -> str:
        chat = str(params["chat_id"])
        if chat in self.blocked:
            raise Rejected(403, "Forbidden: bot was blocked by the user")
        if self.refuse_html and str(params.get("parse_mode") or "").lower() == "html":
            raise bad_request("can't parse entities: Can't find end of the entity starting at"
                              " byte offset 0")
        check_markup(params.get("reply_markup"))
        return chat

    def _sent(self, chat: str, shown: str, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        with self._lock:
            self.flood.check(chat, time.monotonic())
            message_id = self._next_message_id(chat)
            self._messages[(chat, message_id)] = shown
            self._keep_keyboard((chat, message_id), params)
        message = {
            "message_id": message_id, "date": int(time.time()), "from": BOT_USER,
            "chat": {"id": _chat_id(chat), "type": "private"}, **extra,
        }
        if (params.get("reply_markup") or {}).get("inline_keyboard") is not None:
            # like Telegram: a message carries an inline keyboard, never a reply keyboard
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise Rejected(409, "Conflict: can't use getUpdates method while webhook is active;"
                                " use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            wake = self._wake
            with self._lock:
                confirming = offset > self._confirmed
                if confirming:
                    self._confirmed = offset
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
            if confirming:
                self._changed()
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing or wake is None:
                return ready
            with suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), remaining)

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._send_checks(params)
        shown = check_text(params.get("text"), params.get("parse_mode"))
        return self._sent(chat, shown, params, text=shown)

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._send_checks(params)
        caption = check_text(params.get("caption"), params.get("parse_mode"), caption=True)
        photo = params["photo"]
        file_id = photo if isinstance(photo, str) else f"uploaded-{photo['filename']}"
        size = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 800,
                "height": 600}
        extra: dict[str, Any] = {"photo": [size]}
        if caption:
            extra["caption"] = caption
        return self._sent(chat, caption, params, **extra)

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._send_checks(params)
        caption = check_text(params.get("caption"), params.get("parse_mode"), caption=True)
        document = params["document"]
        if isinstance(document, dict):
            if not document["content"]:
                raise bad_request("file must be non-empty")
            doc = {"file_id": f"doc-{document['filename']}", "file_unique_id": "u-doc",
                   "file_name": document["filename"], "file_size": len(document["content"])}
        else:
            doc = {"file_id": str(document), "file_unique_id": f"u-{document}"}
        extra: dict[str, Any] = {"document": doc}
        if caption:
            extra["caption"] = caption
        return self._sent(chat, caption, params, **extra)

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the fake")
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise bad_request("chat_id and message_id are required")
        chat = self._send_checks(params)
        shown = check_text(params.get("text"), params.get("parse_mode"))
        key = (chat, int(params["message_id"]))
        with self._lock:
            if key not in self._messages:
                raise bad_request("message to edit not found")
            if self._messages[key] == shown and self._keyboards.get(key) == _inline(params):
                raise bad_request("message is not modified: specified new message content and"
                                  " reply markup are exactly the same")
            self._messages[key] = shown
            self._keep_keyboard(key, params)
        message = {"message_id": key[1], "date": int(time.time()), "from": BOT_USER,
                   "chat": {"id": _chat_id(chat), "type": "private"}, "text": shown}
        if (params.get("reply_markup") or {}).get("inline_keyboard") is not None:
            # like Telegram: a message carries an inline keyboard, never a reply keyboard
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise bad_request("chat_id and message_id are required")
        chat = self._send_checks(params)
        key = (chat, int(params["message_id"]))
        with self._lock:
            if key not in self._messages:
                raise bad_request("message to edit not found")
            if self._keyboards.get(key) == _inline(params):
                raise bad_request("message is not modified: specified new message content and"
                                  " reply markup are exactly the same")
            self._keep_keyboard(key, params)
            text = self._messages[key]
        message = {"message_id": key[1], "date": int(time.time()), "from": BOT_USER,
                   "chat": {"id": _chat_id(chat), "type": "private"}, "text": text}
        if (markup := _inline(params)) is not None:
            message["reply_markup"] = markup
        return message

    def _keep_keyboard(self, key: tuple[str, int], params: dict[str, Any]) -> None:
        """Remember the inline keyboard a message shows (none: removed)."""
        markup = _inline(params)
        if markup is None:
            self._keyboards.pop(key, None)
        else:
            self._keyboards[key] = markup

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        with self._lock:
            if query_id not in self._open_callbacks or query_id in self._answered:
                raise bad_request("query is too old and response timeout expired or query ID"
                                  " is invalid")
            self._answered.add(query_id)
        return True

    def _scope_key(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return str(scope.get("type", "default")), str(params.get("language_code") or "")

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = check_commands(params["commands"])
        with self._lock:
            self.commands[self._scope_key(params)] = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        with self._lock:
            return list(self.commands.get(self._scope_key(params), []))

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.commands.pop(self._scope_key(params), None)
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._send_checks(params)
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": self.pending_updates()}

    def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        with self._lock:
            content = self.files.get(file_id)
        if content is None:
            raise bad_request("invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(content),
                "file_path": f"files/{file_id}"}


def _chat_id(chat: str) -> int | str:
    return int(chat) if chat.lstrip("-").isdigit() else chat


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from a query string, JSON, urlencoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise bad_request("can't parse JSON body") from error
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            params[name] = {"filename": value.filename, "content": value.file.read(),
                            "content_type": value.content_type}
        else:
            params[name] = value
    return params


def _inline(params: dict[str, Any]) -> dict[str, Any] | None:
    """The inline keyboard of a request, if it has one with buttons."""
    markup = params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = markup.get("inline_keyboard")
    return markup if rows else None
