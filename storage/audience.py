"""Who a broadcast reaches: the officer's province, narrowed by registered audience filters.

The audience of a broadcast is always "producer accounts in one province (all provinces for an
admin without one) that are active, have announcements on and are on a channel the bot can
write to first", narrowed by zero or more filters, each picked by the officer with one value.

Adding a filter (the hook for later issues)
-------------------------------------------
A feature whose data can target producers registers one `AudienceFilter` at import time of
its storage module (`storage/store.py` imports them all), e.g. in `storage/certifications.py`::

    register_filter(AudienceFilter(
        key="expiring",                  # short ASCII, stored in broadcasts.audience
        label="products.audience_expiring",  # a label key of the feature's own labels file
        options_sql=(                    # (value, shown text) pairs for this province
            "SELECT DISTINCT strftime('%Y', c.expires_on), strftime('%Y', c.expires_on)"
            " FROM certifications c JOIN products pr ON pr.id = c.product_id"
            " JOIN producers p ON p.id = pr.producer_id"
            " WHERE (:province IS NULL OR p.province_code = :province) ORDER BY 1"
        ),
        condition=(                      # a condition on producer `p`, one `:value` parameter
            "EXISTS (SELECT 1 FROM certifications c JOIN products pr ON pr.id = c.product_id"
            " WHERE pr.producer_id = p.id AND strftime('%Y', c.expires_on) = :value)"
        ),
    ))

(Put the label under the feature's own TOML table: label files are merged table by table, so
two files defining `[audience]` would hide each other's keys.)

`options_sql` gets the named parameter `:province` (NULL for a nationwide admin), and
`condition` gets `:value` (the picked option's value); both may use `p` (producers) and `u`
(users). The broadcast flow offers every registered filter that has options in the officer's
province, so new criteria plug in without touching the broadcast code. Product group, stars,
round entry and training enrolment are registered below. SQL stays in `storage/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite


@dataclass(frozen=True)
class AudienceFilter:
    """One way to narrow a broadcast: its options in a province, and its SQL condition."""

    key: str
    label: str
    options_sql: str
    condition: str
    max_options: int = 200


AUDIENCE_FILTERS: dict[str, AudienceFilter] = {}


def register_filter(audience_filter: AudienceFilter) -> AudienceFilter:
    """Make a filter available to every broadcast (idempotent per key)."""
    AUDIENCE_FILTERS[audience_filter.key] = audience_filter
    return audience_filter


# An admin (no province of their own) narrows a nationwide broadcast to one province, as an
# officer's broadcasts always are; an officer is offered no option, so never sees it.
register_filter(
    AudienceFilter(
        key="province",
        label="audience.province",
        options_sql=(
            "SELECT DISTINCT v.code, v.name FROM producers p JOIN provinces v"
            " ON v.code = p.province_code WHERE :province IS NULL ORDER BY v.name"
        ),
        condition="p.province_code = :value",
    )
)

# By the commune as an official unit (its code, as the figures count), "-" for the producers
# whose commune is no known place; the handlers name each code and sort them.
register_filter(
    AudienceFilter(
        key="commune",
        label="audience.commune",
        options_sql=(
            "SELECT DISTINCT COALESCE(CAST(commune_code AS TEXT), '-'), '' FROM producers"
            " WHERE (:province IS NULL OR province_code = :province)"
        ),
        condition="COALESCE(CAST(p.commune_code AS TEXT), '-') = :value",
        max_options=400,
    )
)

# Filters over products, rounds and trainings. Their
# SQL runs only when an officer uses them, after every migration has been applied.
register_filter(
    AudienceFilter(
        key="group",
        label="audience.group",
        options_sql=(
            "SELECT DISTINCT g.code, g.name_vi, g.position FROM products pr"
            " JOIN product_groups g ON g.code = pr.group_code"
            " JOIN producers p ON p.id = pr.producer_id"
            " WHERE (:province IS NULL OR p.province_code = :province) ORDER BY g.position"
        ),
        condition=(
            "EXISTS (SELECT 1 FROM products pr WHERE pr.producer_id = p.id"
            " AND pr.group_code = :value)"
        ),
    )
)
register_filter(
    AudienceFilter(
        key="stars",
        label="audience.stars",
        options_sql=(
            "SELECT DISTINCT pr.current_stars, pr.current_stars || ' ★' FROM products pr"
            " JOIN producers p ON p.id = pr.producer_id WHERE pr.current_stars IS NOT NULL"
            " AND (:province IS NULL OR p.province_code = :province) ORDER BY 1"
        ),
        condition=(
            "EXISTS (SELECT 1 FROM products pr WHERE pr.producer_id = p.id"
            " AND pr.current_stars = CAST(:value AS INTEGER))"
        ),
    )
)
register_filter(
    AudienceFilter(
        key="round",
        label="audience.round",
        options_sql=(
            "SELECT id, name FROM rounds WHERE status = 'active'"
            " AND (:province IS NULL OR province_code = :province)"
            " ORDER BY registration_opens_at DESC LIMIT 20"
        ),
        condition=(
            "EXISTS (SELECT 1 FROM round_entries re WHERE re.producer_id = p.id"
            " AND re.round_id = CAST(:value AS INTEGER) AND re.status = 'entered')"
        ),
    )
)
register_filter(
    AudienceFilter(
        key="training",
        label="audience.training",
        options_sql=(
            "SELECT id, title FROM trainings WHERE status = 'active'"
            " AND (:province IS NULL OR province_code = :province)"
            " ORDER BY starts_at DESC LIMIT 20"
        ),
        # Enrolled from any account of the producer: the one reached may be a linked one.
        condition=(
            "EXISTS (SELECT 1 FROM enrolments e JOIN users eu ON eu.id = e.user_id"
            " WHERE eu.producer_id = p.id"
            " AND e.training_id = CAST(:value AS INTEGER) AND e.status = 'enrolled')"
        ),
    )
)

_REACHABLE = "{u}.active = 1 AND {u}.announcements_on = 1"
# One account per producer: the one chosen for notifications (linking), if it can be reached,
# otherwise the oldest reachable one. Linked accounts never get the same broadcast twice.
_BASE = (
    " FROM users u JOIN producers p ON p.id = u.producer_id"
    f" WHERE {_REACHABLE.format(u='u')}"
    " AND (? IS NULL OR p.province_code = ?)"
    " AND u.id = COALESCE("
    "(SELECT t.user_id FROM notify_targets t JOIN users tu ON tu.id = t.user_id"
    f" WHERE t.producer_id = p.id AND tu.producer_id = p.id AND {_REACHABLE.format(u='tu')}),"
    f" (SELECT MIN(u2.id) FROM users u2 WHERE u2.producer_id = p.id"
    f" AND {_REACHABLE.format(u='u2')}))"
)


def _where(province: str | None, filters: list[tuple[str, str]]) -> tuple[str, list[Any]]:
    sql = _BASE
    params: list[Any] = [province, province]
    for key, value in filters:
        audience_filter = AUDIENCE_FILTERS.get(key)
        if audience_filter is None:
            raise ValueError(f"unknown audience filter {key!r}")
        # Conditions use the named `:value`; turn each into a positional parameter.
        sql += " AND (" + audience_filter.condition.replace(":value", "?") + ")"
        params.extend([value] * audience_filter.condition.count(":value"))
    return sql, params


@dataclass(frozen=True)
class Recipient:
    """One account a broadcast goes to."""

    user_id: int
    channel: str
    chat_id: str
    locale: str


class AudienceRepo:
    """Count and list the accounts an audience reaches."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def options(self, key: str, province: str | None) -> list[tuple[str, str]]:
        """The values an officer may pick for a filter in their province: (value, text)."""
        audience_filter = AUDIENCE_FILTERS[key]
        async with self._db.execute(audience_filter.options_sql, {"province": province}) as cur:
            rows = await cur.fetchmany(audience_filter.max_options)
        return [(str(row[0]), str(row[1])) for row in rows if row[0] is not None]

    async def count(self, province: str | None, filters: list[tuple[str, str]]) -> tuple[int, int]:
        """How many accounts and how many producers the audience reaches."""
        where, params = _where(province, filters)
        async with self._db.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT p.id){where}", params
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1]) if row else (0, 0)

    async def count_on(
        self, province: str | None, filters: list[tuple[str, str]], channel: str
    ) -> int:
        """How many of the accounts the audience reaches are on one channel."""
        where, params = _where(province, filters)
        async with self._db.execute(
            f"SELECT COUNT(*){where} AND u.channel = ?", (*params, channel)
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else 0

    async def recipients(
        self, province: str | None, filters: list[tuple[str, str]]
    ) -> list[Recipient]:
        """Every account the audience reaches, in user id order."""
        where, params = _where(province, filters)
        async with self._db.execute(
            f"SELECT u.id, u.channel, u.chat_id, u.locale{where} ORDER BY u.id", params
        ) as cur:
            rows = await cur.fetchall()
        return [Recipient(row[0], row[1], row[2], row[3]) for row in rows]
