"""The control plane's tables. Every tenant-owned row carries ``account_id``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cleanshift.db.types import UTCDateTime, utc_now


class Base(DeclarativeBase):
    """The declarative base of every table."""

    # Named constraints, so that migrations can alter them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )

    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}  # noqa: RUF012


class TenantOwned:
    """Columns of every row that belongs to one account (tenant)."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)


class Account(Base):
    """A tenant: the unit that owns servers, scans and threats."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class User(Base):
    """A person who signs in to an account."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ApiKey(TenantOwned, Base):
    """A long-lived ``cs_live_`` key; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class RefreshToken(Base):
    """One refresh token of a login session; a family is one login's chain."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Server(TenantOwned, Base):
    """A machine running the agent."""

    __tablename__ = "servers"

    name: Mapped[str] = mapped_column(String(200))
    hostname: Mapped[str | None] = mapped_column(String(255))
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    agent_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_version: Mapped[str | None] = mapped_column(String(50))
    os: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checkin_interval: Mapped[int] = mapped_column(Integer, default=60)
    last_checkin_at: Mapped[datetime | None]
    bytes_per_second: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Site(TenantOwned, Base):
    """A website the agent found on a server."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("server_id", "path"),)

    server_id: Mapped[str] = mapped_column(
        ForeignKey("servers.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    cms: Mapped[str] = mapped_column(String(50))
    cms_version: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    file_count: Mapped[int | None] = mapped_column(Integer)
    inventory: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What the last vulnerability match saw (inventory and feeds), so that an
    # unchanged check-in does not match again.
    vulnerability_state: Mapped[str | None] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)


class Scan(TenantOwned, Base):
    """One scan of a server or of one of its sites."""

    __tablename__ = "scans"
    __table_args__ = (UniqueConstraint("account_id", "idempotency_key"),)

    server_id: Mapped[str] = mapped_column(
        ForeignKey("servers.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[str | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL")
    )
    scan_mode: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    estimated_seconds: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    files_total: Mapped[int] = mapped_column(Integer, default=0)
    files_scanned: Mapped[int] = mapped_column(Integer, default=0)
    files_skipped: Mapped[int] = mapped_column(Integer, default=0)
    bytes_scanned: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # What the scan could not do but went on without (an unreachable site
    # database, a missing table), for people to see on the scan.
    problems: Mapped[list[Any] | None] = mapped_column(JSON)


class Command(TenantOwned, Base):
    """A unit of work for an agent; delivered by check-in or WebSocket."""

    __tablename__ = "commands"
    __table_args__ = (Index("ix_commands_server_status", "server_id", "status"),)

    server_id: Mapped[str] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Threat(TenantOwned, Base):
    """One problem tracked across scans, keyed by its fingerprint."""

    __tablename__ = "threats"
    __table_args__ = (UniqueConstraint("server_id", "fingerprint"),)

    server_id: Mapped[str] = mapped_column(
        ForeignKey("servers.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[str | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL")
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    title: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    raw_path: Mapped[str | None] = mapped_column(Text)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rule: Mapped[str | None] = mapped_column(String(200))
    family: Mapped[str | None] = mapped_column(String(50))
    cve: Mapped[str | None] = mapped_column(String(50))
    cvss: Mapped[float | None] = mapped_column(Float)
    line: Mapped[int | None] = mapped_column(Integer)
    offset: Mapped[int | None] = mapped_column(BigInteger)
    snippet: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_scan_id: Mapped[str | None] = mapped_column(String(32))


class ScanFinding(Base):
    """That a scan saw a threat; the key makes repeated delivery harmless."""

    __tablename__ = "scan_findings"

    scan_id: Mapped[str] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )
    threat_id: Mapped[str] = mapped_column(
        ForeignKey("threats.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seen_at: Mapped[datetime] = mapped_column(default=utc_now)


class ThreatEvent(Base):
    """A change of a threat's status, for its history."""

    __tablename__ = "threat_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    threat_id: Mapped[str] = mapped_column(
        ForeignKey("threats.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utc_now)


class Remediation(TenantOwned, Base):
    """A playbook run on a threat, with what it did and what undoes it."""

    __tablename__ = "remediations"

    server_id: Mapped[str] = mapped_column(
        ForeignKey("servers.id", ondelete="CASCADE"), index=True
    )
    threat_id: Mapped[str] = mapped_column(
        ForeignKey("threats.id", ondelete="CASCADE"), index=True
    )
    playbook: Mapped[str] = mapped_column(String(30))
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    undo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    rolled_back_at: Mapped[datetime | None]


class VulnerabilityFeed(Base):
    """An imported vulnerability feed, kept whole so every API process can load it."""

    __tablename__ = "vulnerability_feeds"

    source: Mapped[str] = mapped_column(String(50), primary_key=True)
    format: Mapped[str] = mapped_column(String(20))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    origin: Mapped[str | None] = mapped_column(Text)
