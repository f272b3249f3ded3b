"""A local account, server and key, for running everything on one machine."""

from __future__ import annotations

import secrets
import socket

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cleanshift.db.models import Account, ApiKey, Server, User
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id, new_secret
from cleanshift.services.accounts import AGENT_TOKEN_PREFIX, create_api_key
from cleanshift.services.security import hash_password, hash_secret

LOCAL_EMAIL = "admin@cleanshift.localhost"
LOCAL_KEY_NAME = "local (cleanshift up)"


def ensure_local_user(session: Session) -> User:
    """The local administrator, created on first use with a random password."""
    user = session.scalar(select(User).where(User.email == LOCAL_EMAIL))
    if user is not None:
        return user
    account = Account(id=new_id("acc"), name="Local")
    user = User(
        id=new_id("usr"),
        account_id=account.id,
        email=LOCAL_EMAIL,
        name="Local administrator",
        password_hash=hash_password(secrets.token_urlsafe(32)),
    )
    session.add_all([account, user])
    session.flush()
    return user


def issue_local_api_key(session: Session, user: User) -> str:
    """A fresh API key for this run; keys from earlier runs are revoked."""
    session.execute(
        update(ApiKey)
        .where(
            ApiKey.user_id == user.id,
            ApiKey.name == LOCAL_KEY_NAME,
            ApiKey.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
    _, secret = create_api_key(session, user, LOCAL_KEY_NAME)
    return secret


def ensure_local_server(
    session: Session, user: User, checkin_interval: int
) -> tuple[Server, str]:
    """This machine as a server of the local account, with a new agent token."""
    hostname = socket.gethostname()
    server = session.scalar(
        select(Server).where(
            Server.account_id == user.account_id, Server.hostname == hostname
        )
    )
    token = new_secret(AGENT_TOKEN_PREFIX)
    if server is None:
        server = Server(
            id=new_id("srv"),
            account_id=user.account_id,
            name=hostname,
            hostname=hostname,
            labels={"local": "true"},
            agent_token_hash=hash_secret(token),
            checkin_interval=checkin_interval,
        )
        session.add(server)
    else:
        server.agent_token_hash = hash_secret(token)
    session.flush()
    return server, token
