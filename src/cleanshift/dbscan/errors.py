"""The exception tree of database scanning.

Every error raised inside ``cleanshift.dbscan`` derives from ``DbScanError``;
the scan entry points turn them into entries on the report instead of
letting them escape.
"""

from __future__ import annotations


class DbScanError(Exception):
    """Root of the errors raised while scanning a site's database."""


class CredentialsError(DbScanError):
    """The site's configuration does not give usable database credentials."""


class DatabaseAccessError(DbScanError):
    """The database server could not be reached or refused the login."""


class MissingTableError(DbScanError):
    """A table the scan expected is not in the database."""


class PhpSerializationError(DbScanError):
    """A value is not valid PHP serialisation, or is too deep or too large."""
