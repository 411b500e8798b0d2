"""Rating: dossier review, results (one by one or from a file), re-rating notices."""

from handlers.engine.feature import Feature
from handlers.rating import reminders, results, review

RATING = Feature(
    name="rating",
    flows=(review.flow, results.flow),
    reminder_rules=(reminders.certificate_rerating,),
)
