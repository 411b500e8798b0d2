"""`ocop-bot grant officer|commune-officer|admin` and `ocop-bot revoke`: roles given from
the command line.

A role change never silently drops another: an admin made officer of a province stays an
admin (with that province as their own), an officer made admin keeps their province.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.cli.products import province_code
from bot.cli.say import REFUSED, USAGE, help_text, say, stop
from bot.config import Settings
from handlers.common.commune import commune_key
from messages.text import normalize
from storage import open_database
from storage.models import Role, User

CHANNELS = ("telegram", "zalo", "terminal")


def split_address(address: str) -> tuple[str, str]:
    """`telegram:12345` as ("telegram", "12345"); exit 2 with a line if not written so."""
    channel, sep, external_id = address.strip().partition(":")
    if not sep or channel not in CHANNELS or not external_id.strip():
        raise stop(USAGE, "bad_address")
    return channel, external_id.strip()


def roles_text(role: Role, province: str | None) -> str:
    """The roles an account holds, in words."""
    parts = []
    if role is Role.ADMIN:
        parts.append(say("role_admin"))
    if province is not None and role in (Role.ADMIN, Role.OFFICER):
        parts.append(say("role_officer", province=province))
    if role is Role.COMMUNE_OFFICER:
        parts.append(say("role_commune_officer", province=province))
    return ", ".join(parts) or say("none")


def merged(user: User | None, role: Role, code: str | None) -> tuple[Role, str | None]:
    """The role and province after adding `role` (of `code`) to what `user` already holds."""
    had = user.role if user is not None else Role.PRODUCER
    had_province = user.officer_province if user is not None else None
    if role is Role.ADMIN:
        return Role.ADMIN, had_province
    return (Role.ADMIN if had is Role.ADMIN else Role.OFFICER), code


async def _grant(address: str, role: Role, province: str | None) -> str:
    settings = Settings()
    channel, external_id = split_address(address)
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province) if province is not None else None
        user = await store.users.find(channel, external_id)
        new_role, new_province = merged(user, role, code)
        if user is None:
            user = await store.users.reserve(channel, external_id, now)
        await store.users.grant(user.id, new_role, new_province, "cli", now)
        await store.audit.record(
            "cli", f"grant_{role.value}", now, subject=address,
            details={"province": code, "role": new_role.value, "role_province": new_province},
        )
        return say("granted", address=address, roles=roles_text(new_role, new_province))


async def _grant_commune(address: str, province: str, commune: str) -> str:
    settings = Settings()
    channel, external_id = split_address(address)
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        code = await province_code(store, province)
        user = await store.users.find(channel, external_id)
        if user is not None and user.role in (Role.ADMIN, Role.OFFICER):
            raise stop(REFUSED, "commune_over_officer", address=address)  # one role a person
        if user is None:
            user = await store.users.reserve(channel, external_id, now)
        await store.users.grant(user.id, Role.COMMUNE_OFFICER, code, "cli", now)
        await store.communes.set_commune(user.id, normalize(commune), commune_key(commune))
        await store.audit.record("cli", "grant_commune_officer", now, subject=address,
                                 details={"province": code, "commune": commune})
        place = f"{normalize(commune)}, {code}"
        return say("granted", address=address,
                   roles=roles_text(Role.COMMUNE_OFFICER, place))


def grant_commune_officer(
    address: Annotated[str, typer.Argument(help=help_text("address_help"))],
    province: Annotated[str, typer.Option(help=help_text("province_help"))],
    commune: Annotated[str, typer.Option(help=help_text("help.opt_commune_name"))],
) -> None:
    """Make an account the commune officer of one commune of a province."""
    if not commune_key(commune):
        raise stop(USAGE, "bad_commune_name")
    typer.echo(asyncio.run(_grant_commune(address, province, commune)))


def grant_officer(
    address: Annotated[str, typer.Argument(help=help_text("address_help"))],
    province: Annotated[str, typer.Option(help=help_text("province_help"))],
) -> None:
    """Make an account an officer of a province (an admin stays admin)."""
    typer.echo(asyncio.run(_grant(address, Role.OFFICER, province)))


def grant_admin(address: Annotated[str, typer.Argument(help=help_text("address_help"))]) -> None:
    """Make an account an admin (an officer keeps their province)."""
    typer.echo(asyncio.run(_grant(address, Role.ADMIN, None)))


def revoke(address: Annotated[str, typer.Argument(help=help_text("address_help"))]) -> None:
    """Take an account's officer and admin roles away."""
    settings = Settings()
    channel, external_id = split_address(address)

    async def main() -> bool:
        now = datetime.now(UTC)
        async with open_database(settings.database) as db, db.transaction() as store:
            user = await store.users.find(channel, external_id)
            if user is None or not await store.users.revoke(user.id):
                return False
            await store.audit.record("cli", "revoke", now, subject=address)
            return True

    if not asyncio.run(main()):
        raise stop(REFUSED, "no_role", address=address)
    typer.echo(say("revoked", address=address))


def register(app: typer.Typer) -> None:
    """Add `grant officer|admin` and `revoke` to the `ocop-bot` app."""
    grant_app = typer.Typer(help=help_text("grant_help"), no_args_is_help=True)
    grant_app.command("officer", help=help_text("grant_officer_help"))(grant_officer)
    grant_app.command("commune-officer", help=help_text("help.cmd_grant_commune_officer"))(
        grant_commune_officer)
    grant_app.command("admin", help=help_text("grant_admin_help"))(grant_admin)
    app.add_typer(grant_app, name="grant")
    app.command("revoke", help=help_text("revoke_help"))(revoke)
