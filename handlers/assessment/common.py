"""What the self-assessment steps share: the product, its criteria set, the answers so far."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.assessment.score import Result, result_of
from handlers.engine.turn import Turn
from handlers.products.common import owned_product
from storage import Store
from storage.assessments import Answers, SelfAssessment
from storage.criteria_models import CriteriaSet, Criterion
from storage.product_models import Product


@dataclass
class Scoring:
    """A product's self-assessment in progress: its criteria and the answers given."""

    product: Product
    assessment: SelfAssessment
    criteria: CriteriaSet
    answers: Answers

    @property
    def scored(self) -> list[Criterion]:
        """The criteria to answer, in order."""
        return self.criteria.scored

    def index_of(self, key: str) -> int:
        """The position of a criterion among those to answer (0 if unknown)."""
        keys = [c.key for c in self.scored]
        return keys.index(key) if key in keys else 0

    def first_open(self) -> Criterion | None:
        """The first criterion not answered yet."""
        return next((c for c in self.scored if c.key not in self.answers), None)


async def set_number(store: Store, set_code: str | None) -> int | None:
    """The number of a product set in the decision (1–26), from the catalogue's order."""
    if set_code is None:
        return None
    codes = [s.code for s in await store.catalog.sets()]
    return codes.index(set_code) + 1 if set_code in codes else None


async def result_for(store: Store, assessment: SelfAssessment) -> Result | None:
    """The result of a stored self-assessment, read with the version it was made with."""
    criteria = await store.criteria.set_for(assessment.version, assessment.set_no)
    if criteria is None:
        return None
    answers = await store.assessments.answers(assessment.id)
    return result_of(criteria, answers, await store.catalog.star_bands())


async def scoring_of(turn: Turn) -> Scoring | None:
    """The self-assessment of the product in the turn's data (the producer's own), if started."""
    product = await owned_product(turn, turn.data.get("pid"))
    return await scoring_for(turn.store, product) if product is not None else None


async def scoring_for(store: Store, product: Product) -> Scoring | None:
    """A product's self-assessment with the criteria version it was made with, if started."""
    assessment = await store.assessments.of_product(product.id)
    if assessment is None:
        return None
    criteria = await store.criteria.set_for(assessment.version, assessment.set_no)
    if criteria is None:
        return None
    answers = await store.assessments.answers(assessment.id)
    return Scoring(product, assessment, criteria, answers)


async def score_of(turn: Turn, scoring: Scoring) -> Result:
    """The result of the answers so far."""
    return result_of(scoring.criteria, scoring.answers, await turn.store.catalog.star_bands())
