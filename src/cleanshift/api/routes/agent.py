"""Routes for the agent on each server."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from cleanshift.api.deps import AgentDep, SessionDep
from cleanshift.api.schemas import CheckinRequest
from cleanshift.db.models import Server
from cleanshift.services import agents
from cleanshift.services.errors import UnauthorizedError

router = APIRouter(prefix="/agent", tags=["agent"])


@router.post("/checkin")
def checkin(
    body: CheckinRequest, request: Request, principal: AgentDep, session: SessionDep
) -> dict[str, Any]:
    """The agent's heartbeat: health, sites and results in; commands out."""
    server = session.get(Server, principal.server_id)
    if server is None:
        raise UnauthorizedError("Server no longer registered")
    report = body.model_dump(exclude_none=True)
    commands = agents.apply_checkin(session, server, report)
    return {
        "server_id": server.id,
        "checkin_interval": server.checkin_interval,
        "commands": [agents.command_to_dict(command) for command in commands],
    }
