"""The list of conversation modules; importing one registers its steps and commands."""

from __future__ import annotations

import importlib

FLOW_MODULES = (
    "handlers.account.menu",
    "handlers.account.officer_menu",
    "handlers.account.help",
    "handlers.account.onboarding",
    "handlers.account.profile",
    "handlers.account.settings",
    "handlers.account.deletion",
    "handlers.account.invites",  # admins invite officers with a one-time code
    "handlers.account.linking",  # issue 6: one person, two channel accounts
    # issue 3: broadcasts, announcements, the draft nudge reminder
    "handlers.broadcasts.compose",
    "handlers.broadcasts.history",
    "handlers.broadcasts.announcements",
    "handlers.products.reminders",
    # issue 4: products, dossier, review, results, certificate expiry reminders
    "handlers.products.register",
    "handlers.products.summary",
    "handlers.products.mine",
    "handlers.products.dossier",
    "handlers.rating.review",
    "handlers.rating.results",
    "handlers.rating.reminders",
    # issue 5: rating rounds and trainings, with their reminders
    "handlers.rounds.officer",
    "handlers.rounds.changes",
    "handlers.rounds.producer",
    "handlers.rounds.reminders",
    "handlers.trainings.officer",
    "handlers.trainings.changes",
    "handlers.trainings.producer",
    "handlers.trainings.reminders",
)


def load() -> None:
    """Import every flow module (idempotent)."""
    for name in FLOW_MODULES:
        importlib.import_module(name)
