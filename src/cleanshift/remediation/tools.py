"""Outside programs a playbook runs: ``php -l`` and WP-CLI.

``php -l`` only parses: it runs no code of the file it checks, and it runs
on a private copy, never on the site's file. WP-CLI is another matter: it
boots WordPress, so it runs the site's configuration and core. It is used
only for plugin updates, with plugins and themes skipped, and as the site's
owner rather than root whenever the site has a non-root owner.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanshift.remediation.errors import ToolError

logger = logging.getLogger(__name__)

# Only what the tools need; the agent's own environment holds its token.
_SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")
MAX_OUTPUT = 2000


@dataclass(frozen=True)
class ToolResult:
    """How a program ended, and the end of what it printed."""

    returncode: int
    output: str


def php_lint(
    php_binary: str, data: bytes, work_dir: Path, timeout: float
) -> str | None:
    """``None`` if ``php -l`` accepts ``data``; otherwise what it said."""
    with tempfile.TemporaryDirectory(dir=work_dir) as folder:
        copy = Path(folder) / "candidate.php"
        copy.write_bytes(data)
        # -n: no php.ini, so no auto_prepend_file or extension of the host's
        # configuration comes into play.
        result = run_tool([php_binary, "-n", "-l", str(copy)], timeout=timeout)
    if result.returncode == 0:
        return None
    return result.output.replace(str(copy), "the cleaned file")


def run_tool(
    command: Sequence[str],
    *,
    timeout: float,
    cwd: str | None = None,
    user: int | None = None,
    group: int | None = None,
) -> ToolResult:
    """Run a program with a bare environment; ``ToolError`` if it cannot run."""
    environment = {
        name: os.environ[name] for name in _SAFE_ENVIRONMENT if name in os.environ
    }
    try:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=environment,
            user=user,
            group=group,
            extra_groups=[] if group is not None else None,
            # Its own process group, so a timeout stops its children too.
            start_new_session=True,
        )
    except OSError as error:
        raise ToolError(f"cannot run {command[0]}: {error.strerror}") from error
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ToolError(
            f"{Path(command[0]).name} did not finish within {timeout:.0f}s"
        ) from error
    output = (stdout + stderr).decode("utf-8", "replace")
    logger.debug("%s exited %d", Path(command[0]).name, process.returncode)
    return ToolResult(process.returncode, output.strip()[-MAX_OUTPUT:])
