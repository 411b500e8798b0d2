"""What the dispatcher checks before a step sees a message: choice offered, role, kind."""

from __future__ import annotations

from handlers.engine.events import InputKind
from handlers.engine.turn import Turn
from storage.models import ConversationState, Role


def offers(state: ConversationState, key: str | None) -> bool:
    """Whether the pressed choice `key` is one the current step offered."""
    return key is not None and any(choice.key == key for choice in state.offered)


def allowed(turn: Turn, role: Role) -> bool:
    """Whether the turn's user holds `role` (a province officer may do a commune's step)."""
    if role is Role.ADMIN:
        return turn.user.role is Role.ADMIN
    if role is Role.COMMUNE_OFFICER:  # the commune's step: its officer, or the province's
        return turn.user.is_officer or turn.user.role is Role.COMMUNE_OFFICER
    return turn.user.is_officer


def not_expected(kind: InputKind, state: ConversationState) -> str:
    """The template that says this kind of message is not what the step asks for."""
    if kind in (InputKind.PHOTO, InputKind.DOCUMENT, InputKind.OTHER):
        return "errors/text_expected" if not state.offered else "errors/pick_a_choice"
    return "errors/pick_a_choice"
