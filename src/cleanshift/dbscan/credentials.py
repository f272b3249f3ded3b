"""Database credentials and the MySQL host strings that CMS configs hold.

Credentials live in memory for the length of one scan. Nothing here logs
them, and their ``repr`` masks the password so that a stray log line or
traceback cannot carry it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cleanshift.dbscan.errors import CredentialsError

DEFAULT_PORT = 3306
# Configuration files are a few kilobytes; reading more would only help an
# attacker who padded one to exhaust the scanner's memory.
MAX_CONFIG_BYTES = 1024 * 1024
_MASK = "***"


@dataclass(frozen=True)
class DatabaseCredentials:
    """How to log in to a site's database, as its configuration says.

    ``socket`` is a Unix socket path; with ``host == "localhost"`` and no
    socket, the client uses the server's default socket, as PHP does.
    """

    database: str
    user: str
    password: str = field(repr=False)
    host: str = "localhost"
    port: int = DEFAULT_PORT
    socket: str | None = None

    def __repr__(self) -> str:
        return (
            f"DatabaseCredentials(database={self.database!r}, user={self.user!r}, "
            f"password={_MASK!r}, host={self.host!r}, port={self.port!r}, "
            f"socket={self.socket!r})"
        )

    __str__ = __repr__

    def redact(self, text: str) -> str:
        """``text`` with the password masked, for messages from elsewhere."""
        if len(self.password) < 3:
            return text
        return text.replace(self.password, _MASK)


@dataclass(frozen=True)
class HostAddress:
    """A parsed host string: TCP host and port, or a Unix socket."""

    host: str
    port: int
    socket: str | None


@dataclass(frozen=True)
class SiteDatabaseConfig:
    """What a site's configuration says about its database and itself."""

    cms: str
    config_file: Path
    credentials: DatabaseCredentials
    prefix: str
    site_url: str | None = None
    plugins_dir: Path | None = None


_IPV6_WITH_PORT = re.compile(r"^\[(?P<address>[0-9A-Fa-f:.]+)\](?::(?P<rest>.*))?$")
_TABLE_PREFIX = re.compile(r"^[A-Za-z0-9_]{0,64}$")


def parse_mysql_host(value: str, *, port: int | None = None) -> HostAddress:
    """Split a host string the way PHP's MySQL clients read it.

    Accepts ``host``, ``host:port``, ``host:/path/to/socket``, ``[::1]:port``
    and mysqli's ``p:`` prefix for persistent connections. An empty host
    means ``localhost``.
    """
    text = value.strip()
    if text.startswith("p:"):
        text = text[2:]
    default_port = port if port is not None else DEFAULT_PORT

    bracketed = _IPV6_WITH_PORT.match(text)
    if bracketed:
        host, rest = bracketed.group("address"), bracketed.group("rest") or ""
    elif text.count(":") == 1:
        host, rest = text.split(":", 1)
    else:
        host, rest = text, ""

    host = host or "localhost"
    if rest.startswith("/"):
        return HostAddress(host, default_port, rest)
    if rest.isdigit() and 0 < int(rest) < 65536:
        return HostAddress(host, int(rest), None)
    if rest:
        raise CredentialsError(f"database host has an unreadable port {rest!r}")
    return HostAddress(host, default_port, None)


def check_table_prefix(prefix: str, source: str) -> str:
    """The prefix, if it is safe to put in a table name; CMSes allow no more."""
    if not _TABLE_PREFIX.match(prefix):
        raise CredentialsError(f"{source} sets a table prefix with invalid characters")
    return prefix


def read_config_text(path: Path) -> str:
    """The start of a configuration file, decoded without losing any byte.

    Only regular files are read, and only the first ``MAX_CONFIG_BYTES``;
    undecodable bytes survive as surrogates so that a non-UTF-8 password
    reaches the server unchanged.
    """
    try:
        # O_NONBLOCK keeps a FIFO planted under the config's name from
        # hanging the scan; the fstat below then rejects it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise CredentialsError(f"cannot open {path.name}: {error.strerror}") from error
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise CredentialsError(f"{path.name} is not a regular file")
        try:
            data = handle.read(MAX_CONFIG_BYTES)
        except OSError as error:
            raise CredentialsError(
                f"cannot read {path.name}: {error.strerror}"
            ) from error
    return data.decode("utf-8", "surrogateescape")
