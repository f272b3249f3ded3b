"""Password hashing, secret hashing and signed access tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cleanshift.settings import Settings

logger = logging.getLogger(__name__)

JWT_ALGORITHM = "HS256"
# Argon2id with the library's RFC 9106 low-memory profile.
_password_hasher = PasswordHasher()


class ConfigurationError(Exception):
    """The settings do not allow the server to start safely."""


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``."""
    return _password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises on a bad hash."""
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_secret(secret: str) -> str:
    """SHA-256 of a random bearer secret (API key, agent or refresh token).

    These secrets carry 200+ bits of entropy, so a fast hash is enough to
    make a stolen table useless, and lets us look a secret up by its hash.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def load_jwt_secret(settings: Settings) -> str:
    """The signing secret: from settings, or generated once in the data folder."""
    if settings.jwt_secret:
        return settings.jwt_secret
    if settings.environment == "production":
        raise ConfigurationError(
            "CLEANSHIFT_JWT_SECRET must be set in production mode "
            "(for example: export CLEANSHIFT_JWT_SECRET=$(openssl rand -hex 32))"
        )
    path = settings.data_dir / "jwt_secret"
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
        logger.info("generated a new JWT signing secret in %s", path)
    return path.read_text().strip()


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def issue_jwt(
    secret: str, subject: str, token_type: str, ttl: int, **claims: Any
) -> tuple[str, str]:
    """A signed JWT and its ``jti``."""
    now = datetime.now(UTC)
    jti = secrets.token_urlsafe(16)
    payload = {
        "sub": subject,
        "typ": token_type,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": jti,
        **claims,
    }
    return jwt.encode(payload, secret, algorithm=JWT_ALGORITHM), jti


def decode_jwt(secret: str, token: str, token_type: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired token of ``token_type``, else None."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            options={"require": ["sub", "exp", "iat", "jti", "typ"]},
        )
    except jwt.PyJWTError:
        return None
    if not hmac.compare_digest(str(claims.get("typ")), token_type):
        return None
    return claims
