"""Keyset pagination with opaque cursors, newest first."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from cleanshift.services.errors import InvalidRequestError

T = TypeVar("T")


def paginate(
    session: Session,
    query: Select[T],
    time_column: InstrumentedAttribute[datetime],
    id_column: InstrumentedAttribute[str],
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """One page of ``query`` ordered by (time, id) descending, and the next cursor."""
    if cursor:
        after_time, after_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                time_column < after_time,
                and_(time_column == after_time, id_column < after_id),
            )
        )
    query = query.order_by(time_column.desc(), id_column.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode_cursor(
        getattr(last, time_column.key), getattr(last, id_column.key)
    )


def _encode_cursor(moment: datetime, identifier: str) -> str:
    raw = json.dumps([moment.isoformat(), identifier]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, identifier = json.loads(base64.urlsafe_b64decode(padded))
        when = datetime.fromisoformat(moment)
        if when.tzinfo is None:
            raise ValueError("cursor time without a zone")
        return when, str(identifier)
    except (ValueError, TypeError) as error:
        raise InvalidRequestError(
            "Invalid cursor; pass the next_cursor of a previous page"
        ) from error


def page_payload(
    items: list[dict[str, Any]], next_cursor: str | None
) -> dict[str, Any]:
    """The list shape every collection answers with."""
    return {"data": items, "next_cursor": next_cursor}
