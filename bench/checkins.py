"""Load the control plane with agent check-ins and measure how it keeps up.

Run from the repository root::

    .venv/bin/python bench/checkins.py [--agents 1000] [--rate R]
        [--duration 30] [--find-max]

It creates a PostgreSQL database ``cleanshift_bench_<random>`` (dropped at
the end), starts one ``cleanshift serve`` process on it with the rate
limits raised, registers ``--agents`` servers through the API and has each
agent check in once to record its sites. Then simulated agents (asyncio and
httpx, real HTTP on the loopback) check in at ``--rate`` check-ins per
second in all, open loop: a check-in is due at its time whether or not the
ones before it have been answered, and its latency counts from that time,
so a server falling behind shows as latency rather than as a lower rate.
Each check-in carries health and three sites with their plugins and themes,
as the agent sends them.

Prints the achieved check-ins per second, p50/p95/p99 latency and the
errors. ``--find-max`` steps the rate up and reports the highest one whose
p99 stays under 100 ms with no errors, restarting the server after a step
that missed (an overloaded one may not recover). Always exits 0 unless the
setup fails: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
P99_GOAL_MS = 100.0
MAX_RATE_STEPS = (20, 50, 100, 200, 400, 800, 1600)
# Enough connections that the client never queues a check-in that is due.
CLIENT_CONNECTIONS = 500


@dataclass
class Agent:
    """One simulated agent: its server's token and what it reports."""

    token: str
    body: dict[str, Any]


@dataclass
class Measurement:
    """What one run at one target rate achieved."""

    target_rate: float
    duration: float
    latencies_ms: list[float]
    errors: int

    @property
    def achieved_rate(self) -> float:
        """Check-ins answered with 200 per second."""
        return len(self.latencies_ms) / self.duration

    def percentile(self, share: float) -> float:
        """Latency in ms below which ``share`` of the answered check-ins fall."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def meets_goal(self) -> bool:
        """p99 under the goal, no errors, and the rate actually reached."""
        return (
            self.errors == 0
            and self.percentile(0.99) < P99_GOAL_MS
            and self.achieved_rate >= 0.95 * self.target_rate
        )

    def summary(self) -> str:
        """One line for the report."""
        return (
            f"target {self.target_rate:7.1f}/s  achieved {self.achieved_rate:7.1f}/s"
            f"  p50 {self.percentile(0.50):7.1f} ms  p95 {self.percentile(0.95):7.1f}"
            f" ms  p99 {self.percentile(0.99):7.1f} ms  errors {self.errors}"
        )


def checkin_body(index: int) -> dict[str, Any]:
    """A check-in as an agent on a small shared host sends it."""
    rng = secrets.SystemRandom()
    gib = 1024**3
    return {
        "agent_version": "0.1.0",
        "hostname": f"web-{index:05d}.example.net",
        "os": "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36",
        "health": {
            "load1": round(rng.uniform(0, 2), 2),
            "load5": round(rng.uniform(0, 2), 2),
            "load15": round(rng.uniform(0, 2), 2),
            "mem_total": 8 * gib,
            "mem_used": rng.randrange(gib, 7 * gib),
            "disks": [{"path": "/var/www", "total": 200 * gib, "used": 61 * gib}],
            "uptime": rng.uniform(1e4, 1e7),
        },
        "sites": [site_report(index, number) for number in range(3)],
        "results": [],
    }


def site_report(index: int, number: int) -> dict[str, Any]:
    """One WordPress site with its plugins and themes, in the agent's form."""
    domain = f"site{number}.customer{index:05d}.example.com"

    def component(slug: str, version: str) -> dict[str, Any]:
        return {
            "slug": slug,
            "name": slug.replace("-", " ").title(),
            "version": version,
            "version_source": "readme",
            "active": None,
            "must_use": False,
            "main_file": f"{slug}/{slug}.php",
        }

    plugins = [
        ("akismet", "5.3.1"),
        ("contact-form-7", "5.9.3"),
        ("woocommerce", "8.6.1"),
        ("wordpress-seo", "22.1"),
        ("elementor", "3.19.2"),
        ("wp-super-cache", "1.11.0"),
    ]
    return {
        "path": f"/var/www/{domain}/public_html",
        "cms": "wordpress",
        "cms_version": "6.4.3",
        "size_bytes": 180_000_000 + number * 1_000_000,
        "file_count": 9_000 + number * 100,
        "plugins": [component(slug, version) for slug, version in plugins],
        "themes": [
            {
                "slug": "twentytwentyfour",
                "name": "Twenty Twenty-Four",
                "version": "1.0",
                "version_source": "style.css",
                "template": None,
                "active": None,
            }
        ],
        "url": f"https://{domain}",
        "raw_path": None,
        "vhost": {
            "server": "nginx",
            "names": [domain, f"www.{domain}"],
            "root": f"/var/www/{domain}/public_html",
            "tls": True,
            "port": 443,
            "config_path": f"/etc/nginx/sites-enabled/{domain}.conf",
        },
        "errors": [],
    }


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def create_database(name: str) -> str:
    """Create the bench database; its URL."""
    admin = sqlalchemy.create_engine(
        ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    """Drop the bench database, whoever is still connected."""
    admin = sqlalchemy.create_engine(
        ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(
            sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )
    admin.dispose()


class ServeProcess:
    """One ``cleanshift serve`` on the loopback, limits raised past any agent."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.database_url = database_url
        self.folder = folder
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it and return once ``/v1/health`` answers."""
        env = {
            **os.environ,
            "CLEANSHIFT_RATE_LIMIT_TOKEN": "10000000/minute",
            "CLEANSHIFT_RATE_LIMIT_ANONYMOUS": "10000000/minute",
        }
        command = [sys.executable, "-m", "cleanshift", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--database-url", self.database_url]
        command += ["--data-dir", str(self.folder / "data")]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cleanshift serve exited: {self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.2)
        raise RuntimeError("cleanshift serve did not answer within 60 s")

    def healthy(self) -> bool:
        """Whether ``/v1/health`` answers 200 within a second."""
        try:
            response = httpx.get(f"{self.base_url}/v1/health", timeout=1)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def stop(self) -> None:
        """Stop it, politely first."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log_tail(self) -> str:
        """The end of what the server wrote."""
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


async def register_agents(base_url: str, count: int) -> list[Agent]:
    """A user, ``count`` servers through the API, and one check-in each."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        answer = await client.post(
            "/v1/auth/register",
            json={
                "email": f"bench-{secrets.token_hex(4)}@example.com",
                "password": secrets.token_urlsafe(16),
            },
        )
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['api_key']}"}
        gate = asyncio.Semaphore(20)

        async def register(index: int) -> Agent:
            async with gate:
                response = await client.post(
                    "/v1/servers/register",
                    json={"name": f"web-{index:05d}", "labels": {"bench": "yes"}},
                    headers=headers,
                )
                response.raise_for_status()
                agent = Agent(response.json()["agent_token"], checkin_body(index))
                # The first check-in records the sites; the measured ones
                # are the steady state that follows.
                first = await send_checkin(client, agent)
                first.raise_for_status()
                return agent

        return list(await asyncio.gather(*(register(i) for i in range(count))))


async def send_checkin(client: httpx.AsyncClient, agent: Agent) -> httpx.Response:
    """One check-in of ``agent``."""
    return await client.post(
        "/v1/agent/checkin",
        json=agent.body,
        headers={"Authorization": f"Bearer {agent.token}"},
    )


async def drive(
    base_url: str, agents: list[Agent], rate: float, duration: float
) -> Measurement:
    """Check in at ``rate`` per second for ``duration`` seconds, round robin."""
    limits = httpx.Limits(
        max_connections=CLIENT_CONNECTIONS,
        max_keepalive_connections=CLIENT_CONNECTIONS,
    )
    latencies: list[float] = []
    errors = 0

    async with httpx.AsyncClient(
        base_url=base_url, timeout=30, limits=limits
    ) as client:

        async def one(agent: Agent, due: float) -> None:
            nonlocal errors
            try:
                response = await send_checkin(client, agent)
            except httpx.HTTPError:
                errors += 1
                return
            if response.status_code != 200:
                errors += 1
                return
            latencies.append((time.perf_counter() - due) * 1000)

        total = int(rate * duration)
        start = time.perf_counter()
        tasks = []
        for number in range(total):
            due = start + number / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            agent = agents[number % len(agents)]
            tasks.append(asyncio.create_task(one(agent, due)))
        await asyncio.gather(*tasks)
        elapsed = max(duration, time.perf_counter() - start)

    return Measurement(rate, elapsed, latencies, errors)


def find_max(serve: ServeProcess, agents: list[Agent], duration: float) -> float | None:
    """The highest rate that meets the goal: step up, then narrow it down.

    If even the first step misses the goal, the rate is halved until one
    meets it. Between the last rate that met it and the first that did not,
    two more runs halve the gap. An overloaded server may not recover by
    itself, so after a step that missed the goal it is restarted (same
    database, same agents) before the next one.
    """

    def meets_goal(rate: float) -> bool:
        measurement = asyncio.run(drive(serve.base_url, agents, rate, duration))
        print(measurement.summary(), flush=True)
        if measurement.meets_goal():
            return True
        if not serve.healthy():
            print("  (the server no longer answers)", flush=True)
        serve.stop()
        serve.start()
        # A new process builds its caches on its first requests.
        asyncio.run(drive(serve.base_url, agents, MAX_RATE_STEPS[0], 3))
        return False

    passed: float | None = None
    failed: float | None = None
    for step in MAX_RATE_STEPS:
        if not meets_goal(step):
            failed = step
            break
        passed = step
    rate = float(MAX_RATE_STEPS[0])
    while passed is None and rate > 1:
        rate /= 2
        if meets_goal(rate):
            passed = rate
        else:
            failed = rate
    if passed is None or failed is None:
        return passed
    for _ in range(2):
        rate = round((passed + failed) / 2, 1)
        if meets_goal(rate):
            passed = rate
        else:
            failed = rate
    return passed


def main() -> None:
    """Parse the arguments, set up, measure, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument(
        "--rate", type=float, help="check-ins per second (default agents / 60)"
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument(
        "--find-max",
        action="store_true",
        help=f"find the highest rate with p99 under {P99_GOAL_MS:.0f} ms",
    )
    arguments = parser.parse_args()
    rate = arguments.rate or arguments.agents / 60

    name = f"cleanshift_bench_{secrets.token_hex(4)}"
    database_url = create_database(name)
    with tempfile.TemporaryDirectory(prefix="cleanshift-bench-") as folder:
        serve = ServeProcess(database_url, Path(folder))
        try:
            serve.start()
            started = time.perf_counter()
            agents = asyncio.run(register_agents(serve.base_url, arguments.agents))
            print(
                f"{len(agents)} agents registered and checked in once "
                f"in {time.perf_counter() - started:.1f} s; database {name}",
                flush=True,
            )
            if arguments.find_max:
                best = find_max(serve, agents, arguments.duration)
                print(f"highest rate with p99 < {P99_GOAL_MS:.0f} ms: {best}/s")
            else:
                measurement = asyncio.run(
                    drive(serve.base_url, agents, rate, arguments.duration)
                )
                print(measurement.summary())
        except Exception:
            print(serve.log_tail(), file=sys.stderr)
            raise
        finally:
            serve.stop()
            drop_database(name)


if __name__ == "__main__":
    main()
