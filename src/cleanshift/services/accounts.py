"""Accounts, users, API keys, login sessions and bearer authentication."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cleanshift.db.models import Account, ApiKey, RefreshToken, Server, User
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id, new_secret
from cleanshift.services.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    UnauthorizedError,
    ValidationFailedError,
)
from cleanshift.services.security import (
    decode_jwt,
    hash_password,
    hash_secret,
    issue_jwt,
    verify_password,
)
from cleanshift.settings import Settings

logger = logging.getLogger(__name__)

API_KEY_PREFIX = "cs_live_"
AGENT_TOKEN_PREFIX = "cs_agent_"  # noqa: S105 - a prefix, not a secret
MIN_PASSWORD_LENGTH = 10
# A hash to verify against when the email is unknown, so that both failures
# take the same time and give the same answer.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (by access token or API key) or an agent."""

    kind: str
    account_id: str
    user_id: str | None = None
    server_id: str | None = None
    session_id: str | None = None
    credential_id: str = ""


@dataclass(frozen=True)
class TokenPair:
    """What login and refresh hand back."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def check_password_strength(password: str, email: str) -> None:
    """Refuse passwords a guesser would try first."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.lower() in email.lower() or len(set(password)) < 5:
        problems.append("not derived from the email or a repeated character")
    if problems:
        raise ValidationFailedError(
            "Password too weak: use " + " and ".join(problems),
            [{"field": "password", "message": problem} for problem in problems],
        )


def register_user(
    session: Session, email: str, password: str, name: str | None
) -> tuple[User, str]:
    """Create an account, its first user and an API key (shown once)."""
    email = email.strip().lower()
    check_password_strength(password, email)
    if session.scalar(select(User.id).where(User.email == email)):
        raise ConflictError(f"An account with email {email} already exists")

    account = Account(id=new_id("acc"), name=name or email)
    user = User(
        id=new_id("usr"),
        account_id=account.id,
        email=email,
        name=name,
        password_hash=hash_password(password),
    )
    session.add_all([account, user])
    try:
        session.flush()
    except IntegrityError as error:
        raise ConflictError(f"An account with email {email} already exists") from error
    _, secret = create_api_key(session, user, "initial key")
    logger.info("registered user %s", user.id)
    return user, secret


def create_api_key(session: Session, user: User, name: str) -> tuple[ApiKey, str]:
    """A new API key for ``user``; the secret is returned once, kept hashed."""
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        id=new_id("key"),
        account_id=user.account_id,
        user_id=user.id,
        name=name,
        secret_hash=hash_secret(secret),
        hint=secret[-4:],
    )
    session.add(key)
    session.flush()
    return key, secret


def login(
    session: Session, settings: Settings, secret: str, email: str, password: str
) -> TokenPair:
    """Check credentials and open a login session (a refresh-token family)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise UnauthorizedError("Invalid email or password")
    if not verify_password(user.password_hash, password):
        raise UnauthorizedError("Invalid email or password")
    return _issue_pair(session, settings, secret, user, secrets.token_hex(16))


def _issue_pair(
    session: Session, settings: Settings, secret: str, user: User, family_id: str
) -> TokenPair:
    access, _ = issue_jwt(
        secret, user.id, "access", settings.access_token_ttl, sid=family_id
    )
    refresh = secrets.token_urlsafe(48)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=hash_secret(refresh),
            expires_at=utc_now() + timedelta(seconds=settings.refresh_token_ttl),
        )
    )
    session.flush()
    return TokenPair(
        access, refresh, settings.access_token_ttl, settings.refresh_token_ttl
    )


def refresh_session(
    session: Session, settings: Settings, secret: str, refresh_token: str
) -> TokenPair:
    """Rotate a refresh token; a reused one revokes its whole family."""
    row = session.scalar(
        select(RefreshToken).where(
            RefreshToken.token_hash == hash_secret(refresh_token)
        )
    )
    now = utc_now()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise UnauthorizedError("Invalid or expired refresh token; log in again")
    if row.used_at is not None:
        revoke_family(session, row.family_id)
        # The error answer rolls the request back; the revocation must stay.
        session.commit()
        logger.warning("refresh token reuse; revoked session of user %s", row.user_id)
        raise UnauthorizedError("Refresh token already used; the session was revoked")
    row.used_at = now
    user = session.get(User, row.user_id)
    if user is None:
        raise UnauthorizedError("Invalid or expired refresh token; log in again")
    return _issue_pair(session, settings, secret, user, row.family_id)


def revoke_family(session: Session, family_id: str) -> None:
    """End a login session: its refresh tokens and access tokens stop working."""
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )


def authenticate(session: Session, secret: str, token: str) -> Principal:
    """Resolve a bearer token of any kind to a ``Principal``."""
    if token.startswith(API_KEY_PREFIX):
        key = session.scalar(
            select(ApiKey).where(ApiKey.secret_hash == hash_secret(token))
        )
        if key is None or key.revoked_at is not None:
            raise UnauthorizedError("Invalid or revoked API key")
        key.last_used_at = utc_now()
        return Principal(
            "user", key.account_id, user_id=key.user_id, credential_id=key.id
        )

    if token.startswith(AGENT_TOKEN_PREFIX):
        server = session.scalar(
            select(Server).where(Server.agent_token_hash == hash_secret(token))
        )
        if server is None:
            raise UnauthorizedError("Invalid agent token")
        return Principal(
            "agent", server.account_id, server_id=server.id, credential_id=server.id
        )

    claims = decode_jwt(secret, token, "access")
    if claims is None:
        raise UnauthorizedError("Invalid or expired access token; log in again")
    return _principal_from_claims(session, claims)


def _principal_from_claims(session: Session, claims: dict[str, Any]) -> Principal:
    user = session.get(User, claims["sub"])
    family_id = str(claims.get("sid", ""))
    revoked = session.scalar(
        select(RefreshToken.id).where(
            RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_not(None)
        )
    )
    if user is None or revoked is not None:
        raise UnauthorizedError("Session ended; log in again")
    return Principal(
        "user",
        user.account_id,
        user_id=user.id,
        session_id=family_id,
        credential_id=family_id,
    )


def list_api_keys(session: Session, principal: Principal) -> list[ApiKey]:
    """The caller's API keys, newest first (secrets are never stored)."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.user_id == principal.user_id)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
        )
    )


def revoke_api_key(session: Session, principal: Principal, key_id: str) -> ApiKey:
    """Revoke one of the caller's keys; it stops working at once."""
    key = session.get(ApiKey, key_id)
    if key is None or key.user_id != principal.user_id:
        raise NotFoundError(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
        logger.info("API key %s revoked", key.id)
    return key


def logout(session: Session, principal: Principal) -> None:
    """End the caller's login session: refresh and access tokens stop working."""
    if principal.session_id is None:
        raise InvalidRequestError(
            "Logout ends a login session; revoke an API key with "
            "DELETE /v1/auth/api-keys/{id}"
        )
    revoke_family(session, principal.session_id)
    logger.info("user %s logged out", principal.user_id)


def api_key_to_dict(key: ApiKey) -> dict[str, Any]:
    """The API form of a key: never its secret, only its last characters."""
    return {
        "id": key.id,
        "name": key.name,
        "hint": f"{API_KEY_PREFIX}…{key.hint}",
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }
