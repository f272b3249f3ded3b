"""An API, an enrolled server and its agent, as real processes, for remediation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.integration.processes import (
    ProcessGroup,
    start_agent,
    start_api,
    unique_email,
    wait_for,
)


class Fleet:
    """One API, one enrolled server and its agent, over real HTTP."""

    def __init__(self, tmp_path: Path, processes: ProcessGroup, database_url: str):
        self.tmp_path = tmp_path
        self.processes = processes
        self.web_root = tmp_path / "www"
        self.state_dir = tmp_path / "agent"
        self.url = start_api(processes, tmp_path / "data", database_url)
        self.api = httpx.Client(base_url=self.url, timeout=30)
        registered = self.api.post(
            "/v1/auth/register",
            json={"email": unique_email(), "password": "correct horse battery staple"},
        )
        assert registered.status_code == 201, registered.text
        self.api.headers["Authorization"] = f"Bearer {registered.json()['api_key']}"
        enrolled = self.api.post("/v1/servers/register", json={"name": "web-1"}).json()
        self.server_id = enrolled["server"]["id"]
        self.token = enrolled["agent_token"]
        self.agent = self.start_agent()

    def start_agent(self) -> Any:
        # A killed agent must leave the group, or wait_for reports it dead.
        self.processes.processes = [
            entry for entry in self.processes.processes if entry[0] != "agent"
        ]
        return start_agent(
            self.processes, self.url, self.token, self.web_root, self.state_dir
        )

    def scan(self) -> list[dict[str, Any]]:
        """A full scan; returns the server's threats."""
        wait_for(
            lambda: self.api.get(f"/v1/servers/{self.server_id}").json()["sites"],
            60,
            "the agent's first check-in",
            self.processes,
        )
        scan_id = self.api.post(
            "/v1/scans/trigger", json={"server_id": self.server_id, "scan_mode": "full"}
        ).json()["scan_id"]

        def finished() -> dict[str, Any] | None:
            scan: dict[str, Any] = self.api.get(f"/v1/scans/{scan_id}").json()
            return scan if scan["status"] in ("completed", "failed") else None

        scan = wait_for(finished, 300, "the scan", self.processes)
        assert scan["status"] == "completed", scan
        threats: list[dict[str, Any]] = self.api.get(
            "/v1/threats", params={"server_id": self.server_id}
        ).json()["data"]
        return threats

    def remediate(self, threat_id: str, playbook: str, **body: Any) -> str:
        answer = self.api.post(
            f"/v1/threats/{threat_id}/remediate", json={"playbook": playbook, **body}
        )
        assert answer.status_code == 202, answer.text
        remediation_id: str = answer.json()["remediation_id"]
        return remediation_id

    def rollback(self, remediation_id: str) -> None:
        answer = self.api.post(f"/v1/remediations/{remediation_id}/rollback")
        assert answer.status_code == 202, answer.text

    def wait_status(
        self, remediation_id: str, *statuses: str, timeout: float = 120
    ) -> dict[str, Any]:
        def settled() -> dict[str, Any] | None:
            body: dict[str, Any] = self.api.get(
                f"/v1/remediations/{remediation_id}"
            ).json()
            return body if body["status"] in statuses else None

        result: dict[str, Any] = wait_for(
            settled, timeout, f"remediation {statuses}", self.processes
        )
        return result

    def threat(self, threat_id: str) -> dict[str, Any]:
        body: dict[str, Any] = self.api.get(f"/v1/threats/{threat_id}").json()
        return body


def import_feed(processes: ProcessGroup, database_url: str, path: Path) -> None:
    """A one-advisory Wordfence feed for contact-helper up to 1.2.4."""
    feed = {
        "6f2a1c3e-0000-4000-8000-000000000001": {
            "id": "6f2a1c3e-0000-4000-8000-000000000001",
            "title": "Contact Helper <= 1.2.4 - Unauthenticated SQL Injection",
            "cve": "CVE-2099-0001",
            "cvss": {"score": 9.8, "rating": "Critical"},
            "software": [
                {
                    "type": "plugin",
                    "slug": "contact-helper",
                    "affected_versions": {
                        "* - 1.2.4": {
                            "from_version": "*",
                            "from_inclusive": True,
                            "to_version": "1.2.4",
                            "to_inclusive": True,
                        }
                    },
                    "patched_versions": ["1.2.5"],
                }
            ],
        }
    }
    path.write_text(json.dumps(feed))
    completed = subprocess.run(
        [sys.executable, "-m", "cleanshift", "vulndb", "import", str(path)],
        env={**os.environ, "CLEANSHIFT_DATABASE_URL": database_url},
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
