"""Admins invite officers with a one-time code and see or revoke the officers in chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.account import codes
from handlers.account.steps import InviteAccept, Invites, Menu, Officer
from handlers.common import fields
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from storage import Store
from storage.models import Role, User
from storage.places import place_key

flow = Flow("invites", role=Role.ADMIN)
accept = Flow("invite_accept")
accept.command("macanbo", InviteAccept.CODE)

INVITE_TTL = timedelta(days=3)
MAX_FAILURES = codes.ACCOUNT_MAX_FAILURES  # counted together with wrong link codes
BACK = Choice(key="iv:back", label="common.back")


async def _province_name(turn: Turn, code: str | None) -> str:
    province = await turn.store.reference.province(code) if code else None
    return province.name if province else (code or "")


@flow.ask(Invites.PROVINCE)
async def ask_province(turn: Turn) -> list[Reply]:
    """Ask which province the new officer will work for."""
    # The provinces of the profile question, under this flow's own wording (an officer's
    # province, not "where is your business").
    question = await fields.question(turn, "province_code")
    return [question.model_copy(update={"template": "invites/ask_province",
                                        "choices": (*question.choices, BACK)})]


@flow.answer(Invites.PROVINCE, accepts=TEXT)
async def make_code(turn: Turn) -> list[Reply]:
    """Make a one-time code for an officer of the chosen province."""
    if turn.choice == BACK.key:
        return await turn.goto(Officer.MAIN)
    try:
        province = await fields.parse(turn, "province_code")
    except fields.Invalid as invalid:
        return await fields.refusal(turn, invalid)
    code, expires = await create_invite(turn.store, turn.user.address, province, turn.now)
    context = {
        "code": codes.shown(code),
        "province": await _province_name(turn, province),
        "expires_at": expires,
    }
    return [Reply(template="invites/code", context=context), *await turn.goto(Officer.MAIN)]


@flow.ask(Invites.STAFF)
async def show_staff(turn: Turn) -> list[Reply]:
    """List officers and admins granted a role, with a choice to revoke each officer."""
    people = []
    choices = []
    for person in await turn.store.users.staff():
        name = await _person_name(turn, person.producer_id) or person.address
        province = await _province_name(turn, person.officer_province)
        people.append(
            {
                "name": name,
                "account": person.address,
                "role": person.role.value,
                "province": province,
            }
        )
        if person.role is Role.OFFICER and person.id != turn.user.id:
            choices.append(
                Choice(key=f"rv:{person.id}", label="invites.revoke", context={"name": name})
            )
    return [Reply(template="invites/staff", context={"people": people}, choices=(*choices, BACK))]


async def _person_name(turn: Turn, producer_id: int | None) -> str:
    producer = await turn.store.users.producer(producer_id) if producer_id else None
    return producer.contact_person if producer else ""


@flow.answer(Invites.STAFF)
async def revoke(turn: Turn) -> list[Reply]:
    """Take the officer role away from the picked account."""
    if turn.choice == BACK.key:
        return await turn.goto(Officer.MAIN)
    person = await revoke_officer(turn.store, turn.user.address, int(turn.choice_arg), turn.now)
    if person is None:
        return await turn.again(Reply(template="invites/not_officer"))
    return await turn.again(Reply(template="invites/revoked", context={"account": person.address}))


async def create_invite(
    store: Store, actor: str, province: str, now: datetime, commune: str | None = None
) -> tuple[str, datetime]:
    """A new one-time code for an officer of a province, or the commune officer of one of its
    communes (audited), and when it expires."""
    expires = now + INVITE_TTL
    code = codes.new_code()
    while not await store.invites.create(code, province, actor, now, expires, commune):
        code = codes.new_code()
    await store.audit.record(
        actor, "officer_invite_created", now, subject=province,
        details={"expires_at": expires.isoformat(), "commune": commune},
    )
    return code, expires


async def revoke_officer(store: Store, actor: str, user_id: int, now: datetime) -> User | None:
    """Take the officer role from an account (audited); None if it is not an officer."""
    person = await store.users.get(user_id)
    if person is None or person.role is not Role.OFFICER:
        return None
    await store.users.revoke(person.id)
    await store.audit.record(actor, "revoke", now, subject=person.address)
    return person


@accept.ask(InviteAccept.CODE)
async def ask_code(turn: Turn) -> list[Reply]:
    """Ask for the invite code (or take it from `/macanbo 123456`)."""
    typed = "".join(ch for ch in turn.text.partition(" ")[2] if ch.isdigit())
    if turn.text.startswith("/") and typed:
        return await _take(turn, typed)
    return [Reply(template="invites/ask_code")]


@accept.answer(InviteAccept.CODE, accepts=TEXT, digits_are_text=True)
async def take_code(turn: Turn) -> list[Reply]:
    """Check the typed code and give the officer role."""
    return await _take(turn, "".join(ch for ch in turn.text if ch.isdigit()))


async def _take(turn: Turn, typed: str) -> list[Reply]:
    if await codes.account_failures(turn) >= MAX_FAILURES:
        return [Reply(template="invites/too_many"), *await turn.goto(Menu.MAIN)]
    paused = await codes.paused(turn)
    if paused is not None:
        return [paused, *await turn.goto(Menu.MAIN)]
    invite = await turn.store.invites.get(typed) if codes.well_formed(typed) else None
    if invite is not None and turn.user.role is Role.ADMIN:  # granting would demote them
        return [Reply(template="invites/already_admin"), *await turn.goto(Officer.MAIN)]
    if invite is None:
        left = await codes.record_wrong(turn)
        return [
            Reply(template="invites/wrong_code", context={"left": left}),
            *await turn.goto(Menu.MAIN),
        ]
    if not await turn.store.invites.spend(typed, turn.user.id, turn.now):
        return [Reply(template="invites/spent"), *await turn.goto(Menu.MAIN)]
    role = Role(invite.role)
    await turn.store.users.grant(
        turn.user.id, role, invite.province_code, f"invite:{invite.created_by}", turn.now
    )
    if invite.commune:
        await turn.store.communes.set_commune(turn.user.id, invite.commune,
                                              place_key(invite.commune))
    await turn.store.audit.record(
        invite.created_by,
        f"grant_{role.value}",
        turn.now,
        subject=turn.user.address,
        details={"province": invite.province_code, "invite": typed, "commune": invite.commune},
    )
    await turn.refresh_user()
    context = {"province": await _province_name(turn, invite.province_code),
               "commune": invite.commune or ""}
    if invite.commune:
        return [Reply(template="invites/welcome", context=context), *await turn.goto(Menu.MAIN)]
    return [Reply(template="invites/welcome", context=context), *await turn.goto(Officer.MAIN)]
