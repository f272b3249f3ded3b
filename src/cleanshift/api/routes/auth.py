"""Registration, login and token refresh."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import LoginRequest, RefreshRequest, RegisterRequest
from cleanshift.db.models import User
from cleanshift.services import accounts
from cleanshift.services.errors import NotFoundError

router = APIRouter(prefix="/auth", tags=["auth"])


def _user_to_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "account_id": user.account_id,
        "created_at": user.created_at,
    }


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(body: RegisterRequest, session: SessionDep) -> dict[str, Any]:
    """Create an account; the answer carries its first API key, shown once."""
    user, api_key = accounts.register_user(
        session, body.email, body.password, body.name
    )
    return {"user": _user_to_dict(user), "api_key": api_key}


@router.post("/login")
def login(body: LoginRequest, request: Request, session: SessionDep) -> dict[str, Any]:
    """Exchange email and password for an access and a refresh token."""
    pair = accounts.login(
        session,
        request.app.state.settings,
        request.app.state.jwt_secret,
        body.email,
        body.password,
    )
    return _pair_to_dict(pair)


@router.post("/refresh")
def refresh(
    body: RefreshRequest, request: Request, session: SessionDep
) -> dict[str, Any]:
    """Rotate a refresh token into a new pair."""
    pair = accounts.refresh_session(
        session,
        request.app.state.settings,
        request.app.state.jwt_secret,
        body.refresh_token,
    )
    return _pair_to_dict(pair)


@router.get("/me")
def me(principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """The calling user."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFoundError("User not found")
    return {"user": _user_to_dict(user)}


def _pair_to_dict(pair: accounts.TokenPair) -> dict[str, Any]:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
        "refresh_expires_in": pair.refresh_expires_in,
    }
