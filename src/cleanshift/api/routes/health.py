"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from cleanshift import __version__
from cleanshift.api import responses
from cleanshift.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/health", response_model=responses.Health)
def health(session: SessionDep) -> dict[str, Any]:
    """Whether the API and its database answer."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__, "database": "ok"}
