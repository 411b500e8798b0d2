"""The values an officer may pick for one audience filter, as shown: a commune by its official
name (the producers of no known place as one choice, "Chưa xác định xã")."""

from __future__ import annotations

from handlers.common.places import commune_choices
from messages import Renderer
from storage import Store


async def audience_options(store: Store, renderer: Renderer, locale: str, key: str,
                           province: str | None) -> list[tuple[str, str]]:
    """(value, text) pairs of a filter in the province (every province for None)."""
    options = await store.audience.options(key, province)
    if key == "commune":
        return commune_choices(renderer, locale, (value for value, _ in options))
    return options
