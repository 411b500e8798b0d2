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
)


def load() -> None:
    """Import every flow module (idempotent)."""
    for name in FLOW_MODULES:
        importlib.import_module(name)
