"""The ``cleanshift`` entry point and its one top-level error handler.

Exit codes: 0 success (and, for ``scan``, nothing found), 1 threats found,
2 a usage error, 3 a runtime failure the message explains.
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from cleanshift import __version__
from cleanshift.cli import agent, integrity, scan, serve, up, vulndb
from cleanshift.logsafety import install_redaction

EXIT_FAILURE = 3

app = typer.Typer(
    name="cleanshift",
    help="Find and fix what attackers leave on web servers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("scan")(scan.scan_command)
app.command("serve")(serve.serve_command)
app.command("up")(up.up_command)
app.add_typer(agent.app, name="agent")
app.add_typer(integrity.app, name="integrity")
app.add_typer(vulndb.app, name="vulndb")


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail."),
) -> None:
    """CleanShift: scan sites, run the control plane, or run the agent."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    install_redaction()
    # One line per request or migration step drowns the events people need.
    for noisy in ("httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


@app.command("version")
def version() -> None:
    """Print the version."""
    print(__version__)


class CommandError(Exception):
    """A failure the user can act on; its message says how."""


def run() -> None:
    """Run the CLI; failures become one line on stderr and an exit code."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            logging.getLogger(__name__).exception("command failed")
        Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(EXIT_FAILURE)
