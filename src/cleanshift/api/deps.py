"""Request dependencies: the database session and who is calling.

Authentication and the tenant boundary live here, so routes only ever see a
``Principal`` of the right kind and services scope every query by it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from cleanshift.services.accounts import Principal, authenticate
from cleanshift.services.commands import servers_to_notify
from cleanshift.services.errors import ForbiddenError, UnauthorizedError

_bearer = HTTPBearer(
    auto_error=False, description="Access token, API key or agent token"
)


def get_session(request: Request) -> Iterator[Session]:
    """A session per request, committed when the handler returns."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
        request.app.state.hub.notify(servers_to_notify(session))
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Scoped to the route function, so the commit (and the agents' wake-up)
# happens before the answer is sent: a client acting on the answer never
# finds the change missing.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Whoever the bearer token names; 401 without a valid one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError(
            "Missing bearer token: send 'Authorization: Bearer <token>'"
        )
    principal = authenticate(
        session, request.app.state.jwt_secret, credentials.credentials
    )
    request.state.principal = principal
    return principal


def require_user(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A person's token (access token or API key); agent tokens are refused."""
    if principal.kind != "user":
        raise ForbiddenError("Agent tokens are only valid on /v1/agent/* routes")
    return principal


def require_agent(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """An agent token; a person's token is refused."""
    if principal.kind != "agent":
        raise ForbiddenError(
            "This route is for the agent; use the server's agent token"
        )
    return principal


UserDep = Annotated[Principal, Depends(require_user)]
AgentDep = Annotated[Principal, Depends(require_agent)]
