"""Rate limits with the ``limits`` library: per token, per address, per email.

Counters live in memory, or in Redis when ``CLEANSHIFT_REDIS_URL`` is set so
that several API processes share them. Every answer carries the
``X-RateLimit-*`` headers; ``X-RateLimit-Reset`` is the Unix time at which a
request is next counted as fresh.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from cleanshift.api.errors import error_response
from cleanshift.settings import Settings

# Probes and monitors call these; they reveal nothing and cost nothing.
EXEMPT_PATHS = frozenset({"/v1/health", "/health"})


class RateLimits:
    """The limits of one API process, over storage shared or not."""

    def __init__(self, settings: Settings) -> None:
        uri = settings.redis_url or "memory://"
        self.storage = storage_from_string(uri)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_token = parse(settings.rate_limit_token)
        self.per_address = parse(settings.rate_limit_anonymous)
        self.login_failures = parse(settings.rate_limit_login_failures)

    def hit(self, item: RateLimitItem, *key: str) -> tuple[bool, dict[str, str]]:
        """Count one request; whether it is allowed, and the headers to send."""
        allowed = self.limiter.hit(item, *key)
        reset, remaining = self.limiter.get_window_stats(item, *key)
        headers = {
            "X-RateLimit-Limit": str(item.amount),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": str(math.ceil(reset)),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, math.ceil(reset - time.time())))
        return allowed, headers

    def login_blocked(self, email: str) -> dict[str, str] | None:
        """Headers for a 429 when this email failed too often, else None."""
        key = _digest(email.strip().lower())
        if self.limiter.test(self.login_failures, "login", key):
            return None
        reset, _ = self.limiter.get_window_stats(self.login_failures, "login", key)
        return {"Retry-After": str(max(1, math.ceil(reset - time.time())))}

    def record_login_failure(self, email: str) -> None:
        """Count a failed login for this email."""
        self.limiter.hit(self.login_failures, "login", _digest(email.strip().lower()))


def _digest(value: str) -> str:
    # Keys never hold a token or an address book in the clear.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


async def rate_limit_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Apply the per-token or per-address limit to every HTTP request."""
    if request.url.path in EXEMPT_PATHS:
        return await call_next(request)
    limits: RateLimits = request.app.state.rate_limits
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token:
        allowed, headers = limits.hit(limits.per_token, "token", _digest(token))
    else:
        address = request.client.host if request.client else "unknown"
        allowed, headers = limits.hit(limits.per_address, "address", address)
    if not allowed:
        return error_response(
            429,
            f"Rate limit exceeded; retry in {headers['Retry-After']} seconds",
            headers=headers,
        )
    response = await call_next(request)
    response.headers.update(headers)
    return response
