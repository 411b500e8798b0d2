"""Trainings as the bot knows them: topics, a training, its enrolments and attendees."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.models import Named


class Topic(Named):
    """A training topic from the reference list."""


class NewTraining(BaseModel):
    """What an officer (or a file) gives to publish a training."""

    model_config = ConfigDict(frozen=True)
    title: str
    topic_code: str
    province_code: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    capacity: int
    audience: str = "province"  # 'all', 'province', 'commune', 'group'
    audience_value: str = ""
    registration_deadline: datetime


class Training(NewTraining):
    """A published training."""

    id: int
    status: str
    enrolled: int = 0
    waiting: int = 0

    @property
    def seats_left(self) -> int:
        """Seats not taken yet."""
        return max(self.capacity - self.enrolled, 0)


class Enrolment(BaseModel):
    """One person's place (or place in the queue) in a training."""

    model_config = ConfigDict(frozen=True)
    id: int
    training_id: int
    user_id: int
    status: str  # 'enrolled', 'waiting', 'cancelled'
    queued_at: datetime


class Attendee(BaseModel):
    """A line of the attendance list."""

    model_config = ConfigDict(frozen=True)
    status: str
    contact_person: str
    organisation: str
    phone: str
    commune: str
    province_code: str
    queued_at: datetime


class EnrolResult(StrEnum):
    """What happened when someone asked for a seat."""

    ENROLLED = "enrolled"
    WAITING = "waiting"
    FULL = "full"  # no seat left; the waiting list is offered
    ALREADY = "already"
    CLOSED = "closed"  # registration deadline passed
    GONE = "gone"  # cancelled or already started
