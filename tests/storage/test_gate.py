"""The database's read-write gate: shared holders together, an exclusive one alone and first."""

from __future__ import annotations

import asyncio

from storage.gate import Gate


async def test_shared_holders_run_together_and_an_exclusive_one_waits_for_them() -> None:
    gate, order = Gate(), []
    release = asyncio.Event()

    async def shared(name: str) -> None:
        async with gate.shared():
            order.append(f"{name} in")
            await release.wait()
        order.append(f"{name} out")

    async def exclusive() -> None:
        async with gate.exclusive():
            order.append("exclusive in")

    readers = [asyncio.create_task(shared(n)) for n in ("a", "b")]
    await asyncio.sleep(0)  # both readers enter
    writer = asyncio.create_task(exclusive())
    await asyncio.sleep(0)
    late = asyncio.create_task(shared("c"))  # arrives while the writer waits: goes after it
    await asyncio.sleep(0)
    assert order == ["a in", "b in"]
    release.set()
    await asyncio.gather(*readers, writer, late)
    assert order.index("exclusive in") > order.index("b out")
    assert order.index("c in") > order.index("exclusive in")
