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
    round_reminder_days: tuple[int, ...] = (7, 1)  # before registration and dossier deadlines
    training_reminder_hours: tuple[int, ...] = (24, 2)  # before a training starts
    max_upload_bytes: int = 10 * 1024 * 1024  # Telegram bots cannot download over 20 MB
    web_base_url: str | None = None  # the officers' web console, where it is turned on
    zalo_monthly_quota: int = 0  # the Zalo plan's messages a month (admins see the use); 0: none
    telegram_bot_username: str | None = None  # for t.me deep links on printed invitations

    @property
    def zone(self) -> ZoneInfo:
        """The time zone dates are shown and typed in."""
        return ZoneInfo(self.timezone)
