"""Sample contexts for the command-line templates of the outbox and the one-bot lock."""

from datetime import UTC, datetime

from storage.outbox_health import OldestWaiting

SAMPLES: dict[str, dict[str, object]] = {
    "cli/outbox_status": {
        "channels": [{"name": "telegram", "states": [{"state": "pending", "count": "1.204"},
                                                    {"state": "expired", "count": "3"}]}],
        "oldest": OldestWaiting(channel="telegram", kind="notice",
                                queued_at=datetime(2026, 11, 28, 1, 30, tzinfo=UTC),
                                attempts=12, last_error="Bad Gateway"),
        "age": {"days": 2, "hours": 3, "minutes": 5},
        "given_up": "3",
    },
    "cli/outbox_retried": {"count": 2, "include_failed": False},
    "cli/already_running": {"db_path": "data/ocop.db", "pid": 4242},
    "cli/already_running_postgres": {"where": "db.example.vn:5432/ocop"},
}
