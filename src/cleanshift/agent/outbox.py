"""Messages waiting to reach the control plane."""

from __future__ import annotations

import threading
from typing import Any


class Outbox:
    """A thread-safe queue of messages, sent in order with each check-in.

    Only the newest progress message of a scan is kept: older ones carry
    nothing the newest does not.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[dict[str, Any]] = []

    def put(self, message: dict[str, Any]) -> None:
        """Queue a message."""
        with self._lock:
            if message.get("type") == "progress":
                self._messages = [
                    queued
                    for queued in self._messages
                    if not (
                        queued.get("type") == "progress"
                        and queued.get("scan_id") == message.get("scan_id")
                    )
                ]
            self._messages.append(message)

    def peek(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` of the oldest messages, left in place."""
        with self._lock:
            return list(self._messages[:limit])

    def remove(self, delivered: list[dict[str, Any]]) -> None:
        """Drop messages the control plane has accepted."""
        ids = {id(message) for message in delivered}
        with self._lock:
            self._messages = [m for m in self._messages if id(m) not in ids]

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)
