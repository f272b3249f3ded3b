"""Every CLI test gets its own cache and data folders, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

# The real MariaDB databases of the database-scan tests, for deep scans here.
from tests.dbscan.conftest import make_database, test_database  # noqa: F401


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the XDG folders (scan cache, known-good store) into ``tmp_path``."""
    home = tmp_path / "user"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home
