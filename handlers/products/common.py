"""What the product flows share: owned-product lookup, file checks, template contexts."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.common.access import may_manage
from handlers.common.rules import expired
from handlers.engine.events import Attachment, InputKind, Reply
from handlers.engine.turn import Turn
from storage.product_models import Certification, DossierItem, Product, ProductStatus
from storage.revocations import Revocation

APPLICATIONS = ("first", "rerating", "upgrade")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")
PDF = "application/pdf"
_EXTENSIONS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".pdf": PDF,
}


class Refused(Exception):
    """An answer that cannot be taken; carries the reply that says why."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.template)
        self.reply = reply


async def owned_product(turn: Turn, product_id: object) -> Product | None:
    """The product if it exists and belongs to this user's producer."""
    try:
        pid = int(str(product_id))
    except ValueError:
        return None
    return await turn.store.products.owned(pid, turn.user.producer_id)


def mime_of(kind: InputKind, attachment: Attachment) -> str | None:
    """The attachment's type: the channel's word, a photo's implied JPEG, or the file suffix."""
    if attachment.mime:
        return attachment.mime.lower()
    if kind is InputKind.PHOTO:
        return "image/jpeg"
    name = (attachment.name or attachment.file_id).lower()
    return next((m for ext, m in _EXTENSIONS.items() if name.endswith(ext)), None)


def checked_file(turn: Turn, *, allow_pdf: bool) -> tuple[Attachment, str]:
    """The photo or file of this turn with its type, or Refused with a clear reason."""
    attachment = turn.event.attachment
    if attachment is None:
        raise Refused(Reply(template="products/file_wrong_type", context={"pdf": allow_pdf}))
    limit = turn.config.max_upload_bytes
    if attachment.size is not None and attachment.size > limit:
        context = {"size_mb": _mb(attachment.size), "limit_mb": _mb(limit)}
        raise Refused(Reply(template="products/file_too_big", context=context))
    mime = mime_of(turn.event.kind, attachment)
    allowed = IMAGE_TYPES + ((PDF,) if allow_pdf else ())
    if mime not in allowed:
        raise Refused(Reply(template="products/file_wrong_type", context={"pdf": allow_pdf}))
    return attachment, mime


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


async def product_context(turn: Turn, product: Product) -> dict[str, Any]:
    """A product's answers as a person reads them (names, not codes)."""
    group = await turn.store.catalog.group(product.group_code)
    pset = await turn.store.catalog.product_set(product.set_code)
    photos = await turn.store.products.photos(product.id)
    return {
        "id": product.id,
        "name": product.name,
        "group": group.name(turn.locale) if group else "",
        "set": pset.name(turn.locale) if pset else "",
        "application": product.application or "",
        "current_stars": product.current_stars or 0,
        "current_certificate": product.current_certificate or "",
        "description": product.description or "",
        "raw_material": product.raw_material or "",
        "origin": product.origin or "",
        "status": product.status.value,
        "photos": len(photos),
        "submitted_at": product.submitted_at,
        "code": product.product_code or "",
    }


async def dossier_progress(
    turn: Turn, product: Product
) -> tuple[list[DossierItem], dict[str, str], int, int]:
    """The items that apply, how each is marked, how many required ones are ready, of how many."""
    items = await turn.store.catalog.dossier_items(product.group_code)
    marks = await turn.store.products.marks(product.id)
    shown = {item.code: marks[item.code].how for item in items if item.code in marks}
    required = [item for item in items if not item.optional]
    return items, shown, sum(item.code in shown for item in required), len(required)


def checklist_lines(
    turn: Turn, items: list[DossierItem], marks: dict[str, str]
) -> list[dict[str, str]]:
    """Checklist rows for a template: name, explanation and how it is marked ('' = missing)."""
    return [
        {
            "code": item.code,
            "name": item.name(turn.locale),
            "explain": item.explain(turn.locale),
            "how": marks.get(item.code, ""),
            "physical": "yes" if item.physical else "",  # a sample prepared, not paper
        }
        for item in items
    ]


def is_status(product: Product, *statuses: ProductStatus) -> bool:
    """Whether the product is in one of the statuses."""
    return product.status in statuses


async def officer_may(turn: Turn, product_id: int) -> bool:
    """Whether this officer may review or rate the product (own province; admins anywhere)."""
    province = await turn.store.products.province_of(product_id)
    return province is not None and may_manage(turn.user, province)


def certificate_context(cert: Certification | None, today: date | None = None,
                        revoked: Revocation | None = None) -> dict[str, Any]:
    """A rating result as a template reads it (empty when there is none); `expired` once its
    expiry has passed by `today`, `revoked` with the revocation's decision."""
    if cert is None:
        return {}
    return {
        "expired": today is not None and expired(cert.expires_on, today),
        "revoked": {"decision_number": revoked.decision_number,
                    "decision_date": revoked.decision_date} if revoked else None,
        "id": cert.id,
        "score": f"{cert.score:g}",
        "stars": cert.stars,
        "certified": cert.certified,
        "number": cert.certificate_number or "",
        "decision_number": cert.decision_number or "",
        "decision_date": cert.decision_date,
        "expires_on": cert.expires_on,
    }
