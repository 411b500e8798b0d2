"""Wiring and the outside world: settings, CLI, channel adapters, sender and scheduler."""
