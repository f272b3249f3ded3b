"""One router per resource, gathered into the versioned API router."""

from fastapi import APIRouter

from cleanshift.api.routes import (
    agent,
    auth,
    health,
    remediations,
    scans,
    servers,
    threats,
    vulnerabilities,
    ws,
)

api_router = APIRouter()
for module in (
    health,
    auth,
    servers,
    scans,
    threats,
    remediations,
    vulnerabilities,
    agent,
    ws,
):
    api_router.include_router(module.router)
