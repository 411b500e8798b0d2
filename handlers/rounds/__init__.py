"""Rating rounds: officers create and change them; producers see deadlines and enter."""

from handlers.engine.feature import Feature
from handlers.rounds import changes, officer, producer, reminders

ROUNDS = Feature(
    name="rounds",
    flows=(officer.flow, changes.flow, producer.flow),
    reminder_rules=(reminders.registration_deadline, reminders.dossier_deadline),
)
