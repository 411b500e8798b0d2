"""Sample contexts for the account-linking templates."""

from datetime import UTC, datetime

from tests.samples.foundation import PROFILE

OTHER = {**PROFILE, "name": "Hộ <Lan> & con", "phone": "+84987654321"}

SAMPLES: dict[str, dict[str, object]] = {
    "linking/start": {"has_profile": True, "channels": ["telegram", "zalo"]},
    "linking/code": {
        "code": "0482 1309 3755",
        "expires_at": datetime(2026, 12, 1, 3, 15, tzinfo=UTC),
        "minutes": 15,
    },
    "linking/ask_code": {},
    "linking/code_format": {},
    "linking/wrong_code": {"left": 3},
    "linking/too_many": {"minutes": 60},
    "linking/code_expired": {},
    "linking/code_used": {},
    "linking/own_code": {},
    "linking/already_linked": {},
    "linking/confirm": {"channel": "telegram", "theirs": PROFILE},
    "linking/choose_profile": {"channel": "zalo", "theirs": PROFILE, "mine": OTHER},
    "linking/linked": {"channel": "telegram", "moved": 3, "left": 1},
    "linking/linked_notice": {"channel": "zalo"},
    "linking/ask_notify": {},
    "linking/notify_saved": {"channel": "zalo"},
    "linking/cancelled": {},
}
