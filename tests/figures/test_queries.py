"""Every figure against the hand-counted province of tests/figures/fixture.py."""

from __future__ import annotations

from storage import Database
from storage.figure_models import Scope, Stars
from tests.figures.fixture import NOW, TODAY, fill


async def test_province_summary_matches_the_hand_count(db: Database) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
        hp = await store.figures.province_summary("HP", 2026, TODAY)
    assert hp.in_force == Stars(three=1, four=2, five=1)
    assert hp.new_this_year == Stars(four=1, five=1)
    assert (hp.target, hp.gap) == (5, 3)
    assert hp.pipeline == {"draft": 1, "at_commune": 0, "submitted": 1, "returned": 0,
                           "accepted": 1, "rated": 0}
    assert (hp.expiring, hp.expiring_on_bot, hp.expired) == (2, 1, 0)  # 3 was re-rated
    assert (hp.producers, hp.claimed, hp.unclaimed, hp.active_30d) == (3, 2, 1, 1)
    assert (hp.open_rounds, hp.round_entries) == (1, 1)
    assert (hp.trainings, hp.enrolled, hp.waiting, hp.attended) == (2, 3, 1, 2)


async def test_country_adds_every_province(db: Database) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
        await store.targets.set("HN", 2026, 4, by="cli", now=NOW)
        country = await store.figures.province_summary(None, 2026, TODAY)
        by_province = await store.figures.breakdown(Scope(), 2026, TODAY, "province")
    assert country.in_force == Stars(three=1, four=2, five=2)
    assert country.new_this_year == Stars(four=1, five=2)
    assert (country.target, country.gap) == (9, 6)
    assert (country.producers, country.claimed, country.active_30d) == (4, 3, 2)
    assert (country.open_rounds, country.round_entries) == (2, 1)
    assert [(r.key, r.in_force.total, r.new_this_year, r.producers) for r in by_province] == [
        ("HP", 4, 2, 3), ("HN", 1, 1, 1)]


async def test_breakdowns_by_commune_group_and_former_province(db: Database) -> None:
    async with db.transaction() as store:
        await fill(store)
        hp = Scope(province="HP")
        communes = await store.figures.breakdown(hp, 2026, TODAY, "commune")
        groups = await store.figures.breakdown(hp, 2026, TODAY, "group")
        formers = await store.figures.breakdown(hp, 2026, TODAY, "former")
    line = [(r.key, r.in_force.total, r.new_this_year, r.pipeline, r.expiring, r.producers)
            for r in communes]
    assert line == [("11629", 3, 2, 1, 1, 2), ("11074", 1, 0, 1, 1, 1)]  # An Lão, Tứ Kỳ
    line = [(r.key, r.in_force.total, r.new_this_year, r.pipeline, r.expiring, r.producers)
            for r in groups]
    assert line == [("food", 2, 1, 1, 1, 2), ("drink", 1, 1, 1, 0, 2), ("herbal", 1, 0, 0, 1, 1)]
    assert [(r.key, r.in_force.total, r.producers) for r in formers] == [
        ("Hải Phòng", 2, 1), ("", 1, 1), ("Hải Dương", 1, 1)]


async def test_drill_down_narrows_every_product_and_producer_figure(db: Database) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
        await store.targets.set("HP", 2026, 2, scope="commune:11074", by="cli", now=NOW)
        tu_ky = await store.figures.summary(Scope(province="HP", commune="11074"), 2026, TODAY)
        drink = await store.figures.summary(Scope(province="HP", group="drink"), 2026, TODAY)
        former = await store.figures.summary(Scope(province="HP", former="Hải Dương"), 2026,
                                             TODAY)
    assert tu_ky.in_force == Stars(four=1)
    assert (tu_ky.target, tu_ky.gap, drink.target, former.target) == (2, 2, None, None)
    assert (tu_ky.producers, tu_ky.claimed, tu_ky.expiring, tu_ky.expiring_on_bot) == (1, 0, 1, 0)
    assert tu_ky.pipeline["accepted"] == 1 and tu_ky.pipeline["draft"] == 1
    assert drink.in_force == Stars(five=1) and drink.new_this_year == Stars(five=1)
    assert (drink.producers, drink.claimed) == (2, 2)
    assert former.in_force == Stars(five=1) and former.producers == 1


async def test_years_count_the_certificates_decided_in_each(db: Database) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
        targets = await store.targets.by_year("HP", [2023, 2024, 2025, 2026])
        years = await store.figures.by_year(Scope(province="HP"), [2023, 2024, 2025, 2026],
                                            targets)
        earlier = await store.figures.summary(Scope(province="HP"), 2024, TODAY)
    assert [(y.year, y.new, y.target) for y in years] == [
        (2023, Stars(three=1), None), (2024, Stars(three=1), None),
        (2025, Stars(four=1), None), (2026, Stars(four=1, five=1), 5)]
    assert earlier.new_this_year == Stars(three=1)
    assert earlier.trainings == 0
