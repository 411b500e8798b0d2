"""Old home of the step registry, now in `handlers.engine.turn` (kept while imports move)."""

from handlers.engine.turn import CHOICES_ONLY, FILES, TEXT, Command, Flow, Step, StepFn

__all__ = ["CHOICES_ONLY", "FILES", "TEXT", "Command", "Flow", "Step", "StepFn"]
