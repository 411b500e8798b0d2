"""The console's dashboard shows the month's Zalo use when a Zalo bot runs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.channels.zalo_quota import QuotaPlan
from bot.web.context import utc_now
from storage import Database
from tests.outbox.support import seed_producers
from tests.web.support import console_server, csrf_of, seed, sign_in


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


async def test_the_broadcast_preview_says_what_it_takes_of_the_zalo_quota(db: Database) -> None:
    seeded = await seed(db)
    await seed_producers(db, 3, utc_now(), channel="zalo", province="VL", first_id=7000)
    plan = QuotaPlan(limit=3000, zone=ZoneInfo("Asia/Ho_Chi_Minh"))
    now = utc_now()
    async with db.transaction() as store:
        await store.channel_usage.add("zalo", plan.month(now), 2849, now)
    async with console_server(db, zalo_plan=plan) as http:
        await sign_in(http, db, seeded.users["vl"])
        csrf = csrf_of((await http.get("/web/broadcasts")).text)
        preview = await http.post("/web/broadcasts/preview",
                                  data={"csrf": csrf, "text": "Hội chợ OCOP ngày 20/12"})
    assert preview.status_code == 200
    line = preview.text.split('id="zalo-quota"', 1)[1].split("</p>", 1)[0]
    assert "Trên Zalo, thông báo này đến 3 người" in line
    assert "còn 151 / 3.000 tin" in line and "Không đủ cho tất cả" in line
    assert 'class="notice"' in line  # set apart: announcements stop at 95 % of the plan
