"""The console's dashboard shows the month's Zalo use when a Zalo bot runs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.channels.zalo_quota import QuotaPlan
from bot.web.context import utc_now
from storage import Database
from tests.web.support import console_server, seed, sign_in


async def test_the_dashboard_has_a_line_of_the_months_zalo_use(db: Database) -> None:
    seeded = await seed(db)
    plan = QuotaPlan(limit=3000, zone=ZoneInfo("Asia/Ho_Chi_Minh"))
    now = utc_now()
    async with db.transaction() as store:
        await store.channel_usage.add("zalo", plan.month(now), 2140, now)
    async with console_server(db, zalo_plan=plan) as http:
        await sign_in(http, db, seeded.users["vl"])
        page = (await http.get("/web/")).text
    month = now.astimezone(plan.zone).strftime("%m/%Y")
    assert f'id="zalo-quota">Zalo: đã dùng 2.140 / 3.000 tin trong tháng {month}.' in page
    async with console_server(db) as http:  # no Zalo bot: no line
        await sign_in(http, db, seeded.users["vl"])
        assert 'id="zalo-quota"' not in (await http.get("/web/")).text
