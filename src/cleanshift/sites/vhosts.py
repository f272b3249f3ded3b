"""Virtual hosts from nginx and Apache configuration, and the sites they serve.

``find_vhost_roots()`` reads the usual configuration locations of Debian,
Ubuntu and Red Hat family systems, follows their includes, and returns
every virtual host with a document root. ``match_virtual_hosts()`` then
tells which host serves which discovered site, and at what URL.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from cleanshift.sites.apache_config import parse_apache
from cleanshift.sites.nginx_config import parse_nginx
from cleanshift.sites.webserver import ConfigFiles, VirtualHost, expand_config_paths

__all__ = [
    "DEFAULT_CONFIG_PATHS",
    "VirtualHost",
    "find_vhost_roots",
    "match_virtual_hosts",
]

logger = logging.getLogger(__name__)

# The main files come first so that their includes are read in the server's
# own order; the folders catch what a non-standard main file leaves out.
DEFAULT_CONFIG_PATHS = (
    Path("/etc/nginx/nginx.conf"),
    Path("/etc/nginx/sites-enabled"),
    Path("/etc/nginx/conf.d/*.conf"),
    Path("/etc/apache2/apache2.conf"),
    Path("/etc/apache2/sites-enabled"),
    Path("/etc/httpd/conf/httpd.conf"),
    Path("/etc/httpd/conf.d/*.conf"),
)
_APACHE_SYNTAX = re.compile(
    r"^[ \t]*<[ \t]*VirtualHost\b", re.MULTILINE | re.IGNORECASE
)
_NGINX_SYNTAX = re.compile(
    r"^[ \t]*(?:server[ \t\n]*\{|server_name[ \t])", re.MULTILINE
)


def find_vhost_roots(config_paths: list[Path] | None = None) -> list[VirtualHost]:
    """Every virtual host with a document root in the given configuration.

    ``config_paths`` are files, folders (every file in them) or glob
    patterns; None reads ``DEFAULT_CONFIG_PATHS``. Whether a file is nginx's
    or Apache's is told by its path, else by its syntax. Files that are
    missing, unreadable or nonsense give no hosts and raise nothing.
    """
    paths = list(DEFAULT_CONFIG_PATHS) if config_paths is None else config_paths
    files = ConfigFiles()
    hosts: list[VirtualHost] = []
    for path in expand_config_paths(paths):
        if os.path.realpath(path) in files.parsed:
            continue
        parser = parse_apache if _is_apache(path, files) else parse_nginx
        hosts.extend(parser(path, files))
    unique = list(dict.fromkeys(hosts))
    logger.debug(
        "%d virtual host(s) in %d configuration file(s)", len(unique), len(files.parsed)
    )
    return unique


def match_virtual_hosts(
    site_paths: Sequence[bytes], virtual_hosts: Sequence[VirtualHost]
) -> dict[bytes, tuple[str, VirtualHost]]:
    """The URL and virtual host of each site that some host serves.

    A site at or below a host's document root is served by the host with
    the deepest such root, at the root's URL plus the site's sub-path.
    Failing that, a host whose root lies inside the site (Magento's
    ``pub/``, Drupal's ``web/``) serves the closest site above that root.
    HTTPS wins over HTTP when both serve the same root.
    """
    roots: dict[bytes, list[VirtualHost]] = {}
    for host in virtual_hosts:
        if host.url is not None:
            roots.setdefault(os.path.realpath(os.fsencode(host.root)), []).append(host)
    real_sites = {os.path.realpath(path): path for path in site_paths}

    inner: dict[bytes, list[tuple[bytes, VirtualHost]]] = {}
    for root, hosts in roots.items():
        holder = next((a for a in _lineage(root) if a in real_sites), None)
        if holder is not None:
            inner.setdefault(holder, []).extend((root, host) for host in hosts)

    matches: dict[bytes, tuple[str, VirtualHost]] = {}
    for real, path in real_sites.items():
        outer = next((a for a in _lineage(real) if a in roots), None)
        if outer is not None:
            host = max(roots[outer], key=lambda candidate: candidate.tls)
            relative = real[len(outer) :].strip(b"/")
            suffix = "/" + quote(relative, safe="/") if relative else ""
            matches[path] = (f"{host.url}{suffix}", host)
        elif real in inner:
            _, host = min(inner[real], key=lambda item: (len(item[0]), not item[1].tls))
            matches[path] = (str(host.url), host)
    return matches


def _lineage(path: bytes) -> Iterator[bytes]:
    """The path itself, then each folder above it up to ``/``."""
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def _is_apache(path: str, files: ConfigFiles) -> bool:
    """Told by syntax first: a test or staging copy may live anywhere."""
    text = files.read(path) or ""
    if _APACHE_SYNTAX.search(text):
        return True
    if _NGINX_SYNTAX.search(text):
        return False
    lowered = path.lower()
    return "apache" in lowered or "httpd" in lowered
