"""The dossier page's certificate card: its standing ("Hết hạn ngày …", revoked) and whether
the revocation form (recorded as `/thuhoi` does in chat) is offered."""

from __future__ import annotations

from typing import Any

from bot.web.context import Console, utc_now
from handlers.common.rules import under_old_rules
from handlers.common.standing import standing_label
from storage import Store
from storage.product_models import Product


async def certificate_card(console: Console, store: Store, product: Product,
                           locale: str) -> dict[str, Any]:
    """What the dossier page shows of the product's certificate, and whether it may be revoked."""
    today = utc_now().astimezone(console.config.zone).date()
    cert = await store.certifications.latest_for(product.id)
    certified = cert is not None and cert.certified
    revoked = await store.revocations.of_certification(cert.id) if cert else None
    grounds = await store.rules.grounds()
    at_commune = await store.communes.open_for(product.id)
    return {
        "old_rules": await under_old_rules(store, product.submitted_at, console.config.zone),
        "at_commune": {"commune": at_commune.commune, "due_on": at_commune.due_on}
        if at_commune else None,
        "standing": standing_label(console.renderer, locale, product.status.value,
                                   cert.expires_on if cert and certified else None, today,
                                   revoked is not None),
        "cert": cert if certified else None,
        "revocation": revoked,
        "revoked_ground": next((g.name(locale) for g in grounds
                                if revoked and g.code == revoked.ground), ""),
        "grounds": [{"code": g.code, "name": g.name(locale)} for g in grounds],
        "revocable": certified and revoked is None,
    }
