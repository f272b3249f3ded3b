"""Real ``cleanshift serve`` and ``cleanshift agent run`` processes for tests."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx


def unique_email() -> str:
    """An address no other test in this session registers."""
    return f"ops-{secrets.token_hex(6)}@example.com"


def free_port() -> int:
    """A TCP port on the loopback nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ProcessGroup:
    """Processes started by a test, stopped and logged when it ends."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(
        self, name: str, args: list[str], env: dict[str, str]
    ) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed by the child
        process = subprocess.Popen(
            [sys.executable, "-m", "cleanshift", *args],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((name, process))
        return process

    def logs(self, tail: int | None = 6000) -> str:
        """Every process's output (the last ``tail`` characters of each)."""
        parts = []
        for name, _ in self.processes:
            text = (self.log_dir / f"{name}.log").read_text(errors="replace")
            parts.append(f"--- {name} ---\n{text[-tail:] if tail else text}")
        return "\n".join(parts)

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for _, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


GENEROUS_LIMITS = {
    "CLEANSHIFT_RATE_LIMIT_TOKEN": "100000/minute",
    "CLEANSHIFT_RATE_LIMIT_ANONYMOUS": "100000/minute",
}


def start_api(
    group: ProcessGroup,
    data_dir: Path,
    database_url: str,
    env: dict[str, str] | None = None,
    name: str = "api",
) -> str:
    """Start ``cleanshift serve`` and wait until it answers; returns its URL.

    Tests poll faster than people, so limits are generous unless ``env``
    sets them.
    """
    port = free_port()
    group.start(
        name,
        [
            "serve",
            "--port",
            str(port),
            "--database-url",
            database_url,
            "--data-dir",
            str(data_dir),
        ],
        {**GENEROUS_LIMITS, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: _healthy(url), 60, "the API to answer /v1/health", group)
    return url


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def start_agent(
    group: ProcessGroup,
    url: str,
    token: str,
    web_root: Path,
    state_dir: Path,
    interval: float = 0.5,
) -> subprocess.Popen[bytes]:
    """Start ``cleanshift agent run`` against ``url``, checking in often."""
    return group.start(
        "agent",
        [
            "agent",
            "run",
            "--api-url",
            url,
            "--web-root",
            str(web_root),
            "--state-dir",
            str(state_dir),
            "--interval",
            str(interval),
            "--workers",
            "2",
        ],
        {"CLEANSHIFT_AGENT_TOKEN": token},
    )


def wait_for(
    condition: Callable[[], Any], timeout: float, what: str, group: ProcessGroup
) -> Any:
    """Poll ``condition`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in group.processes:
            if process.poll() is not None:
                raise AssertionError(f"{name} exited early\n{group.logs()}")
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{group.logs()}")
