"""Rating: dossier review, results (one by one or from a file), certificate expiry reminders."""

from handlers.engine.feature import Feature
from handlers.rating import reminders, results, review

RATING = Feature(
    name="rating",
    flows=(review.flow, results.flow),
    reminder_rules=(reminders.certificate_expiry,),
)
