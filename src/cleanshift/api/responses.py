"""Answers of the API: their models are the contract in ``/v1/openapi.json``.

Routes still build plain dicts in the services; declaring these models as
``response_model`` makes FastAPI check each answer against its model and
describe it in the OpenAPI document. Every model forbids unknown fields, so
a field added to a service's dict without its model here fails loudly in
the tests instead of vanishing from the answer.

Fields the agent fills in (a finding's ``type`` and ``severity``, a site's
``cms``) are plain strings: the check-in does not hold them to a list, and
an answer must not fail because an agent sent a value this file does not
know.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from cleanshift.api.schemas import ScanMode, ScanStatus

ServerStatus = Literal["pending", "online", "offline"]
StoredThreatStatus = Literal["open", "acknowledged", "false-positive", "resolved"]
RemediationStatus = Literal[
    "queued", "completed", "failed", "rolling-back", "rolled-back", "rollback-failed"
]
Playbook = Literal[
    "quarantine", "clean", "restore", "disable-plugin", "update-plugin", "db-clean"
]
CommandType = Literal["scan", "remediate", "rollback", "cancel"]

ItemT = TypeVar("ItemT", bound=BaseModel)


class Answer(BaseModel):
    """Base of every answer: exactly the fields declared, no others."""

    model_config = ConfigDict(extra="forbid")


# Errors


class ErrorDetail(BaseModel):
    """One problem behind an error, such as a field that failed validation."""

    model_config = ConfigDict(extra="allow")

    field: str | None = Field(
        default=None, description="Where the problem is, e.g. body.scan_mode."
    )
    message: str
    type: str | None = Field(default=None, description="Machine-readable kind.")


class ErrorBody(Answer):
    """What went wrong, for a person (``message``) and a program (``code``)."""

    code: str = Field(
        description="bad_request, unauthorized, forbidden, not_found, conflict, "
        "payload_too_large, validation_error or rate_limited.",
        examples=["not_found"],
    )
    message: str = Field(examples=["Server srv_x not found"])
    details: list[ErrorDetail]


class ErrorResponse(Answer):
    """The one error shape, whatever raised the error."""

    error: ErrorBody


_ERROR_DESCRIPTIONS = {
    400: "Malformed JSON body, invalid cursor or request",
    401: "Missing, invalid, expired or revoked token",
    403: "Valid token of the wrong kind for this route",
    404: "No such object in this account",
    409: "Conflicts with the object's current state",
    413: "Request body too large",
    422: "Validation failed; details name the fields",
    429: "Rate limited; Retry-After says when to try again",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting these error statuses."""
    return {
        code: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[code]}
        for code in codes
    }


# Pages


class Page(Answer, Generic[ItemT]):
    """One page of a list, newest first; pass ``next_cursor`` as ``?cursor=``."""

    data: list[ItemT]
    next_cursor: str | None = Field(description="None on the last page.")


# Service


class Health(Answer):
    """Liveness and readiness."""

    status: Literal["ok"]
    version: str
    database: Literal["ok"]


# Accounts


class User(Answer):
    """A person who signs in, and the account they belong to."""

    id: str
    email: str
    name: str | None
    account_id: str
    created_at: datetime


class Me(Answer):
    """The calling user."""

    user: User


class Registration(Answer):
    """A new account's user and its first API key (shown once)."""

    user: User
    api_key: str = Field(description="cs_live_… secret; shown only here.")


class TokenPair(Answer):
    """An access token and the refresh token that renews it."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_expires_in: int = Field(description="Seconds the refresh token is valid.")


class ApiKey(Answer):
    """An API key without its secret."""

    id: str
    name: str
    hint: str = Field(description="The key's prefix and last characters.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiKey(ApiKey):
    """A new API key with its secret, shown this once."""

    api_key: str


class ApiKeyPage(Page[ApiKey]):
    """The caller's API keys (a single page: a person has few)."""


# Servers and sites


class Server(Answer):
    """A server running the agent."""

    id: str
    name: str
    hostname: str | None
    labels: dict[str, str]
    status: ServerStatus = Field(
        description="pending until the first check-in, then online while the "
        "last one is younger than three check-in intervals, else offline."
    )
    last_checkin_at: datetime | None
    site_count: int
    agent_version: str | None
    os: str | None
    health: dict[str, Any] | None = Field(
        description="As the agent last reported it: load, memory, disks, uptime."
    )
    checkin_interval: int = Field(description="Seconds between check-ins.")
    created_at: datetime


class Site(Answer):
    """A website the agent found on a server, with its software inventory."""

    id: str
    server_id: str
    path: str
    url: str | None
    cms: str = Field(examples=["wordpress", "joomla", "drupal", "magento", "php"])
    cms_version: str | None
    plugins: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    first_seen_at: datetime
    last_seen_at: datetime


class ServerDetail(Server):
    """A server with its sites."""

    sites: list[Site]


class ServerPage(Page[Server]):
    """A page of the account's servers."""


class ServerRegistration(Answer):
    """A new server, its agent token (shown once) and the command to install."""

    server: Server
    agent_token: str = Field(description="cs_agent_… secret; shown only here.")
    install_command: str


class AgentTokenRotation(Answer):
    """A server's new agent token; the old one no longer works."""

    server_id: str
    agent_token: str
    install_command: str


# Scans, findings and threats


class ScanQueued(Answer):
    """A queued scan (or, for a repeated Idempotency-Key, the first one)."""

    scan_id: str
    status: ScanStatus
    estimated_duration: str = Field(examples=["45s", "3m20s"])


class ScanProgress(Answer):
    """How far the agent got."""

    files_total: int
    files_scanned: int
    files_skipped: int
    bytes_scanned: int


class ThreatCounts(Answer):
    """Threats a scan saw, by severity."""

    # A severity outside the four is counted under its own name rather
    # than dropped, so the counts always add up to the total.
    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, int] = Field(init=False)

    critical: int
    high: int
    medium: int
    low: int
    total: int


class Scan(Answer):
    """A scan's status, timing, progress and threat counts."""

    scan_id: str
    server_id: str
    site_id: str | None
    scan_mode: ScanMode
    status: ScanStatus
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration: str | None
    estimated_duration: str
    progress: ScanProgress
    threat_counts: ThreatCounts
    error: str | None
    problems: list[dict[str, Any]] = Field(
        description="What the scan could not do and went on without, such as "
        "a site database it could not reach: {site_path, where, message}."
    )


class _ThreatFields(Answer):
    """What a finding says about a problem; shared by findings and threats."""

    type: str = Field(examples=["malware", "vulnerability", "database", "integrity"])
    severity: str = Field(examples=["critical", "high", "medium", "low"])
    title: str
    site_id: str | None
    path: str | None
    raw_path: str | None = Field(
        description="Base64 of the path's bytes when they are not UTF-8."
    )
    location: dict[str, Any] | None = Field(
        description="Table, column and row key of a database finding."
    )
    rule: str | None
    family: str | None
    cve: str | None
    cvss: float | None
    line: int | None
    offset: int | None
    snippet: str | None
    sha256: str | None
    details: dict[str, Any] | None
    first_seen_at: datetime
    last_seen_at: datetime


class _FindingKey(Answer):
    threat_id: str


# Bases in this order put threat_id first, as a finding has always listed it.
class Finding(_ThreatFields, _FindingKey):
    """A problem a scan found; ``threat_id`` tracks it across scans."""


class ScanDetail(Scan):
    """A scan with its findings."""

    findings: list[Finding]


class ScanPage(Page[Scan]):
    """A page of the account's scans, without their findings."""


class Threat(_ThreatFields):
    """A problem tracked across scans, with its status."""

    id: str
    server_id: str
    status: StoredThreatStatus
    last_scan_id: str | None


class ThreatEvent(Answer):
    """A change of a threat's status."""

    # "from" is a Python keyword, hence the alias.
    from_status: StoredThreatStatus | None = Field(alias="from")
    to: StoredThreatStatus
    actor: str = Field(description="scan, agent, or the id of the user.")
    note: str | None
    at: datetime


class ThreatDetail(Threat):
    """A threat with the history of its status."""

    history: list[ThreatEvent]


class ThreatPage(Page[Threat]):
    """A page of the account's threats."""


class BulkUpdateError(Answer):
    """A threat of a bulk update that was not changed, and why."""

    id: str
    error: str


class BulkUpdateResult(Answer):
    """The threats a bulk update changed, and the ids it could not."""

    updated: list[Threat]
    errors: list[BulkUpdateError]


# Remediations


class RemediationQueued(Answer):
    """A remediation waiting for the agent."""

    remediation_id: str
    threat_id: str
    playbook: Playbook
    dry_run: bool
    status: RemediationStatus


class Remediation(Answer):
    """A playbook run on a threat: what it did and whether it can be undone."""

    remediation_id: str
    threat_id: str
    server_id: str
    playbook: Playbook
    dry_run: bool
    status: RemediationStatus
    steps: list[Any]
    can_rollback: bool
    undo: dict[str, Any] | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    rolled_back_at: datetime | None


# Agent


class AgentCommand(Answer):
    """Work for the agent; it stays pending until its result arrives."""

    command_id: str
    type: CommandType
    payload: dict[str, Any]


class CheckinAnswer(Answer):
    """What the agent gets back from a check-in."""

    server_id: str
    checkin_interval: int
    commands: list[AgentCommand]
    ws_url: str
    ws_token: str = Field(description="Short-lived; only opens the WebSocket.")


class ShellScriptResponse(PlainTextResponse):
    """A shell script, served as such."""

    media_type = "text/x-shellscript"
