"""Who may act where: an officer in their own province, an admin anywhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from handlers.common import fields
from handlers.common.resume import offer_resume
from handlers.engine.events import Reply
from handlers.engine.turn import TEXT, Flow, Turn
from storage.models import Role, User


class ProvinceItem(Protocol):
    """Something an officer runs in one province: a rating round, a training."""

    @property
    def status(self) -> str: ...

    @property
    def province_code(self) -> str: ...


Item = TypeVar("Item", bound=ProvinceItem)


def managed_province(user: User) -> str | None:
    """The province an officer manages ('' matches nothing if none was granted); None for
    admins, who manage every province."""
    return (user.officer_province or "") if user.role is Role.OFFICER else None


def may_manage(user: User, province_code: str) -> bool:
    """An officer acts in their own province (products, rounds, trainings); an admin anywhere."""
    return user.role is Role.ADMIN or (
        user.role is Role.OFFICER
        and bool(user.officer_province)
        and user.officer_province == province_code
    )


def officer_scope(turn: Turn) -> str | None:
    """The province an officer's lists are limited to (None: every province, for admins)."""
    return managed_province(turn.user)


async def owned_item(
    turn: Turn, item_id: object, get: Callable[[int], Awaitable[Item | None]]
) -> Item | None:
    """An officer's item in their province that may still be changed or cancelled: it is
    active (one cancelled meanwhile, e.g. by another officer, can be neither changed nor
    cancelled again) and this officer may manage its province."""
    try:
        item = await get(int(str(item_id)))
    except ValueError:
        return None
    if item is None or item.status != "active":
        return None
    return item if may_manage(turn.user, item.province_code) else None


async def start_new(turn: Turn, province_step: str, first_step: str) -> list[Reply]:
    """Begin a new round or training: in the officer's own province, or ask an admin which."""
    province = managed_province(turn.user)
    if province is None:
        return await turn.goto(province_step)
    return await turn.goto(first_step, province=province)


def add_province_steps(flow: Flow, province_step: str, first_step: str) -> None:
    """Register `province_step`, where an admin names the province, then `first_step` follows."""

    @flow.ask(province_step)
    async def ask_province(turn: Turn) -> list[Reply]:
        """An admin says which province it is for (the round's or training's, not a producer's)."""
        asked = await fields.question(turn, "province_code")
        context = {**asked.context, "item": flow.name}
        template = "profile/ask_item_province"
        return [asked.model_copy(update={"template": template, "context": context})]

    @flow.answer(province_step, accepts=TEXT)
    async def take_province(turn: Turn) -> list[Reply]:
        """Take the province, then ask the first question."""
        try:
            code = await fields.parse(turn, "province_code")
        except fields.Invalid as invalid:
            return await fields.refusal(turn, invalid)
        return await turn.goto(first_step, province=code)


def add_new_item_steps(
    flow: Flow, *, kind: str, province_step: str, first_step: str, fresh_step: str
) -> Callable[[Turn], Awaitable[list[Reply]]]:
    """Register how a new round or training begins (the province step for admins, and
    `fresh_step`, the first question again once a left draft is dropped); returns what
    "new" does: offer the `kind` draft left before, or start."""
    add_province_steps(flow, province_step, first_step)

    @flow.ask(fresh_step)
    async def fresh(turn: Turn) -> list[Reply]:
        """Start anew from the first question (the draft was dropped)."""
        return await start_new(turn, province_step, first_step)

    async def begin(turn: Turn) -> list[Reply]:
        return await offer_resume(turn, kind, fresh_step) or await start_new(
            turn, province_step, first_step
        )

    return begin
