"""Rating: dossier review, results (one by one or from a file), revocations, re-rating notices."""

from handlers.engine.feature import Feature
from handlers.rating import (
    commune,
    commune_actions,
    product_code,
    reminders,
    results,
    review,
    revoke,
)

RATING = Feature(
    name="rating",
    flows=(review.flow, results.flow, revoke.flow, product_code.flow, commune.flow),
    reminder_rules=(reminders.certificate_rerating, commune_actions.commune_deadlines),
)
