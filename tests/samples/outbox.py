"""Sample contexts for the command-line templates of the outbox and the one-bot lock."""

from datetime import UTC, datetime

from storage.outbox_health import OldestWaiting, Unreachable

SAMPLES: dict[str, dict[str, object]] = {
    "cli/outbox_status": {
        "channels": [{"name": "telegram", "states": [{"state": "pending", "count": "1.204"},
                                                    {"state": "expired", "count": "3"}]}],
        "oldest": OldestWaiting(channel="telegram", kind="notice",
                                queued_at=datetime(2026, 11, 28, 1, 30, tzinfo=UTC),
                                attempts=12, last_error="Bad Gateway"),
        "age": {"days": 2, "hours": 3, "minutes": 5},
        "given_up": "3",
        "zalo": "Zalo: đã dùng 2.140 / 3.000 tin trong tháng 12/2026.",
        "unreachable": [
            Unreachable(channel="zalo", external_id="6ede9afa", name="HTX Tân Phú",
                        reason="-201 User not found", since=datetime(2026, 12, 1, 2, tzinfo=UTC),
                        said=True),
            Unreachable(channel="zalo", external_id="7fa0", name=None,
                        reason="403 Internal server error",
                        since=datetime(2026, 12, 2, 2, tzinfo=UTC), said=False),
        ],
    },
    "cli/outbox_retried": {"count": 2, "include_failed": False},
    "cli/outbox_resumed": {"lifted": True},
    "cli/already_running": {"db_path": "data/ocop.db", "pid": 977},  # an id, not a count
}
