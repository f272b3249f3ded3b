"""Messages waiting to reach the control plane."""

from __future__ import annotations

import secrets
import threading
from itertools import islice
from typing import Any


class Outbox:
    """A thread-safe queue of messages, each kept until the server has it.

    Every message gets a ``message_id`` so that the WebSocket's ``received``
    answers can retire it; a message sent but not confirmed goes out again,
    which the control plane's idempotent ingestion makes harmless. Only the
    newest progress message of a scan is kept: older ones say nothing more.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: dict[str, dict[str, Any]] = {}

    def put(self, message: dict[str, Any]) -> None:
        """Queue a message."""
        message.setdefault("message_id", secrets.token_hex(8))
        with self._lock:
            if message.get("type") == "progress":
                stale = [
                    key
                    for key, queued in self._messages.items()
                    if queued.get("type") == "progress"
                    and queued.get("scan_id") == message.get("scan_id")
                ]
                for key in stale:
                    del self._messages[key]
            self._messages[message["message_id"]] = message

    def peek(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` of the oldest messages, left in place."""
        with self._lock:
            return list(islice(self._messages.values(), limit))

    def remove(self, message_ids: list[str]) -> None:
        """Drop messages the control plane has accepted."""
        with self._lock:
            for message_id in message_ids:
                self._messages.pop(message_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)
