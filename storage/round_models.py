"""Rating rounds as the bot knows them: a round, the products that may enter it, an entry."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

KINDS = ("first", "rerating", "upgrade")
DATE_FIELDS = (
    "registration_opens_at",
    "registration_deadline",
    "dossier_deadline",
    "council_at",
    "results_at",
)
# Product statuses the round side cares about.
# A dossier sent (or already accepted) for review can be entered in a round.
ENTERABLE = ("submitted", "accepted")
UNFINISHED = ("draft", "submitted", "accepted")


class Round(BaseModel):
    """A rating round (đợt đánh giá) of one province."""

    model_config = ConfigDict(frozen=True)
    id: int
    name: str
    province_code: str
    kinds: tuple[str, ...]
    registration_opens_at: datetime
    registration_deadline: datetime
    dossier_deadline: datetime
    council_at: datetime
    results_at: datetime
    note: str
    status: str

    def is_open(self, now: datetime) -> bool:
        """Registration is open now."""
        return self.status == "active" and self.registration_opens_at <= now < (
            self.registration_deadline
        )


class NewRound(BaseModel):
    """What an officer (or a file) gives to create a round."""

    model_config = ConfigDict(frozen=True)
    name: str
    province_code: str
    kinds: tuple[str, ...] = KINDS
    registration_opens_at: datetime
    registration_deadline: datetime
    dossier_deadline: datetime
    council_at: datetime
    results_at: datetime
    note: str = ""


class ProductRow(BaseModel):
    """The few product fields the round side reads."""

    model_config = ConfigDict(frozen=True)
    id: int
    producer_id: int
    name: str
    status: str
    kind: str | None = None


class Entry(BaseModel):
    """A product entered in (or withdrawn from) a round."""

    model_config = ConfigDict(frozen=True)
    id: int
    round_id: int
    product_id: int
    producer_id: int
    product_name: str
    status: str
    entered_at: datetime
    withdrawn_at: datetime | None
