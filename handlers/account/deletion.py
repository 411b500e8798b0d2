"""/xoadulieu: show what the bot holds about the user, then delete it after confirmation."""

from __future__ import annotations

from handlers.account.steps import Deletion, Menu
from handlers.common import fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Flow, Section, Turn

flow = Flow("deletion")
flow.command("xoadulieu", Deletion.EXPORT, listed=7)
flow.command("deletedata", Deletion.EXPORT)


@flow.ask(Deletion.EXPORT)
async def export(turn: Turn) -> list[Reply]:
    """Show everything kept about this user, and offer deletion."""
    profile: dict[str, str] = {}
    if turn.user.producer_id is not None:
        producer = await turn.store.users.producer(turn.user.producer_id)
        if producer is not None:
            profile = {name: str(getattr(producer, name)) for name in fields.FIELD_NAMES}
    draft = await turn.store.conversations.draft(turn.user.id, "onboarding") or {}
    sections: list[Section] = []
    for exporter in turn.registry.exporters:  # what each feature holds about the user
        sections.extend(await exporter(turn))
    context = {
        "account": turn.user.address,
        "channel": turn.user.channel,
        "profile": await fields.shown(turn, profile) if profile else {},
        "draft": await fields.shown(turn, draft) if draft else {},
        "consent_at": turn.user.consent_at,
        "reminders_on": turn.user.reminders_on,
        "announcements_on": turn.user.announcements_on,
        "sections": sections,
    }
    choices = (
        Choice(key="d:del", label="deletion.delete"),
        Choice(key="d:keep", label="deletion.keep"),
    )
    return [Reply(template="deletion/export", context=context, choices=choices)]


@flow.answer(Deletion.EXPORT)
async def ask_again(turn: Turn) -> list[Reply]:
    """Ask once more before deleting."""
    if turn.choice != "d:del":
        return [Reply(template="deletion/kept"), *await turn.goto(Menu.MAIN)]
    return await turn.goto(Deletion.CONFIRM)


@flow.ask(Deletion.CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """The explicit, last confirmation."""
    choices = (
        Choice(key="d:yes", label="deletion.confirm"),
        Choice(key="d:no", label="deletion.keep"),
    )
    official = 0
    if turn.user.producer_id is not None:
        official = len(await turn.store.official.certified_products(turn.user.producer_id))
    context = {"shared": await _shared(turn), "official": official}
    return [Reply(template="deletion/confirm", context=context, choices=choices)]


async def _shared(turn: Turn) -> bool:
    """Whether another linked account keeps using this user's profile."""
    if turn.user.producer_id is None:
        return False
    users = await turn.store.users.users_of_producer(turn.user.producer_id)
    return any(user.id != turn.user.id for user in users)


@flow.answer(Deletion.CONFIRM)
async def delete(turn: Turn) -> list[Reply]:
    """Delete the user's personal data, or keep it."""
    if turn.choice != "d:yes":
        return [Reply(template="deletion/kept"), *await turn.goto(Menu.MAIN)]
    if turn.user.producer_id is not None and not await _shared(turn):
        kept = await turn.store.official.certified_products(turn.user.producer_id)
        await _forget_traces(turn, turn.user.producer_id, kept)
        await turn.store.official.keep_for_claim(turn.user.producer_id, turn.now)
    for forget in turn.registry.forgetters:
        await forget(turn)
    await turn.store.linking.forget_user(turn.user.id)
    await turn.store.outbox.forget_user(turn.user.id)
    await turn.store.users.forget(turn.user.id)
    await turn.store.audit.record(turn.user.address, "personal_data_deleted", turn.now)
    await turn.refresh_user()
    return [Reply(template="deletion/done"), *await turn.goto(Menu.MAIN)]


async def _forget_traces(turn: Turn, producer_id: int, kept: list[int]) -> None:
    """Remove the profile that is about to go from what others were shown or told: messages
    to officers blanked, audit details about its products dropped (not about the certified
    ones, public records that stay), menus listing it forgotten."""
    producer = await turn.store.users.producer(producer_id)
    products = await turn.store.products.of_producer(producer_id)
    await turn.store.outbox.redact_about(producer_id, turn.now)
    await turn.store.audit.redact_details(
        [f"product:{product.id}" for product in products if product.id not in kept])
    shown = [product.name for product in products]
    if producer is not None:
        shown += [producer.name, producer.contact_person]
    await turn.store.conversations.forget_menus_showing(shown, except_user=turn.user.id)
