"""`ocop-bot run` on PostgreSQL (OCOP_DATABASE_URL) as a real process against the fake Bot API."""

from __future__ import annotations

import signal

import psycopg
import pytest

from fakes.telegram import FakeTelegram
from tests.engines import PostgresServer
from tests.process import test_process
from tests.process.test_one_bot import CHATS, NO_QUIET, delivered, queue_notices
from tests.process.test_process import WAIT, Bots

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

fake = test_process.fake  # the fixtures of the onboarding process test, shared
bots = test_process.bots
REFUSAL = "Trợ lý OCOP đang chạy với cơ sở dữ liệu PostgreSQL này"


def statuses(url: str) -> dict[str, int]:
    """Outbox rows per status, read with a separate connection."""
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status"))


def test_the_bot_runs_on_postgres_refuses_a_second_and_restarts_after_kill_9(
    fake: FakeTelegram, bots: Bots, pg_server: PostgresServer,
) -> None:
    url = pg_server.empty_database()
    queue_notices(url, "a", seed=True)  # type: ignore[arg-type]  # a URL where a path goes
    on_pg = {**NO_QUIET, "OCOP_DATABASE_URL": url}
    first = bots.start(**on_pg)
    fake.wait_for_sync(lambda: statuses(url) == {"sent": 5}, timeout=WAIT)
    assert delivered(fake, "a") == dict.fromkeys(CHATS, 1)

    second = bots.spawn(bots.env(**on_pg), "run")
    assert second.wait(WAIT) != 0
    refusal = (bots.tmp_path / "bot2.log").read_text("utf-8").strip()
    assert refusal.startswith(REFUSAL) and "ocop_" in refusal, refusal
    assert len(refusal.splitlines()) == 1  # one clear line, no traceback

    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL
    again = bots.start(**on_pg)  # the server freed the dead process's lock with its link
    queue_notices(url, "b", seed=False)  # type: ignore[arg-type]
    fake.wait_for_sync(lambda: statuses(url) == {"sent": 10}, timeout=WAIT)
    assert delivered(fake, "a") == dict.fromkeys(CHATS, 1)
    assert delivered(fake, "b") == dict.fromkeys(CHATS, 1)
    assert again.poll() is None
    assert not (bots.tmp_path / "ocop.db").exists()  # nothing went to a SQLite file
