"""The agent's WebSocket: commands arrive at once, results leave at once.

The socket is an optimisation over check-ins, never a requirement: when it
cannot connect, the agent keeps delivering through check-ins and retries
the socket with jittered exponential backoff.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from cleanshift.agent.outbox import Outbox

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
RECEIVE_SECONDS = 0.2
MAX_IN_FLIGHT = 500


class SocketLink:
    """Keeps one WebSocket open to the control plane from its own thread."""

    def __init__(
        self,
        outbox: Outbox,
        accept_command: Callable[[dict[str, Any]], None],
        stop_event: threading.Event,
        user_agent: str,
    ) -> None:
        self.outbox = outbox
        self.accept_command = accept_command
        self.stop_event = stop_event
        self.user_agent = user_agent
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self._url: str | None = None
        self._token: str | None = None
        self._fresh_token = threading.Event()

    def offer_credentials(self, url: str | None, token: str | None) -> None:
        """Use this address and token from the latest check-in."""
        if not url or not token:
            return
        with self._lock:
            self._url, self._token = url, token
        self._fresh_token.set()

    def run(self) -> None:
        """Connect, serve, reconnect; until the agent stops."""
        failures = 0
        while not self.stop_event.is_set():
            self._fresh_token.wait(timeout=1.0)
            with self._lock:
                url, token = self._url, self._token
            if not url or not token:
                continue
            try:
                with connect(
                    f"{url}?token={token}",
                    open_timeout=10,
                    user_agent_header=self.user_agent,
                    proxy=None,
                ) as socket:
                    failures = 0
                    self.connected.set()
                    logger.info("WebSocket connected")
                    self._serve(socket)
            except (OSError, TimeoutError, WebSocketException) as error:
                # A rejected token is usually just expired; a check-in brings
                # a new one, so wait for that before trying again.
                self._fresh_token.clear()
                logger.info(
                    "WebSocket unavailable (%s); using check-ins", type(error).__name__
                )
            finally:
                if self.connected.is_set():
                    logger.info("WebSocket closed")
                self.connected.clear()
            failures += 1
            delay = min(MAX_BACKOFF, 2.0**failures) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter
            self.stop_event.wait(delay)

    def _serve(self, socket: ClientConnection) -> None:
        in_flight: set[str] = set()
        while not self.stop_event.is_set():
            for message in self.outbox.peek(MAX_IN_FLIGHT):
                if message["message_id"] not in in_flight:
                    socket.send(json.dumps(message))
                    in_flight.add(message["message_id"])
            try:
                raw = socket.recv(timeout=RECEIVE_SECONDS)
            except TimeoutError:
                continue
            self._handle(socket, raw, in_flight)

    def _handle(
        self, socket: ClientConnection, raw: str | bytes, in_flight: set[str]
    ) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            logger.warning("ignored a WebSocket message that is not JSON")
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "command" and isinstance(message.get("command"), dict):
            self.accept_command(message["command"])
        elif kind == "ping":
            socket.send(json.dumps({"type": "pong"}))
        elif kind == "received":
            self.outbox.remove([message.get("message_id", "")])
            in_flight.discard(message.get("message_id", ""))
        elif kind == "error":
            logger.warning("control plane reported: %s", message.get("message"))
