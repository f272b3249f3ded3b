"""Integration fixtures: the real MariaDB databases of the database-scan tests."""

from tests.dbscan.conftest import make_database, test_database  # noqa: F401
