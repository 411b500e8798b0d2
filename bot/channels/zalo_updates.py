"""Zalo updates as the bot reads them: webhook bodies, `Incoming` events, private chats."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from handlers.engine.events import Attachment, Incoming, InputKind

CHANNEL = "zalo"
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
# Where an image update carries its URL: the PTB-derived SDK and a production client read
# `photo_url`, the official docs name it `photo`, some clients saw `url`.
PHOTO_FIELDS = ("photo_url", "photo", "url")


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update inside a webhook body, flat or `{"ok": …, "result": {…}}`; None if neither."""
    if isinstance(body, dict) and "result" in body and "event_name" not in body:
        body = body["result"]
    if not isinstance(body, dict) or not isinstance(body.get("event_name"), str):
        return None
    message = body.get("message")
    if message is not None and not isinstance(message, dict):
        return None
    return body


def to_incoming(update: dict[str, Any], now: datetime | None = None) -> Incoming | None:
    """The `Incoming` for a Zalo update; None if it names no chat we could answer."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat, sender = message.get("chat"), message.get("from")
    chat_id = str(chat.get("id") or "") if isinstance(chat, dict) else ""
    sender_id = str(sender.get("id") or "") if isinstance(sender, dict) else ""
    if not chat_id or not sender_id or (isinstance(sender, dict) and sender.get("is_bot")):
        return None
    message_id = message.get("message_id")
    event = update.get("event_name")
    kind, text, attachment = InputKind.OTHER, "", None
    if event == TEXT_EVENT and isinstance(message.get("text"), str):
        kind, text = InputKind.TEXT, message["text"].strip()
    elif event == IMAGE_EVENT and (url := photo_url(message)):
        kind, attachment = InputKind.PHOTO, Attachment(file_id=url, url=url, mime="image/jpeg")
        text = str(message.get("caption") or "").strip()
    return Incoming(
        channel=CHANNEL,
        external_id=sender_id,
        chat_id=chat_id,
        kind=kind,
        at=_when(message.get("date")) or now or datetime.now(UTC),
        text=text,
        attachment=attachment,
        update_key=f"zalo:{message_id}" if message_id else None,
        display_name=str(sender.get("display_name") or "") if isinstance(sender, dict) else "",
    )


def photo_url(message: dict[str, Any]) -> str | None:
    """The image URL of a photo message, under whichever field name it came."""
    for name in PHOTO_FIELDS:
        value = message.get(name)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


def is_private(update: dict[str, Any]) -> bool:
    """Whether the update comes from a one-to-one chat (the only kind the bot talks in)."""
    message = update.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    kind = chat.get("chat_type") if isinstance(chat, dict) else None
    return kind is None or str(kind).upper() == "PRIVATE"


def _when(millis: Any) -> datetime | None:
    if not isinstance(millis, int | float) or millis <= 0:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC)
