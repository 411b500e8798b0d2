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
    CONTACT = "contact"  # a shared phone contact (Telegram's "share my phone number" button)
    OTHER = "other"  # sticker, voice, location, …


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
    # The phone of a shared contact, only when it is the sender's own (verified by the channel).
    contact_phone: str | None = None


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


class Series(BaseModel):
    """One named row of numbers of a chart (a star level, a target)."""

    model_config = ConfigDict(frozen=True)
    label: str
    values: tuple[float | None, ...]


class Chart(BaseModel):
    """Figures to draw as an image: stacked bars by year with a target line, and a bar list.

    Channels that show images draw it (bot/charts.py); the reply's text has the same figures.
    """

    model_config = ConfigDict(frozen=True)
    title: str
    years_title: str
    years: tuple[str, ...]
    stacks: tuple[Series, ...]  # stacked per year (3★, 4★, 5★)
    target: Series | None = None  # drawn as a line over the bars
    bars_title: str = ""
    bars: tuple[tuple[str, int], ...] = ()  # (label, count), drawn as horizontal bars
    filename: str = "thongke.png"


class Reply(BaseModel):
    """A message to send back: a template, its context, and the choices it offers."""

    model_config = ConfigDict(frozen=True)
    template: str
    context: dict[str, Any] = Field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    columns: int = 1
    document: Document | None = None
    photo: str | None = None  # a channel file reference to show with the text
    # A label key: where the channel can (Telegram), a button that shares the user's own phone.
    ask_contact: str | None = None
    chart: Chart | None = None  # drawn and sent as an image where the channel shows images
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
