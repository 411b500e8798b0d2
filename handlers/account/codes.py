"""One-time codes (officer invites, account links): drawing, showing and reading them, and the
limits on wrong guesses, per account and for the whole bot."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from handlers.common.notify import notify_user
from handlers.engine.events import Reply
from handlers.engine.turn import Turn
from storage import Store
from storage.models import Role, User

ALPHABET = "0123456789"  # digits: the phone keypad, no letter to mistake for another
# Twelve digits, shown as three groups of four ("4821 0937 5512"), and why that is enough:
# wrong codes are refused past BOT_MAX_FAILURES (30) an hour for the whole bot, however many
# accounts type them (and past ACCOUNT_MAX_FAILURES, 5, for one account). The longest-lived
# code, an officer invite, lives 3 days = 72 hours, so at most 30 × 72 = 2,160 guesses are
# checked in its whole life. Against 10^12 possible codes, with even 100 codes alive at once,
# one guess of them all finds a code with a chance of 2,160 × 100 / 10^12 ≈ 2 in 10 million;
# a link code (15 minutes) sees at most 8 guesses: about 1 in 10^9 with 100 alive.
# A claim code (handlers/claims/codes.py) lives 30 days = 720 hours: at most 30 × 720 = 21,600
# guesses, each checked only against the codes of the one producer picked, so even with 10
# codes alive for that producer the chance is 21,600 × 10 / 10^12 ≈ 2 in 10 million.
# Only digests of the codes are stored (storage/hashing.py).
CODE_DIGITS = 12
GROUP = 4
ACCOUNT_MAX_FAILURES = 5  # wrong codes per account and FAILURE_WINDOW, invites and links together
BOT_MAX_FAILURES = 30  # wrong codes of all accounts together per FAILURE_WINDOW
FAILURE_WINDOW = timedelta(hours=1)
_SEPARATORS = str.maketrans("", "", " .-_\u00a0\t")


def new_code() -> str:
    """A fresh random code of CODE_DIGITS characters of ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_DIGITS))


def shown(code: str) -> str:
    """The code as people read it: groups of four ("4821 0937 5512")."""
    return " ".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def typed(text: str) -> str:
    """What was typed, as a code: spaces, dots and dashes dropped, letters in capitals."""
    return text.translate(_SEPARATORS).upper()


def well_formed(code: str) -> bool:
    """Whether a typed code has the form of a code (the right length, right characters)."""
    return len(code) == CODE_DIGITS and all(ch in ALPHABET for ch in code)


async def account_failures(turn: Turn) -> int:
    """Wrong codes this account typed within the window (kept across data deletion)."""
    await turn.store.code_failures.prune(turn.now)  # every code typed passes here first
    return await turn.store.code_failures.of_account(
        turn.user.channel, turn.user.external_id, turn.now - FAILURE_WINDOW
    )


async def paused(turn: Turn) -> Reply | None:
    """A polite refusal while the whole bot has taken too many wrong codes, else None."""
    everyone = await turn.store.code_failures.of_everyone(turn.now - FAILURE_WINDOW)
    if everyone < BOT_MAX_FAILURES:
        return None
    await _tell_admins(turn)  # already told in this hour: the dedupe key keeps it to one
    return Reply(template="codes/paused",
                 context={"minutes": int(FAILURE_WINDOW.total_seconds()) // 60})


async def record_wrong(turn: Turn) -> int:
    """Count a wrong code of this account; how many tries it has left in the window."""
    await turn.store.code_failures.record(turn.user.channel, turn.user.external_id, turn.now)
    everyone = await turn.store.code_failures.of_everyone(turn.now - FAILURE_WINDOW)
    if everyone >= BOT_MAX_FAILURES:
        await _tell_admins(turn)
    return max(ACCOUNT_MAX_FAILURES - await account_failures(turn), 0)


async def _admins(store: Store, configured: frozenset[str]) -> list[User]:
    """Admins who can be messaged: named in the configuration, or granted the role."""
    found: dict[int, User] = {}
    for address in sorted(configured):
        channel, _, external_id = address.partition(":")
        user = await store.users.find(channel, external_id)
        if user is not None:
            found[user.id] = user
    for user in await store.users.staff():
        if user.role is Role.ADMIN:
            found[user.id] = user
    return list(found.values())


def _window(now: datetime) -> str:
    """The hour a notice is counted in (UTC), for its dedupe key."""
    return now.strftime("%Y%m%d%H")


async def _tell_admins(turn: Turn) -> None:
    """Tell every admin, once per hour window, that codes are refused for the whole bot."""
    window = _window(turn.now)
    context = {
        "count": BOT_MAX_FAILURES,
        "minutes": int(FAILURE_WINDOW.total_seconds()) // 60,
    }
    for admin in await _admins(turn.store, turn.config.admins):
        await notify_user(
            turn.store, turn.renderer, admin, "codes/ceiling_notice", context,
            kind="notice", dedupe_key=f"codes:ceiling:{window}:admin:{admin.id}",
            now=turn.now, urgent=True,
        )
