"""Sample contexts for the officer invite templates."""

from datetime import UTC, datetime

SAMPLES: dict[str, dict[str, object]] = {
    "invites/ask_province": {},
    "invites/code": {
        "code": "0123 4567 8901",
        "province": "Vĩnh Long",
        "expires_at": datetime(2026, 12, 4, 3, tzinfo=UTC),
    },
    "invites/staff": {
        "people": [
            {
                "name": "Lan <A>",
                "account": "telegram:1",
                "role": "officer",
                "province": "Vĩnh Long",
            },
            {"name": "B", "account": "zalo:x", "role": "admin", "province": ""},
        ]
    },
    "invites/revoked": {"account": "telegram:1"},
    "invites/not_officer": {},
    "invites/ask_code": {},
    "invites/wrong_code": {"left": 2},
    "invites/too_many": {},
    "invites/spent": {},
    "invites/already_admin": {},
    "invites/welcome": {"province": "Vĩnh Long"},
}
