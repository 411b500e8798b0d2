"""The outbox sender's way to deliver to the terminal chat: print the message as a notice.

Rows addressed to a terminal account are shown in the running terminal chat, between the
user's turns, under a "🔔" heading so that they are not taken for an answer to what was typed.
"""

from __future__ import annotations

from typing import Any, TextIO

from bot.outbox.transport import SendResult, SendStatus
from messages.render import to_plain


class TerminalTransport:
    """Writes outbox payloads for one terminal account into the chat's output."""

    channel = "terminal"
    supports_edit = False  # a progress report arrives once, when the broadcast is finished

    def __init__(self, out: TextIO, heading: str) -> None:
        self.out, self.heading = out, heading
        self._serial = 0

    async def start(self) -> None:
        """Nothing to open."""

    async def stop(self) -> None:
        """Nothing to close."""

    async def send(self, chat_id: str, payload: dict[str, Any]) -> SendResult:
        """Show the payload as a notice (the sender claims this chat's rows only)."""
        text = str(payload.get("text") or "")
        if payload.get("format") == "html":
            text = to_plain(text)
        if not text.strip():
            return SendResult(SendStatus.FAILED, error="nothing to send")
        self.out.write(f"\n{self.heading}\n{text}\n\n> ")
        self.out.flush()
        self._serial += 1
        return SendResult(SendStatus.SENT, message_id=f"terminal-{self._serial}")

    async def edit(self, chat_id: str, message_id: str, payload: dict[str, Any]) -> SendResult:
        """A terminal cannot change what it printed: show the new text as a new notice."""
        return await self.send(chat_id, payload)
