"""What a channel hands to the handlers, and what the handlers hand back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class InputKind(StrEnum):
    """What kind of thing the user sent."""

    TEXT = "text"
    CHOICE = "choice"  # a pressed button (Telegram callback query)
    PHOTO = "photo"
    DOCUMENT = "document"
    OTHER = "other"  # sticker, voice, location, contact, …


class Attachment(BaseModel):
    """A photo or file the user sent, as the channel refers to it."""

    model_config = ConfigDict(frozen=True)
    file_id: str  # Telegram file_id, Zalo photo URL, or a local path in the terminal
    url: str | None = None
    mime: str | None = None
    size: int | None = None
    name: str | None = None


class Incoming(BaseModel):
    """One update from one user, with no channel types left in it."""

    model_config = ConfigDict(frozen=True)
    channel: str
    external_id: str
    chat_id: str
    kind: InputKind
    at: datetime
    text: str = ""
    choice: str | None = None
    menu_version: int | None = None
    attachment: Attachment | None = None
    update_key: str | None = None  # e.g. "telegram:1234"; re-deliveries are ignored
    display_name: str = ""


class Choice(BaseModel):
    """One option of a menu: a short ASCII key and a label (a label key or literal text)."""

    model_config = ConfigDict(frozen=True)
    key: str
    label: str = ""  # key into messages/<locale>/labels.toml
    text: str | None = None  # literal label (a province name, a product name)
    context: dict[str, Any] = Field(default_factory=dict)


class Document(BaseModel):
    """A file to send along with a reply (spreadsheet export, calendar entry)."""

    model_config = ConfigDict(frozen=True)
    filename: str
    content: bytes
    mime: str


class Reply(BaseModel):
    """A message to send back: a template, its context, and the choices it offers."""

    model_config = ConfigDict(frozen=True)
    template: str
    context: dict[str, Any] = Field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    columns: int = 1
    document: Document | None = None
    photo: str | None = None  # a channel file reference to show with the text
    alone: bool = False  # a message of its own, never joined to another (a preview)


class Outcome(BaseModel):
    """The dispatcher's answer to one update."""

    model_config = ConfigDict(frozen=True)
    replies: list[Reply] = Field(default_factory=list)
    locale: str = "vi"
    chat_id: str = ""
    menu_version: int = 0
    toast: str | None = None  # label key for a callback query's answer
    duplicate: bool = False
