"""Virtual hosts, and reading the web server configuration that declares them.

Configuration is read as text, bounded, and never executed. Includes are
followed with a depth limit and a guard against a file including itself,
so a broken or hostile configuration costs little and raises nothing.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cleanshift.sites.files import read_up_to

logger = logging.getLogger(__name__)

# nginx and Apache configurations are kilobytes; a bigger file is not one.
MAX_CONFIG_BYTES = 1024 * 1024
MAX_INCLUDE_DEPTH = 10
MAX_CONFIG_FILES = 1000
_HOSTNAME = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)

ServerSoftware = Literal["nginx", "apache"]


@dataclass(frozen=True)
class VirtualHost:
    """One ``server {}`` block or ``<VirtualHost>`` with a document root.

    ``names`` are the host names as configured (``server_name``, or
    ``ServerName`` then each ``ServerAlias``); ``port`` is the one it listens
    on, None when the configuration does not say.
    """

    server: ServerSoftware
    names: tuple[str, ...]
    root: str
    tls: bool
    port: int | None
    config_path: str

    @property
    def hostname(self) -> str | None:
        """The first name usable in a URL: no wildcard, regex or catch-all."""
        for name in self.names:
            candidate = name.lower().lstrip(".")
            if _HOSTNAME.fullmatch(candidate) and len(candidate) <= 253:
                return candidate
        return None

    @property
    def url(self) -> str | None:
        """``https://`` or ``http://`` and the host name, with an unusual port."""
        hostname = self.hostname
        if hostname is None:
            return None
        scheme, default_port = ("https", 443) if self.tls else ("http", 80)
        port = "" if self.port in (None, default_port) else f":{self.port}"
        return f"{scheme}://{hostname}{port}"

    def to_dict(self) -> dict[str, Any]:
        """The check-in form: where the site's URL came from."""
        return {
            "server": self.server,
            "names": list(self.names),
            "root": self.root,
            "tls": self.tls,
            "port": self.port,
            "config_path": self.config_path,
        }


class ConfigFiles:
    """Reads configuration files and expands include patterns, within limits.

    Each file is read once and remembered: a snippet included by every
    server block is read a single time, and ``parsed`` (the real paths read)
    keeps a file met again as a top-level path from being counted twice.
    """

    def __init__(self) -> None:
        self._texts: dict[str, str | None] = {}

    @property
    def parsed(self) -> set[str]:
        """Real paths of the files read so far."""
        return {path for path, text in self._texts.items() if text is not None}

    def read(self, path: str) -> str | None:
        """A configuration file's text (undecodable bytes kept), or None."""
        real = os.path.realpath(path)
        if real in self._texts:
            return self._texts[real]
        if len(self._texts) >= MAX_CONFIG_FILES:
            logger.warning(
                "more than %d configuration files; %s not read", MAX_CONFIG_FILES, path
            )
            return None
        text = _read_config(real)
        self._texts[real] = text
        return text

    def expand(self, pattern: str, including_file: str) -> list[str]:
        """The files an include names, sorted, as the servers' glob gives them.

        A relative pattern is tried against the including file's folder and
        then its parent: nginx and Apache resolve it against their own root
        (``/etc/nginx``, ``/etc/apache2``), which is where ``nginx.conf``
        sits and one level above ``sites-enabled`` or ``conf.d``.
        """
        if os.path.isabs(pattern):
            bases = [""]
        else:
            folder = os.path.dirname(os.path.abspath(including_file))
            bases = [folder, os.path.dirname(folder)]
        for base in bases:
            full = os.path.join(base, pattern) if base else pattern
            try:
                matches = sorted(glob.glob(full))
            except (OSError, ValueError) as error:
                logger.debug("include %r not expanded: %s", pattern, error)
                return []
            files = [match for match in matches if os.path.isfile(match)]
            if files:
                return files[:MAX_CONFIG_FILES]
        return []


def _read_config(path: str) -> str | None:
    try:
        # O_NONBLOCK: a FIFO among the configuration must not block us.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        logger.debug("cannot open configuration %s: %s", path, error)
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        data = read_up_to(descriptor, MAX_CONFIG_BYTES + 1)
    except OSError as error:
        logger.warning("cannot read configuration %s: %s", path, error)
        return None
    finally:
        os.close(descriptor)
    if len(data) > MAX_CONFIG_BYTES:
        logger.warning(
            "configuration %s is over %d bytes; only its start is read",
            path,
            MAX_CONFIG_BYTES,
        )
        data = data[:MAX_CONFIG_BYTES]
    return data.decode("utf-8", "surrogateescape")


def expand_config_paths(config_paths: list[Path]) -> list[str]:
    """Files named by ``config_paths``: files, folders (their files) or globs."""
    files: list[str] = []
    for config_path in config_paths:
        text = os.fspath(config_path)
        if os.path.isdir(text):
            matches = sorted(glob.glob(os.path.join(glob.escape(text), "*")))
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text))
        else:
            matches = [text]
        files.extend(match for match in matches if os.path.isfile(match))
    return files


def normalise_root(root: str) -> str | None:
    """An absolute document root without trailing slashes, or None."""
    root = root.strip()
    if not root.startswith("/") or "\0" in root:
        return None
    return os.path.normpath(root)


def port_of(address: str) -> int | None:
    """The port in ``443``, ``*:443``, ``[::]:443`` or ``10.0.0.1:8080``."""
    text = address.strip()
    if text.isdigit():
        return int(text) if 0 < int(text) < 65536 else None
    if text.startswith("unix:"):
        return None
    _, sep, port = text.rpartition(":")
    if sep and port.isdigit() and 0 < int(port) < 65536:
        return int(port)
    return None
