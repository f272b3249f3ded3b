"""Registration, login and token refresh."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from cleanshift.api import responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import (
    ApiKeyCreateRequest,
    LoginRequest,
    ObjectId,
    RefreshRequest,
    RegisterRequest,
)
from cleanshift.db.models import User
from cleanshift.services import accounts
from cleanshift.services.errors import (
    NotFoundError,
    RateLimitedError,
    UnauthorizedError,
)

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    responses=responses.errors(429),
)
# Every route that takes a token can also meet the wrong kind of token.
_TOKEN_ERRORS = responses.errors(401, 403)


def _user_to_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "account_id": user.account_id,
        "created_at": user.created_at,
    }


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=responses.Registration,
    responses=responses.errors(400, 409, 413, 422),
)
def register(body: RegisterRequest, session: SessionDep) -> dict[str, Any]:
    """Create an account; the answer carries its first API key, shown once."""
    user, api_key = accounts.register_user(
        session, body.email, body.password, body.name
    )
    return {"user": _user_to_dict(user), "api_key": api_key}


@router.post(
    "/login",
    response_model=responses.TokenPair,
    responses=responses.errors(400, 401, 413, 422),
)
def login(body: LoginRequest, request: Request, session: SessionDep) -> dict[str, Any]:
    """Exchange email and password for an access and a refresh token."""
    limits = request.app.state.rate_limits
    blocked = limits.login_blocked(body.email)
    if blocked is not None:
        raise RateLimitedError(
            "Too many failed logins for this email; try again later", blocked
        )
    try:
        pair = accounts.login(
            session,
            request.app.state.settings,
            request.app.state.jwt_secret,
            body.email,
            body.password,
        )
    except UnauthorizedError:
        limits.record_login_failure(body.email)
        raise
    return _pair_to_dict(pair)


@router.post(
    "/refresh",
    response_model=responses.TokenPair,
    responses=responses.errors(400, 401, 413, 422),
)
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


@router.get(
    "/me",
    response_model=responses.Me,
    responses=_TOKEN_ERRORS | responses.errors(404),
)
def me(principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """The calling user."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFoundError("User not found")
    return {"user": _user_to_dict(user)}


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_TOKEN_ERRORS | responses.errors(400),
)
def logout(principal: UserDep, session: SessionDep) -> Response:
    """End this login session: its refresh and access tokens stop working."""
    accounts.logout(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/api-keys",
    response_model=responses.ApiKeyPage,
    responses=_TOKEN_ERRORS,
)
def list_api_keys(principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """The caller's API keys, without their secrets."""
    keys = accounts.list_api_keys(session, principal)
    return {
        "data": [accounts.api_key_to_dict(key) for key in keys],
        "next_cursor": None,
    }


@router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=responses.NewApiKey,
    responses=_TOKEN_ERRORS | responses.errors(400, 404, 413, 422),
)
def create_api_key(
    body: ApiKeyCreateRequest, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """A new API key; its secret is in this answer only."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFoundError("User not found")
    key, secret = accounts.create_api_key(session, user, body.name)
    return {**accounts.api_key_to_dict(key), "api_key": secret}


@router.delete(
    "/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_TOKEN_ERRORS | responses.errors(404, 422),
)
def revoke_api_key(
    key_id: ObjectId, principal: UserDep, session: SessionDep
) -> Response:
    """Revoke a key; requests with it fail from now on."""
    accounts.revoke_api_key(session, principal, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _pair_to_dict(pair: accounts.TokenPair) -> dict[str, Any]:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
        "refresh_expires_in": pair.refresh_expires_in,
    }
