"""The tenant boundary: every lookup of an account's object goes through here.

An object of another account is indistinguishable from one that does not
exist, so the API never reveals that it exists.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cleanshift.db.models import TenantOwned
from cleanshift.services.accounts import Principal
from cleanshift.services.errors import NotFoundError

OwnedT = TypeVar("OwnedT", bound=TenantOwned)


def get_owned(
    session: Session, principal: Principal, model: type[OwnedT], object_id: str
) -> OwnedT:
    """The caller's object of ``model``, or ``NotFoundError``."""
    found = session.get(model, object_id)
    if found is None or found.account_id != principal.account_id:
        raise NotFoundError(f"{model.__name__} {object_id} not found")
    return found


def owned_by(principal: Principal, model: type[OwnedT]) -> Select[OwnedT]:
    """A query over the caller's rows of ``model`` only."""
    return select(model).where(model.account_id == principal.account_id)
