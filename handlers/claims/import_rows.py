"""One row of an imported list: what identifies it on a later run, its province, the producer
it creates, and the producers' names that look like the same producer."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from handlers.claims import values
from messages.text import normalize

UNKNOWN_ENTITY = "household"  # stored until the producer says; the list's silence is recorded
EntityOptions = list[tuple[str, tuple[str, ...]]]


@dataclass
class NewProducer:
    """A producer the import creates, unclaimed."""

    fields: dict[str, str]
    entity_known: bool


def row_key(province: str, producer: str, product: str, cells: dict[str, str],
            stars_year: str) -> str:
    """What identifies a list's row on any later run (a digest: it keeps no name readable)."""
    parts = (province, values.loose(producer), product,
             values.loose(cells.get("decision_number", "")), stars_year)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def province_cell(
    typed: str, provinces: list[Any], default: str | None
) -> tuple[str, str | None] | None:
    """The province a row names (code, former province), the import's default when empty."""
    if not typed:
        return (default, None) if default else None
    return values.province_of(typed, provinces)


def new_producer(
    entity_options: EntityOptions, cells: dict[str, str], phone: str | None, province: str
) -> NewProducer:
    """The producer a row names, as the import creates it (unclaimed)."""
    name = cells.get("producer_name", "")
    entity = values.entity_of(cells["entity_type"], entity_options) if cells.get(
        "entity_type") else None
    if entity is None:
        entity = values.entity_prefix(name, entity_options)[0]
    return NewProducer(
        fields={
            "name": normalize(name), "entity_type": entity or UNKNOWN_ENTITY,
            "contact_person": normalize(cells.get("contact_name", "")), "phone": phone or "",
            "province_code": province, "commune": normalize(cells.get("commune", "")),
        },
        entity_known=entity is not None,
    )


def probable_duplicates(
    entity_options: EntityOptions, new_producers: dict[str, NewProducer], known: list[Any]
) -> list[list[str]]:
    """Names of different producers that fold to the same words, for the officer to check."""
    entries: list[tuple[str, str, str]] = [  # (province, producer, name)
        (p.fields["province_code"], key, p.fields["name"])
        for key, p in new_producers.items() if p.fields["name"]
    ]
    entries += [(p.province_code, f"id:{p.id}", p.name) for p in known if p.name]
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for province, producer, name in entries:
        groups[(province, values.name_key(name, entity_options))][producer] = name
    new_keys = set(new_producers)
    return [
        sorted(set(members.values()))
        for members in groups.values()
        if len(members) > 1 and new_keys & set(members)
    ]
