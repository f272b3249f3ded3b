"""The command queue: work for agents, delivered by WebSocket or check-in.

Every command is a row, so nothing is lost when a socket drops or the
control plane restarts; a live socket only makes delivery immediate. A
session that queued commands lists their servers in ``session.info`` so
that whoever commits it can wake those servers' sockets.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cleanshift.db.models import Command
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id

PENDING_STATES = ("queued", "sent", "acked")
NOTIFY_KEY = "cleanshift.servers_to_notify"


def queue_command(
    session: Session,
    account_id: str,
    server_id: str,
    command_type: str,
    payload: dict[str, Any],
) -> Command:
    """Add a command for a server's agent."""
    command = Command(
        id=new_id("cmd"),
        account_id=account_id,
        server_id=server_id,
        type=command_type,
        payload=payload,
    )
    session.add(command)
    session.info.setdefault(NOTIFY_KEY, set()).add(server_id)
    return command


def servers_to_notify(session: Session) -> set[str]:
    """The servers that got commands in this session; clears the list."""
    servers: set[str] = session.info.pop(NOTIFY_KEY, set())
    return servers


def pending_commands(session: Session, server_id: str) -> list[Command]:
    """Commands not yet done; each goes out until its result comes back."""
    commands = list(
        session.scalars(
            select(Command)
            .where(Command.server_id == server_id, Command.status.in_(PENDING_STATES))
            .order_by(Command.created_at, Command.id)
        )
    )
    now = utc_now()
    for command in commands:
        if command.status == "queued":
            command.status = "sent"
            command.sent_at = now
    return commands


def finish_command(command: Command, succeeded: bool) -> None:
    """Record that a command's result arrived."""
    if command.status in ("done", "failed", "cancelled"):
        return
    command.status = "done" if succeeded else "failed"
    command.finished_at = utc_now()


def command_to_dict(command: Command) -> dict[str, Any]:
    """The wire form of a command."""
    return {
        "command_id": command.id,
        "type": command.type,
        "payload": command.payload,
    }
