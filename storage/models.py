"""Typed rows the repositories return."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """What a user may do."""

    PRODUCER = "producer"
    OFFICER = "officer"
    ADMIN = "admin"
    COMMUNE_OFFICER = "commune_officer"  # checks its commune's dossiers first (26/2026)


class Province(BaseModel):
    """One of the 34 provinces and cities."""

    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    kind: str
    former: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # of the names in `former`: a rename or a nickname, not a merger


class Named(BaseModel):
    """A reference row with a Vietnamese and an English name."""

    model_config = ConfigDict(frozen=True)
    code: str
    name_vi: str
    name_en: str

    def name(self, locale: str) -> str:
        """The name in the given locale."""
        return self.name_vi if locale == "vi" else self.name_en


class EntityType(Named):
    """A kind of producer: household, cooperative group, cooperative, enterprise."""


class Producer(BaseModel):
    """The household, cooperative or firm that owns products."""

    model_config = ConfigDict(frozen=True)
    id: int
    name: str
    entity_type: str
    contact_person: str
    phone: str
    province_code: str
    commune: str  # the official name once matched to a place, else as written
    created_at: datetime
    updated_at: datetime
    commune_typed: str | None = None  # the commune as the person or the list wrote it


class User(BaseModel):
    """One account on one channel."""

    model_config = ConfigDict(frozen=True)
    id: int
    channel: str
    external_id: str
    chat_id: str
    locale: str
    producer_id: int | None
    consent_at: datetime | None
    reminders_on: bool
    announcements_on: bool
    active: bool
    role: Role = Role.PRODUCER
    officer_province: str | None = None

    @property
    def address(self) -> str:
        """The `channel:external_id` form used in config, the CLI and the audit log."""
        return f"{self.channel}:{self.external_id}"

    @property
    def is_officer(self) -> bool:
        """Officers and admins may use the officer section."""
        return self.role in (Role.OFFICER, Role.ADMIN)


class OfferedChoice(BaseModel):
    """A choice the last menu offered, kept so that answers can be checked against it."""

    model_config = ConfigDict(frozen=True)
    key: str
    words: tuple[str, ...] = ()  # labels as shown, for matching typed words
    sense: str | None = None  # "yes", "no", "skip", "back": typed answers of that kind pick it


class ConversationState(BaseModel):
    """Where a user is in a conversation, and what they answered so far."""

    step: str = "menu.main"
    data: dict[str, Any] = Field(default_factory=dict)
    offered: list[OfferedChoice] = Field(default_factory=list)
    menu_version: int = 0
    last_choice: str | None = None
