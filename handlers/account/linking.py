"""Link one person's accounts (Telegram and Zalo) to one profile with a one-time code."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.account import codes, profile
from handlers.account.deletion import Section
from handlers.account.steps import Linking, Menu, Profile
from handlers.common import fields
from handlers.common.notify import notify_user
from handlers.engine.events import Choice, Reply
from handlers.engine.turn import TEXT, Flow, Turn
from storage.linking import LinkCode
from storage.models import User

flow = Flow("linking")
flow.command("lienket", Linking.START, listed=13)
flow.command("link", Linking.START)

CODE_TTL = timedelta(minutes=15)
MAX_FAILURES = codes.ACCOUNT_MAX_FAILURES  # wrong codes per account (with invite codes) …
FAILURE_WINDOW = codes.FAILURE_WINDOW  # … in this window, then typing codes waits
_COMMAND_WITH_CODE = re.compile(r"/(?:lienket|link)(?:@\w+)?\s+([\d .\-]{4,40})", re.IGNORECASE)

BACK = Choice(key="k:back", label="common.back")
profile.EXTRA_ITEMS.append(
    Choice(key="f:link", label="linking.menu_item", context={"step": Linking.START})
)


async def _back(turn: Turn) -> list[Reply]:
    """Back to the profile, or to the menu for an account without one."""
    return await turn.goto(Profile.SHOW if turn.user.producer_id else Menu.MAIN)


async def _accounts(turn: Turn) -> list[User]:
    if turn.user.producer_id is None:
        return [turn.user]
    users = await turn.store.users.users_of_producer(turn.user.producer_id)
    return [u for u in users if u.channel != "terminal" or u.id == turn.user.id]


@flow.ask(Linking.START)
async def start(turn: Turn) -> list[Reply]:
    """Explain linking and offer: show a code here, type a code from the other account."""
    typed = _COMMAND_WITH_CODE.fullmatch(turn.text)
    if typed:  # "/lienket 4821 0937 5512" in one message
        return await _take_code(turn, codes.typed(typed.group(1)))
    accounts = await _accounts(turn)
    has_profile = turn.user.producer_id is not None
    choices = [Choice(key="k:show", label="linking.show_code")] if has_profile else []
    choices.append(Choice(key="k:enter", label="linking.enter_code"))
    if len(accounts) > 1:
        choices.append(Choice(key="k:notify", label="linking.notify"))
    choices.append(BACK)
    context = {"has_profile": has_profile, "channels": [u.channel for u in accounts]}
    return [Reply(template="linking/start", context=context, choices=tuple(choices))]


@flow.answer(Linking.START)
async def pick(turn: Turn) -> list[Reply]:
    """Open what was picked."""
    match turn.choice:
        case "k:show":
            return await turn.goto(Linking.CODE)
        case "k:enter":
            return await turn.goto(Linking.ENTER)
        case "k:notify":
            return await turn.goto(Linking.NOTIFY)
    return await _back(turn)


@flow.ask(Linking.CODE)
async def show_code(turn: Turn) -> list[Reply]:
    """Make a one-time code and say where to type it."""
    if turn.user.producer_id is None:
        return [Reply(template="errors/profile_needed"), *await turn.goto(Menu.MAIN)]
    expires = turn.now + CODE_TTL
    for _ in range(10):
        code = codes.new_code()
        if await turn.store.linking.create_code(turn.user.id, code, turn.now, expires):
            break
    else:  # pragma: no cover - 10^12 codes cannot all be alive at once
        return await turn.again(Reply(template="errors/generic"))
    context = {"code": codes.shown(code), "expires_at": expires, "minutes": CODE_TTL.seconds // 60}
    return [Reply(template="linking/code", context=context, choices=(BACK,))]


@flow.answer(Linking.CODE)
async def after_code(turn: Turn) -> list[Reply]:
    """Leave the code screen."""
    return await _back(turn)


@flow.ask(Linking.ENTER)
async def ask_code(turn: Turn) -> list[Reply]:
    """Ask for the code shown on the other account."""
    return [Reply(template="linking/ask_code", choices=(BACK,))]


@flow.answer(Linking.ENTER, accepts=TEXT, digits_are_text=True)
async def take_code(turn: Turn) -> list[Reply]:
    """Check the typed code; a good one leads to the confirmation."""
    # Typed numbers are read as a code here, but "1" is never one: it is the numbered Back
    # that Zalo and the terminal show under the question.
    if turn.choice == "k:back" or turn.text in ("0", "1"):
        return await _back(turn)
    return await _take_code(turn, codes.typed(turn.text))


async def _take_code(turn: Turn, typed: str) -> list[Reply]:
    if await codes.account_failures(turn) >= MAX_FAILURES:
        minutes = FAILURE_WINDOW.seconds // 60
        return [Reply(template="linking/too_many", context={"minutes": minutes}),
                *await turn.goto(Menu.MAIN)]
    paused = await codes.paused(turn)
    if paused is not None:
        return [paused, *await turn.goto(Menu.MAIN)]
    if not codes.well_formed(typed):
        return await _ask_code_again(turn, Reply(template="linking/code_format"))
    code = await turn.store.linking.code(typed)
    if code is None:
        left = await codes.record_wrong(turn)
        if left <= 0:
            return [Reply(template="linking/too_many",
                          context={"minutes": FAILURE_WINDOW.seconds // 60}),
                    *await turn.goto(Menu.MAIN)]
        return await _ask_code_again(turn, Reply(template="linking/wrong_code",
                                                 context={"left": left}))
    problem = await _problem(turn, code)
    if problem is not None:
        return [Reply(template=problem), *await _back(turn)]
    return await turn.goto(Linking.CONFIRM, code=code.code)


async def _ask_code_again(turn: Turn, reply: Reply) -> list[Reply]:
    if turn.step != Linking.ENTER:
        return [reply, *await turn.goto(Linking.ENTER)]
    return await turn.again(reply)


async def _problem(turn: Turn, code: LinkCode) -> str | None:
    """Why this code cannot link this account now (a template), or None."""
    if code.used_at is not None:
        return "linking/code_used"
    if code.expires_at <= turn.now:
        return "linking/code_expired"
    if code.user_id == turn.user.id:
        return "linking/own_code"
    owner = await turn.store.users.get(code.user_id)
    if owner is None or owner.producer_id is None:
        return "linking/code_expired"
    if owner.producer_id == turn.user.producer_id:
        return "linking/already_linked"
    return None


async def _owner(turn: Turn) -> tuple[LinkCode, User] | None:
    code = await turn.store.linking.code(str(turn.data.get("code", "")))
    if code is None or await _problem(turn, code) is not None:
        return None
    owner = await turn.store.users.get(code.user_id)
    return (code, owner) if owner is not None else None


async def _profile(turn: Turn, producer_id: int) -> dict[str, str]:
    producer = await turn.store.users.producer(producer_id)
    assert producer is not None
    values = {name: str(getattr(producer, name)) for name in fields.FIELD_NAMES}
    return await fields.shown(turn, values)


@flow.ask(Linking.CONFIRM)
async def confirm(turn: Turn) -> list[Reply]:
    """Show the profile to join; if this account has its own, ask which one to keep."""
    found = await _owner(turn)
    if found is None:
        return [Reply(template="linking/code_expired"), *await _back(turn)]
    owner = found[1]
    assert owner.producer_id is not None
    theirs = await _profile(turn, owner.producer_id)
    context = {"channel": owner.channel, "theirs": theirs}
    if turn.user.producer_id is None:
        link_only = (Choice(key="k:yes", label="linking.link_yes"),
                     Choice(key="k:no", label="linking.cancel"))
        return [Reply(template="linking/confirm", context=context, choices=link_only)]
    mine = await _profile(turn, turn.user.producer_id)
    choices = (
        Choice(key="k:theirs", label="linking.keep_theirs", context={"name": theirs["name"]}),
        Choice(key="k:mine", label="linking.keep_mine", context={"name": mine["name"]}),
        Choice(key="k:no", label="linking.cancel"),
    )
    return [Reply(template="linking/choose_profile", context={**context, "mine": mine},
                  choices=choices)]


@flow.answer(Linking.CONFIRM)
async def link(turn: Turn) -> list[Reply]:
    """Link the accounts, keeping the profile the user chose; nothing else is dropped."""
    if turn.choice not in ("k:yes", "k:theirs", "k:mine"):
        return [Reply(template="linking/cancelled"), *await _back(turn)]
    found = await _owner(turn)
    if found is None or not await turn.store.linking.use_code(found[0].code, turn.user.id,
                                                               turn.now):
        code = await turn.store.linking.code(str(turn.data.get("code", "")))
        problem = (await _problem(turn, code) if code else None) or "linking/code_expired"
        return [Reply(template=problem), *await _back(turn)]
    code, owner = found
    assert owner.producer_id is not None
    kept, moved, left = owner.producer_id, 0, 0
    if turn.user.producer_id is None:
        await turn.store.users.attach_producer(turn.user.id, owner.producer_id)
        if turn.user.consent_at is None:
            await turn.store.users.give_consent(turn.user.id, turn.now)
    else:
        dropped, kept = owner.producer_id, turn.user.producer_id
        if turn.choice == "k:theirs":
            dropped, kept = kept, dropped
        result = await turn.store.linking.merge_producers(dropped, kept, turn.user.id, turn.now)
        moved, left = sum(result.moved.values()), result.left
    await turn.store.audit.record(
        turn.user.address, "accounts_linked", turn.now, subject=owner.address,
        details={"kept_producer": kept, "moved": moved, "left": left},
    )
    await notify_user(
        turn.store, turn.renderer, owner, "linking/linked_notice",
        {"channel": turn.user.channel}, kind="notice", dedupe_key=f"link:{code.code}",
        now=turn.now, urgent=True,
    )
    await turn.refresh_user()
    context = {"channel": owner.channel, "moved": moved, "left": left}
    return [Reply(template="linking/linked", context=context), *await turn.goto(Linking.NOTIFY)]


@flow.ask(Linking.NOTIFY)
async def ask_target(turn: Turn) -> list[Reply]:
    """Offer the linked accounts as the one that receives notices."""
    if turn.user.producer_id is None:
        return [Reply(template="errors/profile_needed"), *await turn.goto(Menu.MAIN)]
    accounts = [u for u in await _accounts(turn) if u.channel != "terminal"] or [turn.user]
    current = await turn.store.linking.notify_target(turn.user.producer_id)
    current = current or next((u.id for u in accounts if u.active), None)
    choices = tuple(
        Choice(
            key=f"n:{u.id}",
            label="linking.target",
            context={
                "channel": u.channel, "current": u.id == current, "here": u.id == turn.user.id
            },
        )
        for u in accounts
    )
    return [Reply(template="linking/ask_notify", choices=(*choices, BACK))]


@flow.answer(Linking.NOTIFY)
async def take_target(turn: Turn) -> list[Reply]:
    """Save the account that receives notices (it must be one of this profile's)."""
    if not (turn.choice or "").startswith("n:") or turn.user.producer_id is None:
        return await _back(turn)
    accounts = {u.id: u for u in await _accounts(turn)}
    target = accounts.get(int(turn.choice_arg)) if turn.choice_arg.isdigit() else None
    if target is None:
        return await turn.again(Reply(template="errors/stale_menu"))
    await turn.store.linking.set_notify_target(turn.user.producer_id, target.id, turn.now)
    return [Reply(template="linking/notify_saved", context={"channel": target.channel}),
            *await _back(turn)]


async def export(turn: Turn) -> list[Section]:
    """For /xoadulieu: the accounts linked to this user's profile."""
    if turn.user.producer_id is None:
        return []
    accounts = await _accounts(turn)
    if len(accounts) < 2:
        return []
    target = await turn.store.linking.notify_target(turn.user.producer_id)
    lines = []
    for user in accounts:
        line = f"{turn.renderer.label(turn.locale, f'linking.channel_{user.channel}')}:"
        line += f" {user.external_id}"
        if user.id == target:
            line += f" ({turn.renderer.label(turn.locale, 'linking.receives')})"
        lines.append(line)
    return [("linking.section", lines)]
