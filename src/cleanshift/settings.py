"""Settings for the control plane and the agent, read from ``CLEANSHIFT_*``."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the control plane keeps its database and keys by default.

    Root gets a system folder; anyone else a folder under their home, so a
    developer's ``make run`` never needs privileges.
    """
    if os.geteuid() == 0:
        return Path("/var/lib/cleanshift")
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "cleanshift"


class Settings(BaseSettings):
    """Every setting, with the ``CLEANSHIFT_`` prefix in the environment."""

    model_config = SettingsConfigDict(env_prefix="CLEANSHIFT_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; a SQLite file in data_dir when unset.",
    )
    jwt_secret: str | None = Field(
        default=None,
        description="Signs access tokens; generated into data_dir when unset. "
        "Production mode refuses to start without it.",
    )
    public_url: str = "http://127.0.0.1:8000"
    access_token_ttl: int = 24 * 3600
    refresh_token_ttl: int = 30 * 24 * 3600
    checkin_interval: int = 60
    ws_token_ttl: int = Field(
        default=300, description="Seconds a WebSocket token from a check-in is valid."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for rate-limit counters and command signals shared "
        "by several API processes; in-memory when unset.",
    )
    rate_limit_token: str = Field(
        default="100/minute", description="Requests per bearer token."
    )
    rate_limit_anonymous: str = Field(
        default="30/minute", description="Unauthenticated requests per address."
    )
    rate_limit_login_failures: str = Field(
        default="10/hour", description="Failed logins per email."
    )
    web_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [Path("/var/www")],
        description="Folders holding websites, separated by ':' like PATH.",
    )

    @field_validator("web_roots", mode="before")
    @classmethod
    def _split_web_roots(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part for part in value.split(os.pathsep) if part]
        return value

    def resolved_database_url(self) -> str:
        """The configured database URL, or the SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cleanshift.db'}"


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
