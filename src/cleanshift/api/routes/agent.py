"""Routes for the agent on each server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from cleanshift.api import responses
from cleanshift.api.deps import AgentDep, SessionDep
from cleanshift.api.schemas import CheckinRequest
from cleanshift.db.models import Server
from cleanshift.services import agents
from cleanshift.services.commands import command_to_dict
from cleanshift.services.errors import UnauthorizedError
from cleanshift.services.security import issue_jwt

router = APIRouter(
    prefix="/agent",
    tags=["agent"],
    responses=responses.errors(429),
)

INSTALLER = Path(__file__).resolve().parents[2] / "agent" / "install.sh"


@router.get("/install.sh", response_class=responses.ShellScriptResponse)
def install_script() -> responses.ShellScriptResponse:
    """The installer that sets the agent up as a system service (no auth)."""
    return responses.ShellScriptResponse(INSTALLER.read_text())


@router.post(
    "/checkin",
    response_model=responses.CheckinAnswer,
    responses=responses.errors(400, 401, 403, 413, 422),
)
def checkin(
    body: CheckinRequest, request: Request, principal: AgentDep, session: SessionDep
) -> dict[str, Any]:
    """The agent's heartbeat: health, sites and results in; commands out."""
    server = session.get(Server, principal.server_id)
    if server is None:
        raise UnauthorizedError("Server no longer registered")
    report = body.model_dump(exclude_none=True)
    commands = agents.apply_checkin(session, server, report)
    settings = request.app.state.settings
    ws_token, _ = issue_jwt(
        request.app.state.jwt_secret,
        server.id,
        "ws",
        settings.ws_token_ttl,
        tkh=server.agent_token_hash[:16],
    )
    return {
        "server_id": server.id,
        "checkin_interval": server.checkin_interval,
        "commands": [command_to_dict(command) for command in commands],
        "ws_url": websocket_url(settings.public_url),
        "ws_token": ws_token,
    }


def websocket_url(public_url: str) -> str:
    """The agent WebSocket's address under the API's public address."""
    base = public_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base.removeprefix("https://") + "/v1/ws/agent"
    return "ws://" + base.removeprefix("http://") + "/v1/ws/agent"
