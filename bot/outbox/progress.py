"""A broadcast's progress, as its sender sees it: start due broadcasts, finish complete
ones, and edit the officer's progress message (the text rendered fresh each time)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.outbox.pacing import Pacer, Sleep
from bot.outbox.policy import SendPolicy
from bot.outbox.transport import SendStatus, Transport
from handlers.broadcasts.queue import progress_context
from handlers.common.notify import channel_format
from messages import Renderer
from storage import Database, Store
from storage.broadcasts import Broadcast, DeliveryReport

log = logging.getLogger(__name__)


class ProgressEdits:
    """The progress part of a channel's sender."""

    _db: Database
    _transport: Transport
    _renderer: Renderer
    _policy: SendPolicy
    _clock: Callable[[], datetime]
    _sleep: Sleep
    _pacer: Pacer
    _shown: dict[int, str]
    channel: str
    stats: Any

    def _progress_payload(self, broadcast: Broadcast, report: DeliveryReport) -> dict[str, Any]:
        fmt = channel_format(self.channel)
        text = self._renderer.render(
            broadcast.progress_locale, "broadcast/progress", fmt,
            **progress_context(broadcast, report),
        )
        return {"text": text, "format": fmt.value}

    async def _progress_loop(self) -> None:
        while True:
            await self._sleep(self._policy.progress_interval)
            try:
                await self.update_progress()
            except Exception:
                log.exception("%s: progress update failed", self.channel)

    async def update_progress(self) -> None:
        """Start due scheduled broadcasts, finish complete ones, edit officers' progress."""
        now = self._clock()
        for broadcast, report in await self._db.run(lambda store: self._progress(store, now)):
            await self._edit_progress(broadcast, report)

    async def _progress(
        self, store: Store, now: datetime
    ) -> list[tuple[Broadcast, DeliveryReport]]:
        """The broadcasts' bookkeeping, in one transaction (rerun whole after a conflict);
        returns the progress messages of this channel to edit."""
        edits: list[tuple[Broadcast, DeliveryReport]] = []
        await store.broadcasts.start_due(now)
        for broadcast in await store.broadcasts.sending():
            report = await store.broadcasts.report(broadcast.id)
            if report.finished and await store.broadcasts.finish(broadcast.id, now):
                await store.audit.record(
                    broadcast.actor, "broadcast_finished", now,
                    subject=f"broadcast:{broadcast.id}",
                    details=report.model_dump(),
                )
            if broadcast.progress_channel == self.channel and broadcast.progress_message_id:
                edits.append((broadcast, report))
        return edits

    async def _edit_progress(self, broadcast: Broadcast, report: DeliveryReport) -> None:
        if not report.finished and not getattr(self._transport, "supports_edit", True):
            return  # a channel that cannot edit (Zalo) gets the final report only
        payload = self._progress_payload(broadcast, report)
        if self._shown.get(broadcast.id) == payload["text"]:
            return
        assert broadcast.progress_chat_id and broadcast.progress_message_id
        await self._pacer.acquire(broadcast.progress_chat_id)
        result = await self._transport.edit(
            broadcast.progress_chat_id, broadcast.progress_message_id, payload
        )
        if result.status is SendStatus.SENT:
            self.stats.edits += 1
            self._shown[broadcast.id] = payload["text"]
            if report.finished:
                self._shown.pop(broadcast.id, None)
        elif result.status is SendStatus.RETRY_AFTER and result.retry_after:
            self._pacer.penalize(broadcast.progress_chat_id, result.retry_after)
