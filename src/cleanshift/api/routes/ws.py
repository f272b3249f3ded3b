"""The agent's WebSocket: commands pushed out, progress and results in."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, FastAPI, WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from cleanshift.api.schemas import AgentMessageUnion
from cleanshift.db.models import Server
from cleanshift.db.session import session_scope
from cleanshift.services.agents import apply_message
from cleanshift.services.commands import command_to_dict, pending_commands
from cleanshift.services.security import decode_jwt

logger = logging.getLogger(__name__)

router = APIRouter(tags=["agent"])

PING_SECONDS = 20.0
_MESSAGE: TypeAdapter[Any] = TypeAdapter(AgentMessageUnion)
# RFC 6455 "policy violation": the token is missing, expired or revoked.
CLOSE_UNAUTHORIZED = 1008


@router.websocket("/ws/agent")
async def agent_socket(websocket: WebSocket) -> None:
    """One agent's socket; authenticate with ``?token=<ws_token>``."""
    app: FastAPI = websocket.app
    token = websocket.query_params.get("token", "")
    server_id = await run_in_threadpool(_authenticate, app, token)
    if server_id is None:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason="invalid token")
        return

    await websocket.accept()
    wake = app.state.hub.subscribe(server_id)
    logger.info("agent of server %s connected", server_id)
    sender = asyncio.create_task(_push_commands(websocket, app, server_id, wake))
    receiver = asyncio.create_task(_receive(websocket, app, server_id))
    try:
        done, _ = await asyncio.wait(
            {sender, receiver}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in done:
            error = task.exception()
            if error is not None and not isinstance(error, WebSocketDisconnect):
                logger.warning("socket of server %s failed: %r", server_id, error)
    finally:
        sender.cancel()
        receiver.cancel()
        app.state.hub.unsubscribe(server_id, wake)
        logger.info("agent of server %s disconnected", server_id)


def _authenticate(app: FastAPI, token: str) -> str | None:
    claims = decode_jwt(app.state.jwt_secret, token, "ws")
    if claims is None:
        return None
    with session_scope(app.state.session_factory) as session:
        server = session.get(Server, claims["sub"])
        # A rotated agent token also ends the socket tokens issued under it.
        if server is None or not server.agent_token_hash.startswith(
            str(claims.get("tkh", "-"))
        ):
            return None
        return server.id


async def _push_commands(
    websocket: WebSocket, app: FastAPI, server_id: str, wake: asyncio.Event
) -> None:
    sent: set[str] = set()
    while True:
        wake.clear()
        commands = await run_in_threadpool(_pending, app, server_id)
        for command in commands:
            if command["command_id"] not in sent:
                await websocket.send_json({"type": "command", "command": command})
                sent.add(command["command_id"])
        try:
            await asyncio.wait_for(wake.wait(), timeout=PING_SECONDS)
        except TimeoutError:
            await websocket.send_json({"type": "ping"})


def _pending(app: FastAPI, server_id: str) -> list[dict[str, Any]]:
    with session_scope(app.state.session_factory) as session:
        return [command_to_dict(c) for c in pending_commands(session, server_id)]


async def _receive(websocket: WebSocket, app: FastAPI, server_id: str) -> None:
    while True:
        text = await websocket.receive_text()
        try:
            message = json.loads(text)
        except ValueError:
            await websocket.send_json({"type": "error", "message": "not JSON"})
            continue
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await websocket.send_json(
                {"type": "error", "message": "a message is an object with a type"}
            )
            continue
        if message["type"] == "pong":
            continue
        try:
            checked = _MESSAGE.validate_python(message)
        except ValidationError as error:
            # The same checks as a check-in's results: bad input is refused
            # here, never passed on to be stored.
            await websocket.send_json(
                {
                    "type": "error",
                    "message": f"invalid {message['type']} message: "
                    f"{error.error_count()} problem(s)",
                    "message_id": message.get("message_id"),
                }
            )
            continue
        await run_in_threadpool(
            _apply, app, server_id, checked.model_dump(exclude_none=True)
        )
        if message.get("message_id"):
            await websocket.send_json(
                {"type": "received", "message_id": message["message_id"]}
            )


def _apply(app: FastAPI, server_id: str, message: dict[str, Any]) -> None:
    with session_scope(app.state.session_factory) as session:
        server = session.get(Server, server_id)
        if server is not None:
            apply_message(session, server, message)
