"""The figures of a province (or the country) as plain typed values, for chat, files and pages."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

# "at_commune": sent, and still at its commune for the commune's check (26/2026/QĐ-TTg)
PIPELINE_STATUSES = ("draft", "at_commune", "submitted", "returned", "accepted", "rated")
BREAKDOWNS = ("commune", "group", "former", "province", "year")


class Scope(BaseModel):
    """Which products and producers a figure counts: a province (None: the country), narrowed."""

    model_config = ConfigDict(frozen=True)
    province: str | None = None
    commune: str | None = None  # a commune's official code ('' for producers not placed)
    group: str | None = None
    former: str | None = None  # the pre-2025 province a producer was registered in


class Stars(BaseModel):
    """A count split by star level."""

    model_config = ConfigDict(frozen=True)
    three: int = 0
    four: int = 0
    five: int = 0

    @property
    def total(self) -> int:
        """Every star level together."""
        return self.three + self.four + self.five


class Summary(BaseModel):
    """One screen of figures for a scope and a year, as of `today`."""

    model_config = ConfigDict(frozen=True)
    scope: Scope
    year: int
    today: date
    in_force: Stars  # products whose latest certificate is valid today
    new_this_year: Stars  # products certified by a decision dated in `year`
    target: int | None  # the year's target of newly certified products, if set
    pipeline: dict[str, int]  # products by dossier status (draft … rated)
    expiring: int  # certificates in force that expire within 90 days
    expiring_on_bot: int  # … whose producer has a chat account
    expired: int = 0  # latest certificate past its expiry, not re-rated, not revoked
    producers: int
    claimed: int  # producers with at least one linked chat account
    active_30d: int  # producers with an account seen in the last 30 days
    open_rounds: int
    round_entries: int
    trainings: int  # trainings starting in `year`
    enrolled: int
    waiting: int
    attended: int  # enrolled in trainings of `year` that have ended

    @property
    def unclaimed(self) -> int:
        """Producers nobody has claimed on a channel yet."""
        return self.producers - self.claimed

    @property
    def gap(self) -> int | None:
        """Newly certified products still missing to reach the target."""
        if self.target is None:
            return None
        return max(self.target - self.new_this_year.total, 0)


class Row(BaseModel):
    """One line of a breakdown (a commune, a group, a former province, a province, a year)."""

    model_config = ConfigDict(frozen=True)
    key: str
    in_force: Stars
    new_this_year: int
    pipeline: int  # dossiers submitted and not yet decided
    expiring: int
    producers: int


class YearCount(BaseModel):
    """Products newly certified in one year, by stars, and the target of that year."""

    model_config = ConfigDict(frozen=True)
    year: int
    new: Stars
    target: int | None


class Target(BaseModel):
    """A year's target of newly certified products, for a province or a part of it."""

    model_config = ConfigDict(frozen=True)
    province: str
    year: int
    scope: str  # '' the whole province, 'stars:4', 'commune:<code>'
    products: int
