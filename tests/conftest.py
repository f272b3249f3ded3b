"""Shared fixtures: real databases, a real app, and factories for its objects."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy
import uvicorn

from cleanshift.api.app import create_app
from cleanshift.db.session import create_db_engine, migrate
from cleanshift.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
POSTGRES_ADMIN_URL = os.environ.get(
    "CLEANSHIFT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
WORDPRESS_CACHE = PROJECT_ROOT / ".cache" / "wordpress"
WORDPRESS_TREE = WORDPRESS_CACHE / "usr" / "share" / "wordpress"


def _admin_engine() -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )


def _database_url(name: str) -> str:
    return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database that each test's database is copied from."""
    name = f"cleanshift_template_{secrets.token_hex(4)}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine = create_db_engine(_database_url(name))
    migrate(engine)
    engine.dispose()
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(
                sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"cleanshift_test_{secrets.token_hex(4)}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(
            sqlalchemy.text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
        )
    try:
        yield _database_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cleanshift.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings isolated to this test's folder and database."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        public_url="http://testserver",
        # Tests call faster than people; the limits have tests of their own.
        rate_limit_token="100000/minute",
        rate_limit_anonymous="100000/minute",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[httpx.Client]:
    """An HTTP client for the API served by uvicorn on a loopback port."""
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test API server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        yield http
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@dataclass
class UserHandle:
    """A registered user and what it needs to call the API."""

    email: str
    password: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


@dataclass
class ServerHandle:
    """A registered server and its agent's credentials."""

    id: str
    agent_token: str

    @property
    def agent_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.agent_token}"}


MakeUser = Callable[[], UserHandle]
MakeServer = Callable[..., ServerHandle]


@pytest.fixture
def make_user(client: httpx.Client) -> MakeUser:
    """Factory: register a new user with a unique email."""

    def factory() -> UserHandle:
        email = f"admin-{secrets.token_hex(4)}@example.com"
        password = "correct horse battery staple"
        response = client.post(
            "/v1/auth/register", json={"email": email, "password": password}
        )
        assert response.status_code == 201, response.text
        return UserHandle(email, password, response.json()["api_key"])

    return factory


@pytest.fixture
def make_server(client: httpx.Client) -> MakeServer:
    """Factory: register a server for a user."""

    def factory(user: UserHandle, name: str = "web-1") -> ServerHandle:
        response = client.post(
            "/v1/servers/register", json={"name": name}, headers=user.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return ServerHandle(body["server"]["id"], body["agent_token"])

    return factory


@pytest.fixture(scope="session")
def wordpress_tree() -> Path:
    """A real, clean WordPress release (Debian's package, unpacked)."""
    if not (WORDPRESS_TREE / "wp-includes" / "version.php").exists():
        subprocess.run(
            [
                str(PROJECT_ROOT / "scripts" / "fetch-wordpress.sh"),
                str(WORDPRESS_CACHE),
            ],
            check=True,
        )
    return WORDPRESS_TREE


@pytest.fixture
def wordpress_site(tmp_path: Path, wordpress_tree: Path) -> Path:
    """A writable copy of the WordPress tree, links kept as links."""
    site = tmp_path / "www" / "example.com"
    shutil.copytree(wordpress_tree, site, symlinks=True)
    return site
