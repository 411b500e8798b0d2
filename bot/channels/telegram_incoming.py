"""Telegram updates in: our events from a private chat's messages and button presses."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update

from handlers.engine.events import Attachment, Incoming, InputKind

CHANNEL = "telegram"


def locale_hint(update: Update) -> str:
    """The user's language from their Telegram client, for replies before we know them."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "en" if code.startswith("en") else "vi"


def is_private(update: Update) -> bool:
    """Whether the update comes from a one-to-one chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


def parse_callback_data(data: str) -> tuple[int | None, str]:
    """Split `"<menu_version>:<key>"`; a version that is not a number counts as stale."""
    version, sep, key = data.partition(":")
    if not sep or not version.isdigit():
        return None, data
    return int(version), key


def incoming_from(update: Update) -> Incoming | None:
    """Our event for a private-chat update, or None for an update we do not handle."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    base = {
        "channel": CHANNEL,
        "external_id": str(user.id),
        "chat_id": str(chat.id),
        "update_key": f"{CHANNEL}:{update.update_id}",
        "display_name": user.full_name,
    }
    query = update.callback_query
    if query is not None:
        version, key = parse_callback_data(query.data or "")
        return Incoming(
            **base, kind=InputKind.CHOICE, at=datetime.now(UTC), choice=key, menu_version=version
        )
    message = update.message
    if message is None:
        return None
    at = message.date.astimezone(UTC) if message.date else datetime.now(UTC)
    if message.text is not None:
        return Incoming(**base, kind=InputKind.TEXT, at=at, text=message.text)
    if message.contact is not None:  # only the sender's own number counts as proof
        own = message.contact.user_id == user.id
        phone = message.contact.phone_number if own else None
        return Incoming(**base, kind=InputKind.CONTACT, at=at, contact_phone=phone)
    caption = message.caption or ""
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
        attachment = Attachment(file_id=largest.file_id, size=largest.file_size, mime="image/jpeg")
        return Incoming(
            **base, kind=InputKind.PHOTO, at=at, text=caption, attachment=attachment
        )
    if message.document is not None:
        doc = message.document
        attachment = Attachment(
            file_id=doc.file_id, mime=doc.mime_type, size=doc.file_size, name=doc.file_name
        )
        return Incoming(
            **base, kind=InputKind.DOCUMENT, at=at, text=caption, attachment=attachment
        )
    return Incoming(**base, kind=InputKind.OTHER, at=at, text=caption)  # sticker, voice, …
