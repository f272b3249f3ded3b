"""Request bodies; their constraints are the API's validation rules."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

ScanMode = Literal["quick", "full", "deep"]
ThreatStatus = Literal[
    "open", "acknowledged", "acknowledge", "false-positive", "resolved"
]


class Body(BaseModel):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class RegisterRequest(Body):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    name: str | None = Field(default=None, max_length=200)


class LoginRequest(Body):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(Body):
    refresh_token: str = Field(min_length=1, max_length=200)


class ApiKeyCreateRequest(Body):
    name: str = Field(min_length=1, max_length=200)


class ServerRegisterRequest(Body):
    name: str = Field(min_length=1, max_length=200)
    hostname: str | None = Field(default=None, max_length=255)
    labels: dict[str, str] = Field(default_factory=dict, max_length=50)


class ScanTriggerRequest(Body):
    server_id: str = Field(min_length=1, max_length=64)
    site_id: str | None = Field(default=None, max_length=64)
    scan_mode: ScanMode = "quick"


class ThreatUpdateRequest(Body):
    status: ThreatStatus
    note: str | None = Field(default=None, max_length=2000)


class ThreatBulkUpdateRequest(Body):
    ids: list[str] = Field(min_length=1, max_length=1000)
    status: ThreatStatus
    note: str | None = Field(default=None, max_length=2000)


class RemediateRequest(Body):
    playbook: str | None = Field(default=None, max_length=30)
    dry_run: bool = False


class SiteReport(BaseModel):
    """A site as the agent reports it."""

    model_config = ConfigDict(extra="allow")

    path: str = Field(min_length=1, max_length=4096)
    url: str | None = None
    cms: str = "php"
    cms_version: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)
    file_count: int | None = Field(default=None, ge=0)
    plugins: list[dict[str, Any]] = Field(default_factory=list)
    themes: list[dict[str, Any]] = Field(default_factory=list)


class CheckinRequest(BaseModel):
    """The agent's periodic report."""

    model_config = ConfigDict(extra="allow")

    agent_version: str | None = Field(default=None, max_length=50)
    hostname: str | None = Field(default=None, max_length=255)
    os: str | None = Field(default=None, max_length=200)
    health: dict[str, Any] | None = None
    sites: list[SiteReport] | None = None
    results: list[dict[str, Any]] = Field(default_factory=list, max_length=100_000)
