"""An injected option, found by a deep scan, cleaned and put back by the agent."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.test_site import write_wp_config
from tests.dbscan.wordpress_content import build_clean_wordpress
from tests.dbscan.wordpress_schema import php_serialize
from tests.dbscan.wordpress_site_options import widget_options
from tests.integration.processes import ProcessGroup, wait_for
from tests.remediation.fleet import Fleet

INJECTED = '<script src="https://45.133.1.20/static/w.js"></script>'


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


def widget_text(database: ScratchDatabase) -> str:
    with database.writer.cursor() as cursor:
        cursor.execute(
            "SELECT option_value FROM wp_options WHERE option_name = 'widget_text'"
        )
        (value,) = cursor.fetchone()
    return str(value)


def test_db_clean_removes_the_injection_and_rollback_restores_the_row(
    tmp_path: Path,
    processes: ProcessGroup,
    test_database: ScratchDatabase,
    wordpress_tree: Path,
) -> None:
    site = tmp_path / "www" / "blog"
    shutil.copytree(wordpress_tree, site, symlinks=True)
    build_clean_wordpress(test_database)
    clean_value = widget_text(test_database)
    injected = php_serialize(widget_options(text_suffix=INJECTED)["widget_text"])
    test_database.execute(
        "UPDATE wp_options SET option_value = %s WHERE option_name = 'widget_text'",
        (injected,),
    )
    write_wp_config(site, test_database.name)
    fleet = Fleet(tmp_path, processes, f"sqlite:///{tmp_path / 'cleanshift.db'}")
    fleet.scan()

    scan_id = fleet.api.post(
        "/v1/scans/trigger", json={"server_id": fleet.server_id, "scan_mode": "deep"}
    ).json()["scan_id"]

    def finished() -> dict[str, Any] | None:
        scan: dict[str, Any] = fleet.api.get(f"/v1/scans/{scan_id}").json()
        return scan if scan["status"] in ("completed", "failed") else None

    scan = wait_for(finished, 300, "the deep scan", processes)
    assert scan["status"] == "completed", scan
    assert scan["problems"] == []
    [threat] = [f for f in scan["findings"] if f["type"] == "database"]
    assert threat["location"]["table"] == "wp_options"
    assert threat["location"]["name"] == "widget_text"

    remediation_id = fleet.remediate(threat["threat_id"], "db-clean")
    done = fleet.wait_status(remediation_id, "completed", "failed")
    assert done["status"] == "completed", done
    cleaned = widget_text(test_database)
    assert INJECTED not in cleaned
    assert cleaned == clean_value
    assert fleet.threat(threat["threat_id"])["status"] == "resolved"

    fleet.rollback(remediation_id)
    undone = fleet.wait_status(remediation_id, "rolled-back", "rollback-failed")
    assert undone["status"] == "rolled-back", undone
    assert widget_text(test_database) == injected
