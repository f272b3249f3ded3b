"""Known vulnerabilities: which of my sites are exposed, and the data's source."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from cleanshift.api import responses, vulnerability_responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.services import vulnerabilities

router = APIRouter(
    tags=["vulnerabilities"], responses=responses.errors(401, 403, 422, 429)
)


@router.get("/vulnerabilities", response_model=vulnerability_responses.ExposurePage)
def list_exposures(
    principal: UserDep,
    session: SessionDep,
    cve: Annotated[str | None, Query(max_length=40)] = None,
    slug: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Advisories affecting my servers and sites now, filtered by CVE or slug."""
    data = vulnerabilities.exposures(session, principal, cve, slug)
    return {"data": data, "next_cursor": None}


@router.get("/vulndb", response_model=vulnerability_responses.FeedStatus)
def feed_status(principal: UserDep, session: SessionDep) -> dict[str, Any]:
    """The vulnerability feeds in use, with their copyright notices."""
    return {"feeds": vulnerabilities.feed_status(session)}
