"""Sample contexts for the web console's chat templates."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "web/link": {"url": "https://ocop.example.vn/web/login/abc", "minutes": 10},
    "web/not_enabled": {},
}
