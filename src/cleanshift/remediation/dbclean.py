"""The db-clean playbook: cut an injection out of one database value.

An injected ``<script>`` or ``<iframe>`` element (or the hidden block
wrapping one) is cut out of the value, found by the database rules; for an
``active_plugins`` or cron finding, the one array entry the finding names
is removed. PHP-serialised values are edited in place with their lengths
and counts corrected. The old value is kept, on disk and in the undo record
(it is site content, not a secret), and rollback writes it back through the
same guarded update.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from cleanshift.dbscan.connection import MYSQL_ERRORS, describe_mysql_error
from cleanshift.dbscan.matching import value_digest
from cleanshift.remediation.database import (
    RowAddress,
    RowEditor,
    Value,
    find_site_config,
    open_connection,
)
from cleanshift.remediation.errors import (
    PayloadError,
    RemediationError,
    TargetChangedError,
    ToolError,
)
from cleanshift.remediation.playbook import (
    Outcome,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.rescan import RuleMatcher
from cleanshift.remediation.targets import require_sha256
from cleanshift.remediation.valuecut import as_bytes, plan_value_cleanup

logger = logging.getLogger(__name__)

RECORD_LABEL = "row"


class DatabaseCleanPlaybook:
    """Remove an injected part of a database value, keeping the row's old value."""

    name = "db-clean"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Clean the value the finding names (a dry run only shows the cut)."""
        address = RowAddress.from_location(request.location)
        expected = require_sha256(request.threat)
        site_path = request.location.get("site_path")
        site, config = find_site_config(address, site_path, context.web_roots)
        log.check("site", f"the database is the one configured in {config.config_file}")
        try:
            with open_connection(config.credentials) as connection:
                editor = RowEditor(connection, address)
                return self._clean(request, context, editor, expected, log, site)
        except MYSQL_ERRORS as error:
            raise ToolError(
                f"the database refused the change: {describe_mysql_error(error)}; "
                "nothing was changed"
            ) from None

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Write the old value back, if the value is still the one the fix wrote."""
        address = RowAddress.from_location(undo)
        old_value = _decode(undo)
        if value_digest(old_value) != undo.get("old_sha256"):
            raise PayloadError("the undo record's old value does not match its digest")
        _, config = find_site_config(address, undo.get("site_path"), context.web_roots)
        try:
            with open_connection(config.credentials) as connection:
                editor = RowEditor(connection, address)
                current = editor.read()
                if current is not None and value_digest(current) == undo["old_sha256"]:
                    log.check(
                        "already-done", f"{address.describe()} holds the old value"
                    )
                    return
                if current is None or value_digest(current) != undo.get("new_sha256"):
                    raise TargetChangedError(
                        f"{address.describe()} changed after the cleanup; writing the "
                        "old value back would lose that change. Compare it with the "
                        "old value in this remediation's undo record by hand."
                    )
                editor.replace(str(undo["new_sha256"]), old_value)
        except MYSQL_ERRORS as error:
            raise ToolError(
                f"the database refused the rollback: {describe_mysql_error(error)}"
            ) from None
        log.change("restore-value", f"wrote the old value of {address.describe()} back")
        logger.info(
            "rolled back %s (remediation %s)", address.describe(), remediation_id
        )

    def _clean(
        self,
        request: RemediationRequest,
        context: RemediationContext,
        editor: RowEditor,
        expected: str,
        log: StepLog,
        site_path: str,
    ) -> Outcome:
        address = editor.address
        current = editor.read()
        if current is None:
            raise RemediationError(
                f"{address.describe()} no longer exists; nothing to clean"
            )
        store = context.quarantine
        if value_digest(current) != expected:
            earlier = store.load(request.remediation_id, RECORD_LABEL)
            if earlier is None or earlier.record.get("new_sha256") != value_digest(
                current
            ):
                raise TargetChangedError(
                    f"{address.describe()} changed since the scan; scan again first"
                )
            log.check(
                "already-done", f"{address.describe()} was cleaned by an earlier run"
            )
            return Outcome(_undo(earlier.record), True)
        log.check("check-hash", f"{address.describe()} is unchanged since the scan")

        new_value, detail = plan_value_cleanup(current, address)
        log.check("locate", detail)
        if request.dry_run:
            log.change("update", f"would update {address.describe()}")
            return Outcome({}, False)

        record = {
            "format": "cleanshift-quarantine/1",
            "playbook": self.name,
            "site_path": site_path,
            "database": address.database,
            "table": address.table,
            "column": address.column,
            "key": address.key,
            "old_sha256": expected,
            "new_sha256": value_digest(new_value),
            **_encode(current),
        }
        store.write_record(request.remediation_id, RECORD_LABEL, record)
        editor.replace(expected, new_value)
        log.change("update", f"updated {address.describe()} in one guarded transaction")
        logger.info(
            "cleaned %s (remediation %s)", address.describe(), request.remediation_id
        )
        return Outcome(_undo(record), self._verify(editor, new_value, log))

    def _verify(self, editor: RowEditor, new_value: Value, log: StepLog) -> bool:
        try:
            value = editor.read()
        except MYSQL_ERRORS as error:
            log.check(
                "verify", f"could not read the row again: {describe_mysql_error(error)}"
            )
            return False
        matcher = RuleMatcher.for_column(editor.address.column)
        clean = value == new_value and (
            bool(editor.address.path) or matcher.is_clean(as_bytes(value))
        )
        log.check(
            "verify",
            "re-read the value: the injection is gone"
            if clean
            else "the value is not as written",
        )
        return clean


def _encode(value: Value) -> dict[str, str]:
    if isinstance(value, bytes):
        return {
            "old_value": base64.b64encode(value).decode("ascii"),
            "encoding": "base64",
        }
    return {"old_value": value, "encoding": "text"}


def _decode(undo: dict[str, Any]) -> Value:
    value = undo.get("old_value")
    if not isinstance(value, str):
        raise PayloadError("the undo record carries no old value")
    return base64.b64decode(value) if undo.get("encoding") == "base64" else value


def _undo(record: dict[str, Any]) -> dict[str, Any]:
    undo = {name: value for name, value in record.items() if name != "format"}
    undo["playbook"] = DatabaseCleanPlaybook.name
    return undo
