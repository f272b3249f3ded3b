"""``cleanshift up``: the control plane and a local agent on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import httpx
import typer
from rich.console import Console

from cleanshift.db.session import (
    create_db_engine,
    make_session_factory,
    migrate,
    session_scope,
)
from cleanshift.services.bootstrap import (
    ensure_local_server,
    ensure_local_user,
    issue_local_api_key,
)
from cleanshift.settings import get_settings

STARTUP_TIMEOUT = 60.0
# On one machine check-ins cost nothing: a short interval keeps health and
# sites fresh, and commands quick even while the WebSocket is down.
LOCAL_CHECKIN_INTERVAL = 3


def up_command(
    host: str = typer.Option("127.0.0.1", help="Address the API listens on."),
    port: int = typer.Option(8000, help="Port the API listens on."),
) -> None:
    """Start the API and an agent for this machine; print an API key."""
    console = Console()
    settings = get_settings()
    web_roots = list(settings.web_roots)
    url = f"http://{host}:{port}"

    engine = create_db_engine(settings.resolved_database_url())
    migrate(engine)
    with session_scope(make_session_factory(engine)) as session:
        user = ensure_local_user(session)
        api_key = issue_local_api_key(session, user)
        server, agent_token = ensure_local_server(session, user, LOCAL_CHECKIN_INTERVAL)
        server_id = server.id
    engine.dispose()

    # Stopped by a service manager or `kill`, still stop both children.
    signal.signal(signal.SIGTERM, _interrupt)
    environment = {**os.environ, "CLEANSHIFT_PUBLIC_URL": url}
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cleanshift",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
        ],
        env=environment,
    )
    agent: subprocess.Popen[bytes] | None = None
    try:
        _wait_for_health(url, api)
        agent_command = [
            sys.executable,
            "-m",
            "cleanshift",
            "agent",
            "run",
            "--api-url",
            url,
            "--state-dir",
            str(settings.data_dir / "agent"),
        ]
        for root in web_roots:
            agent_command += ["--web-root", str(root)]
        agent = subprocess.Popen(
            agent_command, env={**environment, "CLEANSHIFT_AGENT_TOKEN": agent_token}
        )
        _print_welcome(console, url, api_key, server_id, web_roots)
        while api.poll() is None and agent.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (agent, api):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=15)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _wait_for_health(url: str, api: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise RuntimeError("the API process exited; see the log above")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the API did not answer on {url} within {STARTUP_TIMEOUT}s")


def _print_welcome(
    console: Console, url: str, api_key: str, server_id: str, web_roots: list[Path]
) -> None:
    roots = ", ".join(str(root) for root in web_roots)
    console.print(f"\n[bold green]CleanShift is running[/] at {url} (docs: {url}/docs)")
    console.print(f"Local agent: server [bold]{server_id}[/], watching {roots}")
    console.print(f"API key (new each start): [bold]{api_key}[/]\n")
    console.print("Try:", style="bold")
    console.print(f"  export CS_TOKEN={api_key}", highlight=False)
    console.print(
        f'  curl -s -X POST {url}/scans/trigger -H "Authorization: Bearer $CS_TOKEN" '
        f"-H 'Content-Type: application/json' "
        f'-d \'{{"server_id": "{server_id}", "scan_mode": "full"}}\'',
        highlight=False,
    )
    console.print("Stop with Ctrl-C.\n")
