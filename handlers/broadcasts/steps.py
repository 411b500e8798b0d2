"""Step names of the broadcasts feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Broadcast:
    """Officers' broadcasts: compose, audience, timing, history."""

    COMPOSE: Final = "broadcast.compose"
    AUDIENCE: Final = "broadcast.audience"
    FILTER_VALUE: Final = "broadcast.filter_value"
    CONFIRM: Final = "broadcast.confirm"
    WHEN: Final = "broadcast.when"
    FINAL: Final = "broadcast.final"
    HISTORY: Final = "broadcast.history"
    REPORT: Final = "broadcast.report"


class Announcements:
    """`/thongbao`: the announcements a producer received, and `/dung`."""

    RECENT: Final = "announcements.recent"
    STOP: Final = "announcements.stop"
