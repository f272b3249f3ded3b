"""Servers of the caller's account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from cleanshift.api import responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import ObjectId, ServerRegisterRequest, Text
from cleanshift.db.models import Server
from cleanshift.services import servers
from cleanshift.services.pagination import page_payload, paginate
from cleanshift.services.tenancy import owned_by

router = APIRouter(
    prefix="/servers",
    tags=["servers"],
    responses=responses.errors(401, 403, 422, 429),
)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=responses.ServerRegistration,
    responses=responses.errors(400, 413),
)
def register_server(
    body: ServerRegisterRequest,
    request: Request,
    principal: UserDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Register a server; the agent token in the answer is shown once."""
    settings = request.app.state.settings
    server, token, command = servers.register_server(
        session,
        principal,
        settings.public_url,
        body.name,
        body.hostname,
        body.labels,
        settings.checkin_interval,
    )
    return {
        "server": servers.server_to_dict(server, 0),
        "agent_token": token,
        "install_command": command,
    }


@router.get("", response_model=responses.ServerPage, responses=responses.errors(400))
def list_servers(
    principal: UserDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[Text | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """The account's servers with status, last check-in and site count."""
    query = owned_by(principal, Server)
    rows, next_cursor = paginate(
        session, query, Server.created_at, Server.id, limit, cursor
    )
    counts = servers.site_counts(session, [server.id for server in rows])
    items = [servers.server_to_dict(row, counts.get(row.id, 0)) for row in rows]
    return page_payload(items, next_cursor)


@router.get(
    "/{server_id}",
    response_model=responses.ServerDetail,
    responses=responses.errors(404),
)
def get_server(
    server_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """One server with its sites."""
    server = servers.get_server(session, principal, server_id)
    sites = servers.list_sites(session, server)
    data = servers.server_to_dict(server, len(sites))
    data["sites"] = [servers.site_to_dict(site) for site in sites]
    return data


@router.delete(
    "/{server_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses.errors(404),
)
def delete_server(
    server_id: ObjectId, principal: UserDep, session: SessionDep
) -> Response:
    """Remove a server, its sites, scans and threats; its agent token stops working."""
    servers.delete_server(session, principal, server_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{server_id}/rotate-token",
    response_model=responses.AgentTokenRotation,
    responses=responses.errors(404),
)
def rotate_token(
    server_id: ObjectId, request: Request, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """A new agent token; the old one stops working at once."""
    server, token, command = servers.rotate_agent_token(
        session, principal, request.app.state.settings.public_url, server_id
    )
    return {"server_id": server.id, "agent_token": token, "install_command": command}
