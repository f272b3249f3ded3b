"""Disabling and updating plugins on real folders; WP-CLI is a real script."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from cleanshift.remediation import RemediationContext
from tests.remediation.conftest import Run, tree_state, write

FAKE_WP = b"""#!/bin/sh
# Stands in for WP-CLI: records its arguments and "updates" the plugin.
echo "$@" > "$(dirname "$0")/args.log"
for arg; do
  case "$arg" in
    --path=*) site="${arg#--path=}" ;;
    --version=*) version="${arg#--version=}" ;;
  esac
done
folder="$site/wp-content/plugins/$3"
rm "$folder/readme.txt"
if [ -f "$(dirname "$0")/fail" ]; then echo "Error: download failed"; exit 1; fi
if [ -f "$(dirname "$0")/hang" ]; then sleep 30; fi
sed -i "s/Version: .*/Version: ${version:-9.0.0}/" "$folder/$3.php"
echo '<?php // new in this release' > "$folder/added.php"
"""


def vulnerability(
    site: Path, slug: str = "contact-helper", **extra: Any
) -> dict[str, Any]:
    """A vulnerability threat as the control plane sends it."""
    return {
        "threat_id": "thr_vuln",
        "type": "vulnerability",
        "path": f"{site}/wp-content/plugins/{slug}",
        "raw_path": None,
        "location": {"site_path": str(site), "software_type": "plugin", "slug": slug},
        "rule": "WF-123",
        "sha256": None,
        **extra,
    }


@pytest.fixture
def fake_wp(tmp_path: Path, context: RemediationContext) -> Path:
    script = write(tmp_path, "bin/wp", FAKE_WP)
    script.chmod(0o755)
    context.wp_cli = str(script)
    return script


def test_disable_and_enable_again(site: Path, remediate: Run, rollback: Run) -> None:
    folder = site / "wp-content/plugins/contact-helper"
    folder.chmod(0o750)
    before = tree_state(site)

    status, summary = remediate("disable-plugin", vulnerability(site))

    assert status == "completed", summary
    assert summary["verified"] is True
    assert not folder.exists()
    marker = f".cleanshift-disabled-{summary['remediation_id']}"
    disabled = site / f"wp-content/plugins/contact-helper{marker}"
    assert stat.S_IMODE(os.lstat(disabled).st_mode) == 0

    status, result = rollback(summary)

    assert status == "completed", result
    assert tree_state(site) == before


def test_disable_a_single_file_plugin(
    site: Path, remediate: Run, rollback: Run
) -> None:
    plugin = write(
        site, "wp-content/plugins/hello.php", b"<?php\n/* Plugin Name: Hello */\n"
    )
    before = tree_state(site)

    status, summary = remediate("disable-plugin", vulnerability(site, "hello"))
    assert status == "completed", summary
    assert not plugin.exists()

    assert rollback(summary)[0] == "completed"
    assert tree_state(site) == before


def test_rollback_keeps_a_reinstalled_plugin(
    site: Path, remediate: Run, rollback: Run
) -> None:
    _, summary = remediate("disable-plugin", vulnerability(site))
    write(
        site, "wp-content/plugins/contact-helper/contact-helper.php", b"<?php // 2.0\n"
    )

    status, result = rollback(summary)

    assert status == "failed"
    assert "a new copy of the plugin is installed" in result["error"]
    assert (
        site / "wp-content/plugins/contact-helper/contact-helper.php"
    ).read_bytes() == (b"<?php // 2.0\n")


def test_disable_dry_run_and_bad_slugs(site: Path, remediate: Run) -> None:
    before = tree_state(site)

    status, summary = remediate("disable-plugin", vulnerability(site), dry_run=True)
    assert status == "completed", summary
    assert tree_state(site) == before

    for slug in ("..", "../../wp-includes", ""):
        status, summary = remediate("disable-plugin", vulnerability(site, slug))
        assert status == "failed", slug
    assert tree_state(site) == before


def test_update_without_wp_cli_disables_instead(
    site: Path, context: RemediationContext, remediate: Run, rollback: Run
) -> None:
    context.wp_cli = None
    before = tree_state(site)

    status, summary = remediate("update-plugin", vulnerability(site))

    assert status == "completed", summary
    assert (
        summary["steps"][0]["fallback"] == "WP-CLI not found; plugin disabled instead"
    )
    assert summary["undo"]["playbook"] == "disable-plugin"
    assert not (site / "wp-content/plugins/contact-helper").exists()
    assert rollback(summary)[0] == "completed"
    assert tree_state(site) == before


def test_update_with_wp_cli_and_roll_back(
    site: Path, fake_wp: Path, remediate: Run, rollback: Run
) -> None:
    folder = site / "wp-content/plugins/contact-helper"
    before = tree_state(site)

    status, summary = remediate(
        "update-plugin", vulnerability(site, details={"patched_version": "1.2.5"})
    )

    assert status == "completed", summary
    assert summary["verified"] is True
    assert b"Version: 1.2.5" in (folder / "contact-helper.php").read_bytes()
    arguments = (fake_wp.parent / "args.log").read_text().split()
    assert arguments[:3] == ["plugin", "update", "contact-helper"]
    assert f"--path={site}" in arguments
    assert "--version=1.2.5" in arguments
    assert "--skip-plugins" in arguments
    assert ("--allow-root" in arguments) == (os.geteuid() == 0)
    assert summary["undo"]["version_before"] == "1.2.0"
    assert summary["undo"]["version_after"] == "1.2.5"

    status, result = rollback(summary)

    assert status == "completed", result
    assert tree_state(site) == before
    assert not [name for name in os.listdir(folder.parent) if name.startswith(".")]


def test_failed_update_puts_the_plugin_back(
    site: Path, fake_wp: Path, remediate: Run
) -> None:
    (fake_wp.parent / "fail").write_text("1")
    before = tree_state(site)

    status, summary = remediate("update-plugin", vulnerability(site))

    assert status == "failed"
    assert "download failed" in summary["error"]
    assert "put back as it was" in summary["error"]
    assert tree_state(site) == before


def test_a_hung_update_is_stopped_and_put_back(
    site: Path, fake_wp: Path, context: RemediationContext, remediate: Run
) -> None:
    (fake_wp.parent / "hang").write_text("1")
    context.tool_timeout = 1
    before = tree_state(site)

    status, summary = remediate("update-plugin", vulnerability(site))

    assert status == "failed"
    assert "did not finish" in summary["error"]
    assert tree_state(site) == before
