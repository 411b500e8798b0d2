"""Typed rows of the products area: reference data, products, dossier marks, certificates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.models import Named


class ProductStatus(StrEnum):
    """Where a product's dossier is in the rating process."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    RATED = "rated"
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"


EDITABLE = frozenset({ProductStatus.DRAFT, ProductStatus.RETURNED})
DOSSIER_OPEN = frozenset({ProductStatus.DRAFT, ProductStatus.SUBMITTED, ProductStatus.RETURNED})


class ProductGroup(Named):
    """One of the 6 product groups of 148/QĐ-TTg."""


class ProductSet(Named):
    """One of the 26 product sets; each belongs to a group."""

    group_code: str


class DossierItem(Named):
    """A document of the dossier, with a one-line explanation."""

    explain_vi: str
    explain_en: str
    groups: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    optional: bool = False  # listed, but only needed if the producer has it
    physical: bool = False  # a thing to prepare (samples), not a paper

    def explain(self, locale: str) -> str:
        """The explanation in the given locale."""
        return self.explain_vi if locale == "vi" else self.explain_en

    def applies_to(self, group_code: str | None) -> bool:
        """Whether a product of this group needs the item."""
        if group_code in self.exclude:
            return False
        return not self.groups or group_code in self.groups


class StarBand(BaseModel):
    """Scores from `min_score` up (to the next band) earn `stars`."""

    model_config = ConfigDict(frozen=True)
    stars: int
    min_score: float
    certified: bool


class Product(BaseModel):
    """A producer's product and the answers of its registration."""

    model_config = ConfigDict(frozen=True)
    id: int
    producer_id: int
    name: str
    group_code: str | None
    set_code: str | None
    application: str | None
    current_stars: int | None
    current_certificate: str | None
    description: str | None
    raw_material: str | None
    origin: str | None
    status: ProductStatus
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    product_code: str | None = None  # (T)-(X)-(STT)-năm, once certified


class ProductPhoto(BaseModel):
    """A photo of the product as the channel refers to it."""

    model_config = ConfigDict(frozen=True)
    id: int
    channel: str
    file_id: str
    mime: str | None
    size: int | None


class DossierMark(BaseModel):
    """A dossier item the producer has marked ready (by a file, or on paper)."""

    model_config = ConfigDict(frozen=True)
    item_code: str
    how: str  # 'file' or 'paper'
    channel: str | None
    file_id: str | None
    mime: str | None


EVENT_KINDS = (  # every kind of history line; each has a `product_event.<kind>` label
    "created", "submitted", "resubmitted", "returned", "accepted", "rated", "certified",
    "not_certified", "imported", "claimed", "commune_forwarded", "rerating_started", "revoked",
    "photos_skipped",
)


class ProductEvent(BaseModel):
    """One line of a product's history."""

    model_config = ConfigDict(frozen=True)
    id: int
    at: datetime
    kind: str
    actor: str
    note: str | None


class Certification(BaseModel):
    """A rating result; a certificate when `certified`."""

    model_config = ConfigDict(frozen=True)
    id: int
    product_id: int
    score: float
    stars: int
    certified: bool
    certificate_number: str | None
    decision_number: str | None
    decision_date: date | None
    issued_on: date | None
    expires_on: date | None
    recorded_by: str
    created_at: datetime
