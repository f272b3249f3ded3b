"""The exception tree of remediation.

Every error a playbook raises derives from ``RemediationError``; its message
is written for the person who asked for the fix: what happened and what to
do next. ``execute_remediation`` turns them into a ``failed`` result.
"""

from __future__ import annotations


class RemediationError(Exception):
    """Root of the errors raised while fixing or undoing a threat."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PayloadError(RemediationError):
    """The command does not say what to fix, or says it in a form not understood."""


class TargetChangedError(RemediationError):
    """The target changed since the scan or the fix, so acting could lose data.

    The playbook refused rather than overwrite someone's change.
    """


class DigestMismatchError(TargetChangedError):
    """Bytes about to be written do not have the digest they must have."""

    def __init__(self, message: str, expected: str, found: str) -> None:
        super().__init__(message)
        self.expected = expected
        self.found = found


class CannotCleanError(RemediationError):
    """The injected part cannot be delimited safely, so nothing was cut."""


class ToolError(RemediationError):
    """An outside tool (``php -l``, WP-CLI, the database) failed or refused."""
