"""The reference data files shipped in `storage/data/` (provinces, product groups, …)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def bundled(name: str) -> Any:
    """Read a reference data file shipped in `storage/data/`."""
    return json.loads((resources.files("storage") / "data" / name).read_text(encoding="utf-8"))
