"""The dashboard bench runs end to end (small), so `python -m bench.dashboard` keeps working."""

from __future__ import annotations

from bench.dashboard import bench


async def test_the_dashboard_bench_runs_and_meets_its_budget() -> None:
    figures = await bench(products=120, runs=3)
    assert figures["products"] == 120 and figures["ok"], figures
