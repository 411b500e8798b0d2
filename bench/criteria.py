"""Criteria and self-assessment speed: `python -m bench.criteria [--folder DIR]`.

Times loading all 26 product sets (check + save, one transaction), one scoring screen through
the dispatcher (an answer saved and the next criterion shown), the result screen, and the
Mẫu 02 report (.docx). Uses the shared criteria beside the checkout when they are there,
else the tests' small set written for 26 sets. Prints JSON (medians, milliseconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from handlers import FEATURES
from handlers.assessment.loading import load_criteria
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import open_database
from storage.criteria_files import read_folder
from tests.assessment.criteria_files import SHARED, write_small
from tests.chat import Chat, Clock
from tests.products.steps import register

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


async def run(folder: Path, rounds: int) -> dict[str, object]:
    """Load, walk and report; the medians."""
    files = read_folder(folder)
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(rounds):
            async with open_database(Path(tmp) / f"load{n}.db") as db:
                start = time.perf_counter()
                async with db.transaction() as store:
                    bundle = await load_criteria(store, files, None, "bench", NOW)
                loads.append(time.perf_counter() - start)
        async with open_database(Path(tmp) / "walk.db") as db:
            async with db.transaction() as store:
                await load_criteria(store, files, None, "bench", NOW)
            renderer, clock = Renderer(), Clock(NOW)
            dispatcher = Dispatcher(db, HandlerConfig(), renderer, clock=clock,
                                    features=FEATURES)
            chat = Chat(dispatcher, renderer, clock, channel="zalo", user="bench")
            await chat.onboard()
            pid = await register(chat)
            await chat.say("chấm điểm")
            screens = []
            while chat.templates[-1] == "assessment/criterion":
                start = time.perf_counter()
                await chat.say("1")
                screens.append(time.perf_counter() - start)
            reports = []
            for _ in range(rounds):
                start = time.perf_counter()
                await chat.press("r:report")
                reports.append(time.perf_counter() - start)
            assert chat.last.replies[0].document is not None, pid
    return {"sets": len(bundle.sets), "load_all_sets_ms": _ms(loads),
            "scoring_screen_ms": _ms(screens), "screens": len(screens),
            "report_docx_ms": _ms(reports)}


def main() -> None:
    """Parse the arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or (SHARED if SHARED.is_dir()
                                 else write_small(Path(tmp) / "c", tuple(range(1, 27))))
        print(json.dumps(asyncio.run(run(folder, args.rounds)), indent=2))


if __name__ == "__main__":
    main()
