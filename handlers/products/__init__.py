"""Products: registration, the dossier, my products, and the nudge for unfinished drafts."""

from handlers.engine.feature import Feature
from handlers.products import dossier, mine, register, reminders, summary

PRODUCTS = Feature(
    name="products",
    flows=(register.flow, summary.flow, mine.flow, dossier.flow),
    reminder_rules=(reminders.nudge_stale_drafts,),
    exporters=(mine.export_products,),
)
