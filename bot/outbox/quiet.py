"""When proactive messages may go: quiet hours and the per-user daily cap, in local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """A nightly window (e.g. 21:00–07:00) in the bot's time zone when only urgent rows go."""

    start: time
    end: time
    zone: ZoneInfo

    def is_quiet(self, now: datetime) -> bool:
        """Whether `now` falls inside the quiet window."""
        if self.start == self.end:
            return False
        local = now.astimezone(self.zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_end(self, now: datetime) -> datetime:
        """The next moment the quiet window ends (UTC), at or after `now`."""
        local = now.astimezone(self.zone)
        candidate = datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if candidate < local:
            candidate += timedelta(days=1)
        return candidate.astimezone(UTC)


@dataclass(frozen=True)
class DailyCap:
    """At most `limit` capped messages per user per local day."""

    limit: int
    zone: ZoneInfo

    def day_start(self, now: datetime) -> datetime:
        """Midnight (local) of `now`'s day, in UTC."""
        local = now.astimezone(self.zone)
        return datetime.combine(local.date(), time(0), tzinfo=self.zone).astimezone(UTC)

    def resume_at(self, now: datetime, quiet: QuietHours) -> datetime:
        """When a message held back by the cap may try again: the next morning."""
        tomorrow = self.day_start(now) + timedelta(days=1, hours=1)
        return quiet.next_end(tomorrow) if quiet.is_quiet(tomorrow) else tomorrow
