"""A product's status as people read it: a certified product whose certificate has lapsed
reads "Hết hạn ngày …", a revoked one "Đã bị thu hồi", never "Được công nhận"."""

from __future__ import annotations

from datetime import date

from messages import Renderer


def standing_label(
    renderer: Renderer, locale: str, status: str, expires_on: date | None, today: date,
    revoked: bool = False,
) -> str:
    """The status phrase of a product, its certificate's lapse or revocation included."""
    if status == "certified" and revoked:
        return renderer.label(locale, "product_status.revoked")
    if status == "certified" and expires_on is not None and expires_on < today:
        return renderer.label(locale, "product_status.expired",
                              date=expires_on.strftime("%d/%m/%Y"))
    return renderer.label(locale, f"product_status.{status}")
