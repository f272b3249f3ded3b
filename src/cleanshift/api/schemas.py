"""Request bodies and parameters; their constraints are the API's validation rules.

The limits follow the columns the values land in, so that input the database
could not store is a 422 here rather than a driver error and a 500 later.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    EmailStr,
    Field,
    Tag,
)

ScanMode = Literal["quick", "full", "deep"]
ScanStatus = Literal["queued", "running", "completed", "failed", "cancelled"]
ThreatStatus = Literal[
    "open", "acknowledged", "acknowledge", "false-positive", "resolved"
]

# Ranges of the integer columns (PostgreSQL INTEGER and BIGINT).
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and a lone surrogate (valid in JSON's
    # \u escapes) cannot be encoded as UTF-8 for any database.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode (no lone surrogates)") from error
    return value


def _finite(value: Any) -> Any:
    # Python's JSON parser accepts NaN and Infinity, which JSON itself (and
    # so PostgreSQL's json type) does not.
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must hold only finite numbers (no NaN or Infinity)")
    if isinstance(value, dict):
        for item in value.values():
            _finite(item)
    elif isinstance(value, list):
        for item in value:
            _finite(item)
    return value


# A string the database can store.
Text = Annotated[str, AfterValidator(_storable)]
# Free-form JSON kept as it came (health, inventories, undo data).
JsonObject = Annotated[dict[str, Any], AfterValidator(_finite)]
JsonList = Annotated[list[Any], AfterValidator(_finite)]
Int32 = Annotated[int, Field(ge=-MAX_INT32 - 1, le=MAX_INT32)]
Int64 = Annotated[int, Field(ge=-MAX_INT64 - 1, le=MAX_INT64)]
# An object's id as a path parameter, and as a list filter.
ObjectId = Annotated[Text, Path(min_length=1, max_length=64)]
IdFilter = Annotated[Text | None, Query(max_length=64)]


class Body(BaseModel):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class RegisterRequest(Body):
    email: EmailStr
    password: Text = Field(min_length=1, max_length=1024)
    name: Text | None = Field(default=None, max_length=200)


class LoginRequest(Body):
    email: Text = Field(min_length=1, max_length=320)
    password: Text = Field(min_length=1, max_length=1024)


class RefreshRequest(Body):
    refresh_token: Text = Field(min_length=1, max_length=200)


class ApiKeyCreateRequest(Body):
    name: Text = Field(min_length=1, max_length=200)


class ServerRegisterRequest(Body):
    name: Text = Field(min_length=1, max_length=200)
    hostname: Text | None = Field(default=None, max_length=255)
    labels: dict[str, str] = Field(default_factory=dict, max_length=50)


class ScanTriggerRequest(Body):
    server_id: Text = Field(min_length=1, max_length=64)
    site_id: Text | None = Field(default=None, max_length=64)
    scan_mode: ScanMode = "quick"


class ThreatUpdateRequest(Body):
    status: ThreatStatus
    note: Text | None = Field(default=None, max_length=2000)


class ThreatBulkUpdateRequest(Body):
    ids: list[Annotated[Text, Field(max_length=64)]] = Field(
        min_length=1, max_length=1000
    )
    status: ThreatStatus
    note: Text | None = Field(default=None, max_length=2000)


class RemediateRequest(Body):
    playbook: Text | None = Field(default=None, max_length=30)
    dry_run: bool = False


class SiteReport(BaseModel):
    """A site as the agent reports it."""

    model_config = ConfigDict(extra="allow")

    path: Text = Field(min_length=1, max_length=4096)
    url: Text | None = None
    cms: Text = Field(default="php", max_length=50)
    cms_version: Text | None = Field(default=None, max_length=100)
    size_bytes: int | None = Field(default=None, ge=0, le=MAX_INT64)
    file_count: int | None = Field(default=None, ge=0, le=MAX_INT32)
    plugins: list[JsonObject] = Field(default_factory=list)
    themes: list[JsonObject] = Field(default_factory=list)


class AgentMessage(BaseModel):
    """What every message from the agent may carry.

    Each field is held to what the control plane stores it in; what it does
    not read passes through untouched.
    """

    model_config = ConfigDict(extra="allow")

    type: Text | None = Field(default=None, max_length=20)
    message_id: Text | None = Field(default=None, max_length=100)
    command_id: Text | None = Field(default=None, max_length=64)
    scan_id: Text | None = Field(default=None, max_length=64)
    remediation_id: Text | None = Field(default=None, max_length=64)


class ProgressMessage(AgentMessage):
    """How far a scan got."""

    type: Literal["progress"]
    files_total: Int32 | None = None
    files_scanned: Int32 | None = None
    files_skipped: Int32 | None = None
    bytes_scanned: Int64 | None = None


class FindingReport(BaseModel):
    """A problem a scan found, as the agent reports it."""

    model_config = ConfigDict(extra="allow")

    type: Text = Field(
        min_length=1,
        max_length=20,
        examples=["malware", "vulnerability", "database", "integrity"],
    )
    severity: Text = Field(
        min_length=1, max_length=10, examples=["critical", "high", "medium", "low"]
    )
    title: Text | None = None
    site_path: Text | None = None
    path: Text | None = None
    raw_path: Text | None = None
    location: JsonObject | None = None
    rule: Text | None = Field(default=None, max_length=200)
    family: Text | None = Field(default=None, max_length=50)
    cve: Text | None = Field(default=None, max_length=50)
    cvss: float | None = Field(default=None, allow_inf_nan=False)
    line: Int32 | None = None
    offset: Int64 | None = None
    snippet: Text | None = None
    sha256: Text | None = Field(default=None, max_length=64)
    details: JsonObject | None = None


class FindingMessage(AgentMessage):
    """One finding of a scan."""

    type: Literal["finding"]
    finding: FindingReport


class ResultSummary(BaseModel):
    """What a finished scan or playbook reports."""

    model_config = ConfigDict(extra="allow")

    files_total: Int32 | None = None
    files_scanned: Int32 | None = None
    files_skipped: Int32 | None = None
    bytes_scanned: Int64 | None = None
    duration: float | None = Field(default=None, allow_inf_nan=False)
    error: Text | None = None
    steps: JsonList = Field(default_factory=list)
    undo: JsonObject | None = None


class ResultMessage(AgentMessage):
    """The end of a command: a scan's, a remediation's or a rollback's."""

    type: Literal["result"]
    status: Text | None = Field(default=None, max_length=20)
    summary: ResultSummary | None = None


def _message_kind(message: Any) -> str | None:
    if isinstance(message, dict):
        kind = message.get("type")
    elif isinstance(message, AgentMessage):
        kind = message.type
    else:
        # Not an object: no kind, which validation reports as a 422.
        return None
    return kind if kind in ("progress", "finding", "result") else "other"


# Acks and kinds this control plane does not know share the common fields.
AgentMessageUnion = Annotated[
    Annotated[ProgressMessage, Tag("progress")]
    | Annotated[FindingMessage, Tag("finding")]
    | Annotated[ResultMessage, Tag("result")]
    | Annotated[AgentMessage, Tag("other")],
    Discriminator(_message_kind),
]


class CheckinRequest(BaseModel):
    """The agent's periodic report."""

    model_config = ConfigDict(extra="allow")

    agent_version: Text | None = Field(default=None, max_length=50)
    hostname: Text | None = Field(default=None, max_length=255)
    os: Text | None = Field(default=None, max_length=200)
    health: JsonObject | None = None
    sites: list[SiteReport] | None = None
    results: list[AgentMessageUnion] = Field(
        default_factory=list,
        max_length=100_000,
        description="Messages the agent could not deliver over the WebSocket.",
    )
