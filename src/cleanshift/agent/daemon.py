"""The agent's main loop: check in, run commands, deliver results."""

from __future__ import annotations

import logging
import platform
import queue
import random
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from cleanshift import __version__
from cleanshift.agent.connection import SocketLink
from cleanshift.agent.health import read_health
from cleanshift.agent.outbox import Outbox
from cleanshift.agent.tasks import ScanTask
from cleanshift.dbscan.activation import fill_activations
from cleanshift.engine.scanner import FileScanner
from cleanshift.remediation.runner import RemediationContext, execute_remediation
from cleanshift.sites.discovery import Site, discover_sites

logger = logging.getLogger(__name__)

# While work is under way, check in this often so progress and results
# reach the control plane promptly.
BUSY_INTERVAL = 1.0
MAX_BACKOFF = 60.0
REDISCOVER_SECONDS = 600
MAX_MESSAGES_PER_CHECKIN = 2000


class AgentError(Exception):
    """The agent cannot go on (for example, its token was rejected)."""


class Agent:
    """One agent process for one server."""

    def __init__(
        self,
        api_url: str,
        token: str,
        web_roots: list[Path],
        state_dir: Path,
        *,
        checkin_interval: float | None = None,
        workers: int | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.web_roots = web_roots
        self.state_dir = state_dir
        self.interval = checkin_interval
        self.workers = workers
        self.outbox = Outbox()
        self.stop_event = threading.Event()
        self._wake = threading.Event()
        self._commands: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._seen_commands: set[str] = set()
        self._cancelled: set[str] = set()
        self._running: tuple[str, threading.Event] | None = None
        self._busy = threading.Event()
        self._sites: list[Site] = []
        self._sites_at = 0.0
        user_agent = f"cleanshift-agent/{__version__}"
        self._client = httpx.Client(
            base_url=self.api_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": user_agent},
            timeout=30.0,
        )
        self.link = SocketLink(self.outbox, self._accept, self.stop_event, user_agent)

    def run(self) -> None:
        """Run until ``stop_event`` is set; raises ``AgentError`` if rejected."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        worker = threading.Thread(target=self._work, name="agent-worker", daemon=True)
        worker.start()
        socket_thread = threading.Thread(
            target=self.link.run, name="agent-socket", daemon=True
        )
        socket_thread.start()
        failures = 0
        logger.info("agent started; control plane %s", self.api_url)
        try:
            while not self.stop_event.is_set():
                try:
                    server_interval = self.checkin()
                    failures = 0
                except httpx.TransportError as error:
                    failures += 1
                    delay = min(MAX_BACKOFF, 2**failures) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter
                    logger.warning(
                        "control plane unreachable (%s); retrying in %.0fs",
                        error,
                        delay,
                    )
                    self._sleep(delay)
                    continue
                busy = self._busy.is_set() or len(self.outbox) > 0
                if busy and not self.link.connected.is_set():
                    self._sleep(BUSY_INTERVAL)
                else:
                    self._sleep(self.interval or server_interval)
        finally:
            self.stop()
            self._commands.put({})
            worker.join(timeout=10)
            socket_thread.join(timeout=5)
            self._client.close()

    def stop(self) -> None:
        """Stop the agent; a scan under way stops without reporting a result."""
        self.stop_event.set()
        with self._lock:
            if self._running is not None:
                self._running[1].set()
        self.wake()

    def wake(self) -> None:
        """Cut the current wait short (to stop, or to deliver results)."""
        self._wake.set()

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def checkin(self) -> float:
        """One check-in: report, deliver queued messages, take new commands."""
        # With the socket up, messages go that way; a check-in carrying them
        # too would only make the control plane discard duplicates.
        messages = (
            []
            if self.link.connected.is_set()
            else self.outbox.peek(MAX_MESSAGES_PER_CHECKIN)
        )
        body = {
            "agent_version": __version__,
            "hostname": socket.gethostname(),
            "os": platform.platform(),
            "health": read_health(self.web_roots),
            "sites": [site.to_dict() for site in self.sites()],
            "results": messages,
        }
        response = self._client.post("/v1/agent/checkin", json=body)
        if response.status_code in (401, 403):
            raise AgentError(
                "the control plane rejected this agent's token; "
                "rotate the server's token and restart the agent with the new one"
            )
        response.raise_for_status()
        self.outbox.remove([message["message_id"] for message in messages])
        answer = response.json()
        for command in answer.get("commands", []):
            self._accept(command)
        self.link.offer_credentials(answer.get("ws_url"), answer.get("ws_token"))
        return float(answer.get("checkin_interval", 60))

    def sites(self) -> list[Site]:
        """The sites under the web roots, found again every few minutes.

        WordPress plugins and themes are marked active or not from each
        site's database, where it can be read.
        """
        if not self._sites_at or time.monotonic() - self._sites_at > REDISCOVER_SECONDS:
            self._sites = fill_activations(discover_sites(self.web_roots))
            self._sites_at = time.monotonic()
            logger.info("found %d site(s)", len(self._sites))
        return self._sites

    def _accept(self, command: dict[str, Any]) -> None:
        """Take a command from a check-in or the socket; repeats are ignored."""
        command_id = command.get("command_id")
        with self._lock:
            if not isinstance(command_id, str) or command_id in self._seen_commands:
                return
            self._seen_commands.add(command_id)
        self.outbox.put({"type": "ack", "command_id": command_id})
        if command.get("type") == "cancel":
            self._cancel(command)
        else:
            self._commands.put(command)

    def _cancel(self, command: dict[str, Any]) -> None:
        # Handled at once, not queued behind the scan it is meant to stop.
        target = (command.get("payload") or {}).get("command_id")
        with self._lock:
            if isinstance(target, str):
                self._cancelled.add(target)
            if self._running is not None and self._running[0] == target:
                self._running[1].set()
        self.outbox.put(
            {
                "type": "result",
                "command_id": command["command_id"],
                "status": "completed",
                "summary": {"cancelled": target},
            }
        )

    def _work(self) -> None:
        scanner: FileScanner | None = None
        try:
            while not self.stop_event.is_set():
                command = self._commands.get()
                if not command:
                    break
                self._busy.set()
                try:
                    if command.get("type") == "scan":
                        scanner = scanner or FileScanner(workers=self.workers)
                        self._run_scan(command, scanner)
                    elif command.get("type") in ("remediate", "rollback"):
                        self._run_remediation(command)
                    else:
                        self._reject(command)
                finally:
                    self._busy.clear()
                    self._wake.set()
        finally:
            if scanner is not None:
                scanner.close()

    def _run_scan(self, command: dict[str, Any], scanner: FileScanner) -> None:
        command_id = command["command_id"]
        stopping = threading.Event()
        with self._lock:
            if command_id in self._cancelled or self.stop_event.is_set():
                stopping.set()
            self._running = (command_id, stopping)
        try:
            if not stopping.is_set():
                # A scan should see the sites as they are now.
                self._sites_at = 0.0
                ScanTask(
                    command,
                    scanner,
                    self.web_roots,
                    self.sites(),
                    self.outbox,
                    stopping,
                    state_dir=self.state_dir,
                ).run()
        finally:
            with self._lock:
                self._running = None
        if command_id in self._cancelled:
            logger.info("scan command %s cancelled", command_id)
            self.outbox.put(
                {
                    "type": "result",
                    "command_id": command_id,
                    "scan_id": (command.get("payload") or {}).get("scan_id"),
                    "status": "cancelled",
                    "summary": {},
                }
            )

    def _run_remediation(self, command: dict[str, Any]) -> None:
        payload = command.get("payload") or {}
        context = RemediationContext(state_dir=self.state_dir, web_roots=self.web_roots)
        status, summary = execute_remediation(command["type"], payload, context)
        self.outbox.put(
            {
                "type": "result",
                "command_id": command["command_id"],
                "remediation_id": payload.get("remediation_id"),
                "status": status,
                "summary": summary,
            }
        )

    def _reject(self, command: dict[str, Any]) -> None:
        logger.warning("unsupported command type %s", command.get("type"))
        self.outbox.put(
            {
                "type": "result",
                "command_id": command["command_id"],
                "status": "failed",
                "summary": {"error": f"unsupported command {command.get('type')}"},
            }
        )
