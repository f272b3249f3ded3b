"""Trees an attacker shaped: discovery reads bounded, stays inside, never fails."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cleanshift.engine.paths import path_from_fields
from cleanshift.sites.discovery import MAX_ERRORS_PER_SITE, discover_sites
from cleanshift.sites.files import SiteFileError, WebRootReader
from tests.sites.conftest import SiteFactory, by_path, plugin_header, write

logger = logging.getLogger(__name__)

FIFTY_MB = 50 * 1024 * 1024
NOBODY = 65534


def test_binary_version_file_gives_no_version(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    (site / "wp-includes" / "version.php").write_bytes(bytes(range(256)) * 64)

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert (found.cms, found.cms_version) == ("wordpress", None)
    assert found.errors == ["wp-includes/version.php: no version found"]


@pytest.mark.parametrize(("at_start", "expected"), [(True, "6.4.3"), (False, None)])
def test_fifty_megabyte_version_file_is_read_bounded(
    sites: SiteFactory, at_start: bool, expected: str | None
) -> None:
    site = sites.wordpress("a")
    version_file = site / "wp-includes" / "version.php"
    line = b"<?php\n$wp_version = '6.4.3';\n"
    with version_file.open("wb") as handle:
        if at_start:
            handle.write(line)
        handle.write(b"/* " + b"A" * (128 * 1024) + b" */\n")
        if not at_start:
            handle.write(line)
        # The rest is a hole: fifty megabytes on paper, little on disk.
        handle.truncate(FIFTY_MB)
    started = time.monotonic()

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert found.cms_version == expected
    assert time.monotonic() - started < 10


def test_non_utf8_names_survive_and_round_trip(sites: SiteFactory) -> None:
    raw_root = os.fsencode(sites.web_root)
    site = Path(os.fsdecode(os.path.join(raw_root, b"caf\xe9.example")))
    sites.wordpress(site.name)
    plugins = os.path.join(os.fsencode(site), b"wp-content", b"plugins")
    os.makedirs(os.path.join(plugins, b"plug\xff"))
    with open(os.path.join(plugins, b"plug\xff", b"plug\xff.php"), "wb") as handle:
        handle.write(plugin_header("Caf\xe9 Plugin", "1.0").encode("latin-1"))

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert found.path.endswith("caf\\xe9.example")
    assert path_from_fields(found.path, found.raw_path) == os.fsencode(site)
    [plugin] = found.plugins
    assert plugin["slug"] == "plug\\xff"
    assert plugin["name"] == "Caf\ufffd Plugin"
    json.dumps(found.to_dict())


def test_symlink_loops_do_not_hang_or_repeat(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    os.symlink(".", sites.web_root / "loop")
    os.symlink("../a", site / "again")
    os.symlink("..", site / "wp-content" / "plugins" / "up")
    os.symlink(".", site / "wp-content" / "themes" / "self")
    os.symlink("missing", site / "wp-content" / "plugins" / "dangling")

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert found.path == str(site)
    assert found.plugins == []
    assert found.themes == []
    assert found.errors == [
        "wp-content/plugins/dangling: link leads out of the web root"
    ]


def test_links_out_of_the_web_root_are_not_followed(
    tmp_path: Path, sites: SiteFactory
) -> None:
    outside = tmp_path / "outside"
    write(outside / "version.php", "<?php\n$wp_version = '9.9.9';\n")
    write(outside / "stolen" / "stolen.php", plugin_header("Stolen", "1.0"))
    write(outside / "readme.txt", "Stable tag: 7.7.7\n")
    site = sites.wordpress("a")
    version_file = site / "wp-includes" / "version.php"
    version_file.unlink()
    version_file.symlink_to(outside / "version.php")
    (site / "wp-content" / "plugins" / "stolen").symlink_to(outside / "stolen")
    folder = sites.plugin(site, "plain", None)
    (folder / "readme.txt").symlink_to(outside / "readme.txt")
    inner = sites.plugin(sites.web_root / "shared", "shared-lib", "2.0")
    (site / "wp-content" / "plugins" / "shared-lib").symlink_to(inner)

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    wordpress = found["a"]
    assert wordpress.cms_version is None
    assert {p["slug"]: p["version"] for p in wordpress.plugins} == {
        "plain": None,
        "shared-lib": "2.0",
    }
    assert sorted(wordpress.errors) == [
        "wp-content/plugins/plain/readme.txt: link leads out of the web root",
        "wp-content/plugins/stolen: link leads out of the web root",
        "wp-includes/version.php: link leads out of the web root",
    ]


def test_fifos_and_devices_are_not_opened_for_reading(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    folder = sites.plugin(site, "piped", None)
    os.mkfifo(folder / "readme.txt")
    os.mkfifo(site / "wp-content" / "plugins" / "pipe.php")
    os.mkfifo(site / "wp-content" / "themes" / "style.css")

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert [p["slug"] for p in found.plugins] == ["piped"]
    assert found.errors == ["wp-content/plugins/piped/readme.txt: not a regular file"]


def test_magento_composer_files_that_are_hostile(sites: SiteFactory) -> None:
    nested = sites.magento("nested", base_version="2.4.6")
    (nested / "composer.lock").write_bytes(b"[" * 1_000_000)
    huge = sites.magento("huge", base_version="2.4.5")
    with (huge / "composer.lock").open("wb") as handle:
        handle.truncate(9 * 1024 * 1024)

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert found["nested"].cms_version == "2.4.6"
    assert found["nested"].errors == ["composer.lock: not valid JSON"]
    assert found["huge"].cms_version == "2.4.5"
    assert found["huge"].errors == [
        "composer.lock: larger than 8388608 bytes; not read"
    ]


def test_errors_per_site_are_capped(tmp_path: Path, sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    for number in range(MAX_ERRORS_PER_SITE + 5):
        (site / "wp-content" / "plugins" / f"out{number:02d}").symlink_to(tmp_path)

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert len(found.errors) == MAX_ERRORS_PER_SITE + 1
    assert found.errors[-1] == "and 5 more"


def test_listing_is_bounded(tmp_path: Path) -> None:
    for number in range(30):
        (tmp_path / f"f{number}").touch()
    reader = WebRootReader(os.fsencode(tmp_path))

    assert (
        len(reader.list_dir(os.fsencode(tmp_path), follow_links=False, limit=10)) == 10
    )
    with pytest.raises(SiteFileError):
        reader.list_dir(os.fsencode(tmp_path / "missing"), follow_links=False)


@pytest.fixture
def shared_web_root() -> Iterator[Path]:
    """A web root outside pytest's private folders, so any user may enter it."""
    folder = Path(tempfile.mkdtemp(prefix="cleanshift-sites-"))
    folder.chmod(0o755)
    yield folder / "www"
    for base, dirs, _files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(base, name), 0o700)
    shutil.rmtree(folder)


def discover_as_unprivileged(web_root: Path) -> list[dict[str, Any]]:
    """Discovery as a user that permissions apply to (root ignores them)."""
    if os.geteuid() != 0:
        return [site.to_dict() for site in discover_sites([web_root], virtual_hosts=[])]
    return run_in_child_as(NOBODY, lambda: discover_sites([web_root], virtual_hosts=[]))


def run_in_child_as(uid: int, work: Callable[[], list[Any]]) -> list[dict[str, Any]]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            payload = json.dumps([site.to_dict() for site in work()]).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        except Exception:
            logger.exception("discovery failed in the unprivileged child")
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as source:
        data = source.read()
    _, wait_status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(wait_status) == 0
    result: list[dict[str, Any]] = json.loads(data)
    return result


def test_unreadable_folders_and_files_are_reported(shared_web_root: Path) -> None:
    sites = SiteFactory(shared_web_root)
    site = sites.wordpress("a")
    sites.plugin(site, "locked", "1.0")
    sites.plugin(site, "open", "2.0")
    sites.theme(site, "locked-theme", "1.0")
    sites.wordpress("sealed")
    (site / "wp-content" / "plugins" / "locked").chmod(0)
    (site / "wp-content" / "themes").chmod(0)
    (site / "wp-includes" / "version.php").chmod(0)
    (shared_web_root / "sealed").chmod(0)

    [found] = discover_as_unprivileged(shared_web_root)

    assert found["path"] == str(site)
    assert found["cms_version"] is None
    assert {p["slug"]: p["version"] for p in found["plugins"]} == {
        "locked": None,
        "open": "2.0",
    }
    assert found["themes"] == []
    assert sorted(found["errors"]) == [
        "wp-content/plugins/locked: Permission denied",
        "wp-content/themes: Permission denied",
        "wp-includes/version.php: Permission denied",
    ]
