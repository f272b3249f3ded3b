"""Servers: registration, agent tokens, status and their sites."""

from __future__ import annotations

import logging
import shlex
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cleanshift.db.models import Server, Site
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id, new_secret
from cleanshift.services.accounts import AGENT_TOKEN_PREFIX, Principal
from cleanshift.services.security import hash_secret
from cleanshift.services.tenancy import get_owned

logger = logging.getLogger(__name__)

# A server is online while its last check-in is younger than this many
# check-in intervals.
ONLINE_INTERVALS = 3


def register_server(
    session: Session,
    principal: Principal,
    public_url: str,
    name: str,
    hostname: str | None,
    labels: dict[str, str],
    checkin_interval: int,
) -> tuple[Server, str, str]:
    """Create a server; returns it, its agent token and the install command."""
    token = new_secret(AGENT_TOKEN_PREFIX)
    server = Server(
        id=new_id("srv"),
        account_id=principal.account_id,
        name=name,
        hostname=hostname,
        labels=labels,
        agent_token_hash=hash_secret(token),
        checkin_interval=checkin_interval,
    )
    session.add(server)
    session.flush()
    logger.info("registered server %s", server.id)
    return server, token, install_command(public_url, token)


def install_command(public_url: str, token: str) -> str:
    """The one-line shell command that installs the agent with ``token``."""
    url = public_url.rstrip("/")
    return (
        f"curl -fsSL {shlex.quote(url + '/v1/agent/install.sh')} | sudo sh -s -- "
        f"--api-url {shlex.quote(url)} --token {shlex.quote(token)}"
    )


def get_server(session: Session, principal: Principal, server_id: str) -> Server:
    """The caller's server, or ``NotFoundError`` whether it is missing or foreign."""
    return get_owned(session, principal, Server, server_id)


def server_status(server: Server, now: datetime | None = None) -> str:
    """``pending`` before the first check-in, then ``online`` or ``offline``."""
    if server.last_checkin_at is None:
        return "pending"
    now = now or utc_now()
    window = timedelta(seconds=server.checkin_interval * ONLINE_INTERVALS)
    return "online" if now - server.last_checkin_at < window else "offline"


def site_counts(session: Session, server_ids: list[str]) -> dict[str, int]:
    """How many sites each of these servers has."""
    if not server_ids:
        return {}
    rows = session.execute(
        select(Site.server_id, func.count())
        .where(Site.server_id.in_(server_ids))
        .group_by(Site.server_id)
    )
    return dict(rows.all())


def list_sites(session: Session, server: Server) -> list[Site]:
    """The server's sites by path."""
    return list(
        session.scalars(
            select(Site).where(Site.server_id == server.id).order_by(Site.path)
        )
    )


def server_to_dict(server: Server, site_count: int) -> dict[str, Any]:
    """The API form of a server."""
    return {
        "id": server.id,
        "name": server.name,
        "hostname": server.hostname,
        "labels": server.labels,
        "status": server_status(server),
        "last_checkin_at": server.last_checkin_at,
        "site_count": site_count,
        "agent_version": server.agent_version,
        "os": server.os,
        "health": server.health or None,
        "checkin_interval": server.checkin_interval,
        "created_at": server.created_at,
    }


def site_to_dict(site: Site) -> dict[str, Any]:
    """The API form of a site."""
    return {
        "id": site.id,
        "server_id": site.server_id,
        "path": site.path,
        "url": site.url,
        "cms": site.cms,
        "cms_version": site.cms_version,
        "plugins": site.inventory.get("plugins", []),
        "themes": site.inventory.get("themes", []),
        "first_seen_at": site.first_seen_at,
        "last_seen_at": site.last_seen_at,
    }


def delete_server(session: Session, principal: Principal, server_id: str) -> None:
    """Remove a server with its sites, scans and threats; its token dies with it."""
    server = get_server(session, principal, server_id)
    session.delete(server)
    logger.info("deleted server %s", server_id)


def rotate_agent_token(
    session: Session, principal: Principal, public_url: str, server_id: str
) -> tuple[Server, str, str]:
    """A new agent token for the server; the old one stops working at once."""
    server = get_server(session, principal, server_id)
    token = new_secret(AGENT_TOKEN_PREFIX)
    server.agent_token_hash = hash_secret(token)
    logger.info("rotated the agent token of server %s", server_id)
    return server, token, install_command(public_url, token)
