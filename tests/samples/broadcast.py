"""Sample contexts for the broadcast and announcement templates."""

from datetime import UTC, datetime

WHEN = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
COUNTS = {"total": 3000, "delivered": 1150, "blocked": 30, "retrying": 20, "waiting": 1790,
          "failed": 10, "cancelled": 0}

SAMPLES: dict[str, dict[str, object]] = {
    "broadcast/compose": {"max": 3500},
    "broadcast/no_province": {},
    "broadcast/empty_text": {},
    "broadcast/too_long": {"max": 3500, "length": 4000},
    "broadcast/audience": {"province": "Vĩnh Long", "chosen": ["Xã <Tân Phú>"]},
    "broadcast/filter_value": {"filter": "audience.commune"},
    "broadcast/no_options": {},
    "broadcast/announcement": {"text": "Hạn nộp hồ sơ <20/12> & mang 5 mẫu",
                               "office": "Vĩnh Long", "urgent": True},
    "broadcast/confirm": {"accounts": 3000, "producers": 2400, "province": "Vĩnh Long",
                          "unclaimed": 1200,
                          "audience": ["Xã Tân Phú"], "urgent": False, "not_before": WHEN,
                          "parts": {"telegram": 2, "zalo": 3}},
    "broadcast/self_sent": {},
    "broadcast/ask_when": {},
    "broadcast/bad_when": {},
    "broadcast/final": {"accounts": 3000, "not_before": None, "urgent": True},
    "broadcast/queued": {"broadcast_id": 7, "accounts": 3000, "not_before": WHEN,
                         "urgent": False, "progress": True},
    "broadcast/progress": {"broadcast_id": 7, "done": 1200, "finished": False, **COUNTS},
    "broadcast/history": {"items": [{"id": 7, "when": WHEN, "status": "sending",
                                     "excerpt": "Hạn nộp <hồ sơ>…", "total": 3000,
                                     "delivered": 1200}]},
    "broadcast/report": {"id": 7, "text": "Hạn nộp hồ sơ <20/12>", "status": "done",
                         "when": WHEN, "urgent": False, "audience": ["Xã Tân Phú"], **COUNTS},
    "broadcast/not_found": {},
    "broadcast/too_late": {},
    "broadcast/cancelled": {},
    "broadcast/dropped": {},
    "announcements/recent": {"items": [{"text": "Tập huấn <ngày 5/12>", "at": WHEN,
                                        "urgent": True}], "announcements_on": False},
    "announcements/stopped": {},
    "announcements/draft_nudge": {"kind": "onboarding", "since": WHEN},
}
