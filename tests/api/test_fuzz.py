"""Property-based fuzzing of the whole API against its own OpenAPI document.

Schemathesis reads ``/v1/openapi.json`` from the running server and, for
every operation, generates requests that Hypothesis sends over real HTTP as
a fresh account. No answer may be a 5xx, each must match the schema
documented for its status, and its status must be documented at all.

Valid input ("positive") runs twice per operation: once with object ids in
the path pinned to the account's own objects (a scan with a finding, its
threat, a remediation), so that the answers past the 404 are checked too,
and once with every id generated. Invalid input ("negative") must only ever
earn a documented 4xx.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_scans import SITE, checkin, run_scan, webshell_finding
from tests.conftest import MakeServer, MakeUser, ServerHandle, UserHandle

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# Examples per operation and pass; with about 30 operations, three passes
# and two databases, the file runs in well under a minute.
EXAMPLES_PER_OPERATION = 8
# With pinned ids these would take away what the other operations work on.
DESTRUCTIVE = {
    ("DELETE", "/v1/servers/{server_id}"),
    ("DELETE", "/v1/auth/api-keys/{key_id}"),
}

fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    # The same examples on every run, so CI is stable and a failure repeats.
    derandomize=True,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def fuzz_user(make_user: MakeUser) -> UserHandle:
    """The account the fuzzer acts as."""
    return make_user()


@pytest.fixture
def fuzz_agent(make_server: MakeServer, fuzz_user: UserHandle) -> ServerHandle:
    """The server whose agent token the fuzzer checks in with."""
    return make_server(fuzz_user, name="fuzzed-agent")


@pytest.fixture
def own_objects(
    client: httpx.Client, make_server: MakeServer, fuzz_user: UserHandle
) -> dict[str, str]:
    """Path parameters naming objects of the fuzzing account."""
    server = make_server(fuzz_user)
    scan_id = run_scan(client, fuzz_user, server, [webshell_finding(f"{SITE}/x.php")])
    [threat] = client.get("/v1/threats", headers=fuzz_user.headers).json()["data"]
    remediation = client.post(
        f"/v1/threats/{threat['id']}/remediate", json={}, headers=fuzz_user.headers
    ).json()
    [command] = checkin(client, server, [])["commands"]
    checkin(
        client,
        server,
        [
            {
                "type": "result",
                "command_id": command["command_id"],
                "remediation_id": remediation["remediation_id"],
                "status": "completed",
                "summary": {"undo": {"quarantine_id": "q1"}},
            }
        ],
    )
    return {
        "server_id": server.id,
        "scan_id": scan_id,
        "threat_id": threat["id"],
        "remediation_id": remediation["remediation_id"],
    }


@pytest.mark.parametrize(
    ("mode", "pin_ids"),
    [
        pytest.param(GenerationMode.POSITIVE, True, id="valid-own-objects"),
        pytest.param(GenerationMode.POSITIVE, False, id="valid-any-id"),
        pytest.param(GenerationMode.NEGATIVE, False, id="invalid"),
    ],
)
def test_every_operation_answers_as_documented(
    client: httpx.Client,
    fuzz_user: UserHandle,
    fuzz_agent: ServerHandle,
    own_objects: dict[str, str],
    mode: GenerationMode,
    pin_ids: bool,
) -> None:
    base_url = str(client.base_url)
    schema = schemathesis.openapi.from_url(f"{base_url}/v1/openapi.json")
    failures: list[str] = []

    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"The document describes an operation wrongly: {result}")
            continue
        operation = result.ok()
        if pin_ids and (operation.method.upper(), operation.path) in DESTRUCTIVE:
            continue
        names = {parameter.name for parameter in operation.path_parameters}
        pinned = {name: own_objects[name] for name in names & set(own_objects)}
        strategy = operation.as_strategy(
            mode, path_parameters=pinned if pin_ids else None
        )
        is_agent_route = operation.path.startswith("/v1/agent/")
        headers = fuzz_agent.agent_headers if is_agent_route else fuzz_user.headers
        try:
            send_examples(strategy, base_url, headers, CHECKS)
        except Unsatisfiable:
            # An operation that takes no input has no invalid input either.
            assert mode == GenerationMode.NEGATIVE
        except (AssertionError, FailureGroup) as failure:
            failures.append(f"{operation.label}:\n{failure}")

    assert not failures, "\n\n".join(failures)


def send_examples(
    strategy: Any, base_url: str, headers: dict[str, str], checks: list[Any]
) -> None:
    """Send every example ``strategy`` generates and check each answer."""

    @given(case=strategy)
    @fuzz_settings
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=checks)

    check()
