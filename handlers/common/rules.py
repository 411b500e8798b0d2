"""The rules in force as the conversations read them: values, their shown form, the transition."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage import Store
from storage.rules import Rule

_DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MAX_NUMBER = 10_000
MAX_TEXT = 200


def parse_rule_value(rule: Rule, text: str) -> str | None:
    """The value to store for a typed correction of `rule`; None when it has the wrong shape."""
    text = text.strip()
    if rule.kind == "number":
        return str(int(text)) if text.isdigit() and 0 < int(text) <= MAX_NUMBER else None
    if rule.kind == "day_month":
        if not (m := _DAY_MONTH.match(text)):
            return None
        try:
            date(2024, int(m[2]), int(m[1]))  # a leap year: 29/02 is a real day
        except ValueError:
            return None
        return f"{int(m[1]):02d}/{int(m[2]):02d}"
    if rule.kind == "date":
        m = _DMY.match(text)
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat() if m else (
                date.fromisoformat(text).isoformat())
        except ValueError:
            return None
    return text if 0 < len(text) <= MAX_TEXT else None


def shown_value(rule: Rule) -> str:
    """The value as people read it (dates dd/mm/yyyy)."""
    if rule.kind == "date":
        return date.fromisoformat(rule.value).strftime("%d/%m/%Y")
    return rule.value


async def rules_context(store: Store, locale: str) -> dict[str, Any]:
    """What `rules/show` renders: every rule and ground with its decision and article."""
    rules = await store.rules.all()
    grounds = await store.rules.grounds()
    days_off = sorted((await store.communes.days_off()).items())
    return {
        "days_off": [{"day": day, "name": name} for day, name in days_off],
        "decision": next((r.value for r in rules if r.key == "decision"), ""),
        "rules": [
            {"key": r.key, "name": r.name(locale), "value": shown_value(r),
             "decision": r.decision, "article": r.article, "checked": r.checked,
             "updated_by": r.updated_by, "updated_at": r.updated_at}
            for r in rules
        ],
        "grounds": [
            {"code": g.code, "name": g.name(locale), "decision": g.decision, "article": g.article,
             "checked": g.checked}
            for g in grounds
        ],
    }


async def decision_in_force(store: Store) -> str:
    """The decision the bot follows ("26/2026/QĐ-TTg")."""
    rule = await store.rules.get("decision")
    return rule.value if rule else ""


async def under_old_rules(store: Store, submitted_at: datetime | None, zone: ZoneInfo) -> bool:
    """Whether a dossier sent at `submitted_at` finishes under the old rules (the transition)."""
    if submitted_at is None:
        return False
    return submitted_at.astimezone(zone).date() < await store.rules.day("in_force_from")


async def rerating_window(store: Store, expires_on: date) -> tuple[date, date]:
    """The first and last day a re-rating dossier may be sent for a certificate."""
    opens = await store.rules.number("rerating_opens_days")
    closes = await store.rules.number("rerating_closes_days")
    return expires_on - timedelta(days=opens), expires_on - timedelta(days=closes)


async def grace_end(store: Store, expires_on: date) -> date:
    """The last day a certificate counts while a late re-rating runs (the transition)."""
    return expires_on + timedelta(days=await store.rules.number("rerating_grace_days"))


def expired(expires_on: date | None, today: date) -> bool:
    """Whether a certificate with this expiry has lapsed by `today`."""
    return expires_on is not None and expires_on < today
