"""Remediation: playbooks that fix what scans find, and can always be undone.

The agent calls ``execute_remediation("remediate" | "rollback", payload,
context)`` with a ``RemediationContext`` (its state folder and web roots).
Every playbook checks before it acts, writes atomically, keeps what it
replaces in the quarantine store, and returns an undo record that the
``rollback`` command takes back. ``PristineStore`` holds the release files
the ``restore`` playbook puts back.
"""

from __future__ import annotations

from cleanshift.remediation.errors import (
    CannotCleanError,
    PayloadError,
    RemediationError,
    TargetChangedError,
    ToolError,
)
from cleanshift.remediation.playbook import RemediationContext
from cleanshift.remediation.pristine import PristineStore
from cleanshift.remediation.runner import PLAYBOOKS, execute_remediation
from cleanshift.remediation.store import QuarantineStore

__all__ = [
    "PLAYBOOKS",
    "CannotCleanError",
    "PayloadError",
    "PristineStore",
    "QuarantineStore",
    "RemediationContext",
    "RemediationError",
    "TargetChangedError",
    "ToolError",
    "execute_remediation",
]
