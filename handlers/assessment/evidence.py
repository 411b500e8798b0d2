"""Which proof each criterion needs (Mẫu 02's evidence guide) and the dossier item it goes in.

The links are reference data (storage/data/criteria_evidence.json): words of a criterion or of
its heading, folded, point to a row of the guide and to the dossier item where the producer
sends the photo or file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from messages import fold
from storage import Store
from storage.bundled import bundled
from storage.criteria_models import CriteriaSet, Criterion, EvidenceRow
from storage.product_models import DossierItem


@dataclass(frozen=True)
class Proof:
    """What proves a criterion, and the dossier item to send it in (None: kept on paper)."""

    evidence: EvidenceRow
    item: DossierItem | None


@cache
def _links() -> tuple[tuple[int, str | None, tuple[str, ...]], ...]:
    return tuple((link["row"], link["item"], tuple(link["words"]))
                 for link in bundled("criteria_evidence.json"))


def evidence_row_of(label: str, heading: str = "") -> int | None:
    """The evidence guide's row for a criterion, by its words (then its heading's)."""
    for text in (fold(label), fold(heading)):
        for row, _, words in _links():
            if any(word in text for word in words):
                return row
    return None


def item_code_of(row: int) -> str | None:
    """The dossier item where the proof of an evidence guide's row is sent."""
    return next((item for r, item, _ in _links() if r == row and item), None)


async def proofs(store: Store, criteria: CriteriaSet, group_code: str | None) -> dict[str, Proof]:
    """The proof of every criterion that has one in the guide, by criterion key."""
    guide = {row.row_no: row for row in await store.criteria.evidence(criteria.version)}
    items = {item.code: item for item in await store.catalog.dossier_items(group_code)}
    found: dict[str, Proof] = {}
    for row in criteria.scored:
        heading = criteria.heading_of(row)
        number = evidence_row_of(row.label, heading.label if heading else "")
        if number is None or number not in guide:
            continue
        code = item_code_of(number)
        found[row.key] = Proof(guide[number], items.get(code) if code else None)
    return found


def needs_proof(row: Criterion, option_no: int | None) -> bool:
    """Whether the chosen option claims something (more than 0 points) that needs proof."""
    option = row.option(option_no)
    return option is not None and option.points > 0
