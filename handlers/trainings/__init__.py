"""Trainings: officers create and change them; producers enrol; reminders before they start."""

from handlers.engine.feature import Feature
from handlers.trainings import changes, officer, producer, reminders

TRAININGS = Feature(
    name="trainings",
    flows=(officer.flow, changes.flow, producer.flow),
    reminder_rules=(reminders.training_starts,),
    exporters=(producer.export,),
    forgetters=(producer.forget,),
)
