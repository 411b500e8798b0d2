"""Step names of the rating feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Review:
    """`/duyet`: officers review submitted dossiers."""

    QUEUE: Final = "review.queue"
    OPEN: Final = "review.open"
    NOTE: Final = "review.note"


class Results:
    """`/ketqua`: officers record a rating result."""

    PICK: Final = "results.pick"
    SCORE: Final = "results.score"
    DECISION: Final = "results.decision"
    DATE: Final = "results.date"
    CERT: Final = "results.cert"
    LEVEL: Final = "results.level"
    CONFIRM: Final = "results.confirm"


class Commune:
    """`/hosoxa`: the commune checks its dossiers (Mẫu 03), forwards or returns them."""

    LIST: Final = "commune.list"
    OPEN: Final = "commune.open"
    ASSESS: Final = "commune.assess"
    NOTE: Final = "commune.note"


class ProductCode:
    """`/masanpham`: officers type a certified product's OCOP product code."""

    PICK: Final = "product_code.pick"
    CODE: Final = "product_code.code"


class Revoke:
    """`/thuhoi`: officers record the revocation of a certification decision."""

    PICK: Final = "revoke.pick"
    GROUND: Final = "revoke.ground"
    NUMBER: Final = "revoke.number"
    DATE: Final = "revoke.date"
    CONFIRM: Final = "revoke.confirm"
