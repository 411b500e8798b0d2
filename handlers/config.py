"""The settings the handlers need, handed in by `bot/` (handlers never read the environment)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict


class HandlerConfig(BaseModel):
    """Knobs of the conversations: who is admin, which time zone, domain limits."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    admins: frozenset[str] = frozenset()  # "telegram:123", "zalo:abc"
    timezone: str = "Asia/Ho_Chi_Minh"
    max_name_length: int = 120
    max_text_length: int = 1000

    @property
    def zone(self) -> ZoneInfo:
        """The time zone dates are shown and typed in."""
        return ZoneInfo(self.timezone)
