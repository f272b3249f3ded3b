"""One router per resource, gathered into the versioned API router."""

from fastapi import APIRouter

from cleanshift.api.routes import agent, auth, health, scans, servers, threats

api_router = APIRouter()
for module in (health, auth, servers, scans, threats, agent):
    api_router.include_router(module.router)
