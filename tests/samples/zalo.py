"""Sample contexts for the Zalo channel's own templates."""

from datetime import UTC, datetime

SAMPLES: dict[str, dict[str, object]] = {
    "zalo/document_unavailable": {"filename": "san-pham <1>.xlsx"},
    "zalo/quota_used": {"used": 2140, "limit": 3000, "month": "12/2026",
                        "paused_until": datetime(2026, 12, 31, 17, tzinfo=UTC)},
    "zalo/quota_broadcast": {"needed": 1240, "left": 860, "limit": 3000, "month": "12/2026",
                             "short": True, "used": 2140, "paused_until": None},
    "zalo/quota_warning": {"used": 2400, "limit": 3000, "month": "12/2026", "percent": 80,
                           "urgent_only": False},
    "zalo/quota_exhausted": {"used": 3000, "limit": 3000, "month": "12/2026", "moved": 12,
                             "paused_until": datetime(2026, 12, 31, 17, tzinfo=UTC)},
}
