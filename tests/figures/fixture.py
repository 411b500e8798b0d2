"""A small province counted by hand: every figure the tests expect is worked out below.

Hải Phòng (HP), as of 01/12/2026, year 2026:
- producers A (An Lão, former Hải Phòng, two accounts: one seen today, one 40 days ago),
  B (An Lão, former Hải Dương, one account seen 40 days ago), C (Tứ Kỳ, no account);
- products: 1 A food 4★ decided 10/03/2026; 2 A food 3★ 15/01/2024, expires 15/01/2027
  (within 90 days); 3 B drink 3★ 2023 (expired) then 5★ 01/06/2026; 4 B drink submitted;
  5 C herbal 4★ 01/02/2025, expires 01/02/2027 (within 90 days); 6 C food draft;
  7 C food accepted; 8 A drink rated 2★, not certified;
- rounds: one open (results 31/01/2027) with product 4 entered and 7 withdrawn; one closed;
- trainings in 2026: one ended (A1, B1 enrolled), one in December (A2 enrolled, D1 waiting).
Hà Nội (HN), to check scoping: producer D (one account seen today), product 9 food 5★
decided 01/04/2026; one open round without entries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage import Store
from storage.product_models import ProductStatus
from storage.rounds import NewRound, ProductRow
from storage.trainings import NewTraining

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=40)


async def _producer(store: Store, name: str, province: str, commune: str) -> int:
    return await store.users.create_producer(
        {"name": name, "entity_type": "household", "contact_person": name,
         "phone": "+84901234567", "province_code": province, "commune": commune}, LONG_AGO)


async def _account(store: Store, external: str, producer_id: int, seen: datetime) -> int:
    user = await store.users.seen("telegram", external, external, seen)
    await store.users.attach_producer(user.id, producer_id)
    return user.id


async def _product(store: Store, producer_id: int, group: str, status: ProductStatus) -> int:
    product_id = await store.products.create_draft(producer_id, LONG_AGO)
    await store.products.set_field(product_id, "group_code", group, LONG_AGO)
    await store.products.set_field(product_id, "name", f"SP {product_id}", LONG_AGO)
    await store.products.set_status(product_id, status, LONG_AGO)
    return product_id


async def _certify(store: Store, product_id: int, stars: int, decided: date,
                   expires: date | None = None, certified: bool = True) -> None:
    await store.certifications.record(
        product_id, score={2: 45.0, 3: 60.0, 4: 75.0, 5: 92.0}[stars], stars=stars,
        certified=certified,
        certificate_number=f"C-{product_id}-{decided.year}" if certified else None,
        decision_number=f"QD-{product_id}-{decided.year}", decision_date=decided,
        expires_on=expires or (decided.replace(year=decided.year + 3) if certified else None),
        recorded_by="cli", now=NOW)


def _at(day: date, hour: int = 1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def fill(store: Store) -> dict[str, int]:
    """Write the fixture; returns the ids the tests refer to."""
    a = await _producer(store, "A", "HP", "An Lão")
    b = await _producer(store, "B", "HP", "An Lão")
    c = await _producer(store, "C", "HP", "Tứ Kỳ")
    d = await _producer(store, "D", "HN", "Ba Vì")
    await store.figures.set_origin(a, "Hải Phòng")
    await store.figures.set_origin(b, "Hải Dương")
    a1 = await _account(store, "a1", a, NOW)
    a2 = await _account(store, "a2", a, LONG_AGO)
    b1 = await _account(store, "b1", b, LONG_AGO)
    d1 = await _account(store, "d1", d, NOW)
    certified, pending = ProductStatus.CERTIFIED, ProductStatus
    p1 = await _product(store, a, "food", certified)
    await _certify(store, p1, 4, date(2026, 3, 10))
    p2 = await _product(store, a, "food", certified)
    await _certify(store, p2, 3, date(2024, 1, 15))
    p3 = await _product(store, b, "drink", certified)
    await _certify(store, p3, 3, date(2023, 5, 1))
    await _certify(store, p3, 5, date(2026, 6, 1))
    p4 = await _product(store, b, "drink", pending.SUBMITTED)
    p5 = await _product(store, c, "herbal", certified)
    await _certify(store, p5, 4, date(2025, 2, 1), expires=date(2027, 2, 1))
    await _product(store, c, "food", pending.DRAFT)
    p7 = await _product(store, c, "food", pending.ACCEPTED)
    p8 = await _product(store, a, "drink", pending.NOT_CERTIFIED)
    await _certify(store, p8, 2, date(2026, 9, 1), certified=False)
    p9 = await _product(store, d, "food", certified)
    await _certify(store, p9, 5, date(2026, 4, 1))

    def new_round(name: str, province: str, results: date) -> NewRound:
        start = results - timedelta(days=120)
        return NewRound(name=name, province_code=province, registration_opens_at=_at(start),
                        registration_deadline=_at(start + timedelta(days=30)),
                        dossier_deadline=_at(start + timedelta(days=60)),
                        council_at=_at(start + timedelta(days=90)), results_at=_at(results))

    open_round = await store.rounds.create(new_round("Đợt II", "HP", date(2027, 1, 31)), "cli",
                                           LONG_AGO)
    await store.rounds.create(new_round("Đợt I", "HP", date(2026, 6, 1)), "cli", LONG_AGO)
    await store.rounds.create(new_round("Đợt II", "HN", date(2027, 1, 31)), "cli", LONG_AGO)
    await store.rounds.enter(open_round, ProductRow(id=p4, producer_id=b, name="", status=""),
                             LONG_AGO)
    await store.rounds.enter(open_round, ProductRow(id=p7, producer_id=c, name="", status=""),
                             LONG_AGO)
    withdrawn = next(e for e in await store.rounds.entries(open_round) if e.product_id == p7)
    await store.rounds.withdraw(withdrawn.id, LONG_AGO)

    def new_training(title: str, starts: date, capacity: int) -> NewTraining:
        return NewTraining(title=title, topic_code="criteria", province_code="HP",
                           starts_at=_at(starts), ends_at=_at(starts, 9), capacity=capacity,
                           registration_deadline=_at(starts - timedelta(days=1)))

    early = datetime(2026, 1, 1, tzinfo=UTC)
    ended = await store.trainings.create(new_training("Tập huấn 1", date(2026, 10, 1), 30),
                                         "cli", early)
    december = await store.trainings.create(new_training("Tập huấn 2", date(2026, 12, 20), 1),
                                            "cli", early)
    await store.trainings.enrol(ended, a1, early)
    await store.trainings.enrol(ended, b1, early)
    await store.trainings.enrol(december, a2, early)
    await store.trainings.enrol(december, d1, early, wait=True)
    await store.places.place_producers()  # as every start does: "An Lão" is Xã An Lão, 11629
    return {"a": a, "b": b, "c": c, "d": d, "p1": p1, "p3": p3}
