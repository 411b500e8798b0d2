"""The list of conversation modules; importing one registers its steps and commands."""

from __future__ import annotations

import importlib

FLOW_MODULES = (
    "handlers.menu",
    "handlers.officer_menu",
    "handlers.help",
    "handlers.onboarding",
    "handlers.profile",
    "handlers.preferences",
    "handlers.deletion",
    "handlers.invites",  # admins invite officers with a one-time code
    "handlers.linking",  # issue 6: one person, two channel accounts
    # issue 3: broadcasts, announcements, the draft nudge reminder
    "handlers.broadcast",
    "handlers.broadcast_history",
    "handlers.announcements",
    "handlers.draft_nudge",
    # issue 4: products, dossier, review, results, certificate expiry reminders
    "handlers.products_register",
    "handlers.products_summary",
    "handlers.products_mine",
    "handlers.dossier",
    "handlers.review",
    "handlers.results",
    "handlers.expiry_reminders",
    # issue 5: rating rounds and trainings, with their reminders
    "handlers.rounds_officer",
    "handlers.rounds_changes",
    "handlers.rounds_producer",
    "handlers.round_reminders",
    "handlers.trainings_officer",
    "handlers.trainings_changes",
    "handlers.trainings_producer",
    "handlers.training_reminders",
)


def load() -> None:
    """Import every flow module (idempotent)."""
    for name in FLOW_MODULES:
        importlib.import_module(name)
