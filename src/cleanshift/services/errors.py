"""The control plane's domain errors; the API maps each to a status code."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Root of every error a service raises on purpose."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidRequestError(ServiceError):
    """The request cannot be understood (a bad cursor, a bad combination)."""


class UnauthorizedError(ServiceError):
    """No valid credentials: missing, unknown, expired or revoked."""

    status_code = 401
    code = "unauthorized"


class ForbiddenError(ServiceError):
    """Valid credentials that may not do this."""

    status_code = 403
    code = "forbidden"


class NotFoundError(ServiceError):
    """No such object in this account (or it belongs to another one)."""

    status_code = 404
    code = "not_found"


class ConflictError(ServiceError):
    """The request clashes with what exists."""

    status_code = 409
    code = "conflict"


class ValidationFailedError(ServiceError):
    """Well-formed input that breaks a rule (a weak password, say)."""

    status_code = 422
    code = "validation_error"


class RateLimitedError(ServiceError):
    """Too many attempts; ``headers`` say when to try again."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, headers: dict[str, str]) -> None:
        super().__init__(message)
        self.headers = headers
