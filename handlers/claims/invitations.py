"""Invitations for the producers of a province nobody has claimed yet: a fresh claim code each,
and the Telegram deep link that claims with it on open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.claims import codes as claim_codes
from handlers.claims.link import payload
from storage import Store


@dataclass(frozen=True)
class Invitation:
    """One printed page: who, which products, the code and the deep link."""

    producer_id: int
    name: str
    province: str
    products: tuple[str, ...]
    code: str
    link: str
    until: date


def deep_link(bot_username: str, code: str) -> str:
    """The t.me link whose /start payload claims with this code."""
    return f"https://t.me/{bot_username}?start={payload(code)}"


async def prepare(
    store: Store, province_code: str, bot_username: str, by: str, now: datetime,
    zone: ZoneInfo,
) -> list[Invitation]:
    """Draw a code for every unclaimed producer of the province and record the invitations."""
    until = (now + claim_codes.CODE_TTL).astimezone(zone).date()
    provinces = {p.code: p.name for p in await store.reference.provinces()}
    found: list[Invitation] = []
    for candidate in await store.existing.unclaimed(province_code):
        code = await claim_codes.draw(store, candidate.producer_id, by, now)
        if code is None:  # claimed meanwhile
            continue
        found.append(Invitation(
            candidate.producer_id, candidate.name, provinces.get(province_code, province_code),
            candidate.products, code, deep_link(bot_username, code), until,
        ))
    await store.claiming.invited([i.producer_id for i in found], province_code, by, now)
    await store.audit.record(by, "invitations_printed", now, subject=f"province:{province_code}",
                             details={"producers": len(found)})
    return found
