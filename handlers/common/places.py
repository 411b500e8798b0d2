"""Communes as officers pick and read them: the official unit by its code (the figures, the
broadcast audience and the console's product filter agree), named officially, with one choice,
"Chưa xác định xã", for the producers whose commune is no known place."""

from __future__ import annotations

from collections.abc import Iterable

from messages import Renderer
from messages.text import fold
from storage.places import commune_name

UNPLACED = "-"  # the value picking the producers of no known place (as storage/audience.py)


def commune_label(renderer: Renderer, locale: str, key: str) -> str:
    """A commune by its key: the official name of its code, or "Chưa xác định xã" for the
    producers whose commune is no known place (key '' or "-")."""
    if not key or key == UNPLACED:
        return renderer.label(locale, "figures.no_commune")
    return (commune_name(int(key)) if key.isdigit() else None) or key


def commune_of(code: int | None) -> str:
    """The key a producer's commune is picked by: its code, or "-" when it is no known place."""
    return UNPLACED if code is None else str(code)


def commune_choices(renderer: Renderer, locale: str, keys: Iterable[str]) -> list[tuple[str, str]]:
    """(key, name) of these communes in the order of their names; "Chưa xác định xã" last."""
    named = [(key, commune_label(renderer, locale, key)) for key in set(keys)]
    return sorted(named, key=lambda pair: (pair[0] == UNPLACED, fold(pair[1]), pair[0]))
