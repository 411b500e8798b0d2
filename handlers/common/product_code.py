"""The OCOP product code `(T)-(X)-(STT)-năm`: T the province's code and X the commune's (the
administrative codes of 19/2025/QĐ-TTg), STT the commune's serial number, then the year."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from messages.text import normalize
from storage import Store

# Province codes have 2 digits and commune codes 5; a serial number up to 4; the year 4.
_SHAPE = re.compile(r"^(\d{2})-(\d{5})-(\d{1,4})-(\d{4})$")
_DASHES = re.compile(r"\s*[-‐‑‒–—/]\s*")
FIRST_YEAR = 2018  # the programme's first rating year (490/QĐ-TTg)


def read_product_code(typed: str, this_year: int) -> str | None:
    """The code in its stored form ("86-29254-001-2026"), or None when its shape is wrong.

    Spaces and any dash are accepted between the parts; the serial number keeps its zeros."""
    text = _DASHES.sub("-", normalize(typed).strip().strip("()"))
    text = text.replace("(", "").replace(")", "")
    match = _SHAPE.match(text)
    if match is None or not FIRST_YEAR <= int(match[4]) <= this_year + 1:
        return None
    return text


async def code_of_row(store: Store, typed: Any, seen: set[str],
                      today: date) -> str | tuple[str, dict[str, Any]] | None:
    """A list row's OCOP product code (an optional column), or why the row is refused: the
    shape is wrong, or another row or product has the code."""
    if not str(typed or "").strip():
        return None
    code = read_product_code(str(typed), today.year)
    if code is None:
        return ("bad_product_code", {"value": typed})
    if code in seen or await store.official.product_with_code(code) is not None:
        return ("product_code_used", {"value": code})
    seen.add(code)
    return code
