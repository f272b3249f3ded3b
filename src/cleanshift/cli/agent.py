"""``cleanshift agent``: the agent that runs on each server."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from types import FrameType

import typer

from cleanshift.agent.daemon import Agent

app = typer.Typer(help="Run the CleanShift agent on this server.", no_args_is_help=True)
logger = logging.getLogger(__name__)


@app.command("run")
def run_command(
    api_url: str = typer.Option(..., help="The control plane's base URL."),
    token: str = typer.Option(
        ...,
        envvar="CLEANSHIFT_AGENT_TOKEN",
        help="This server's agent token (cs_agent_...); prefer the "
        "CLEANSHIFT_AGENT_TOKEN variable, which other users cannot read in ps.",
    ),
    web_root: list[Path] = typer.Option(
        [Path("/var/www")], help="A folder holding websites; repeat for more."
    ),
    state_dir: Path = typer.Option(
        Path("/var/lib/cleanshift-agent"), help="Where the agent keeps its state."
    ),
    interval: float | None = typer.Option(
        None, help="Seconds between check-ins; default: what the server says."
    ),
    workers: int | None = typer.Option(
        None, help="Scan worker processes; default: one per core."
    ),
) -> None:
    """Run the agent in the foreground until interrupted."""
    agent = Agent(
        api_url,
        token,
        web_root,
        state_dir,
        checkin_interval=interval,
        workers=workers,
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("stopping on signal %d", signum)
        agent.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    agent.run()
