"""What every playbook shares: the agent's context, the request, the step log.

A playbook checks everything first, then changes things through atomic
steps, then looks again. It raises a ``RemediationError`` before its first
change if it cannot go on; after a change it does not raise, so that the
undo record of what it did always reaches the control plane.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cleanshift.remediation.errors import PayloadError
from cleanshift.remediation.pristine import PristineStore
from cleanshift.remediation.store import QuarantineStore

logger = logging.getLogger(__name__)


@dataclass
class RemediationContext:
    """What a playbook may use on this server.

    ``quarantine_dir`` defaults to ``state_dir/quarantine`` and
    ``pristine_dir`` to ``state_dir/pristine``; both must lie outside the
    web roots. ``php_binary`` lints cleaned PHP files and ``wp_cli`` updates
    plugins; each is found on ``PATH`` unless given, and ``None`` means the
    playbook goes without.
    """

    state_dir: Path
    web_roots: list[Path]
    quarantine_dir: Path | None = None
    pristine_dir: Path | None = None
    php_binary: str | None = field(default_factory=lambda: shutil.which("php"))
    wp_cli: str | None = field(default_factory=lambda: shutil.which("wp"))
    tool_timeout: float = 600.0

    @property
    def quarantine(self) -> QuarantineStore:
        """The store that keeps what playbooks take or replace."""
        root = self.quarantine_dir or self.state_dir / "quarantine"
        return QuarantineStore(root, self.web_roots)

    @property
    def pristine(self) -> PristineStore:
        """The store of pristine release files."""
        return PristineStore(self.pristine_dir or self.state_dir / "pristine")

    @property
    def work_dir(self) -> Path:
        """A private folder for temporary copies (created 0700)."""
        folder = self.state_dir / "remediation-work"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder


@dataclass(frozen=True)
class RemediationRequest:
    """A ``remediate`` command's payload, checked."""

    remediation_id: str
    playbook: str
    dry_run: bool
    threat: dict[str, Any]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> RemediationRequest:
        """Read a payload; ``PayloadError`` when a field is missing or odd."""
        remediation_id = payload.get("remediation_id")
        playbook = payload.get("playbook")
        threat = payload.get("threat")
        if not isinstance(remediation_id, str) or not remediation_id:
            raise PayloadError("the command carries no remediation_id")
        if not isinstance(playbook, str):
            raise PayloadError("the command names no playbook")
        if not isinstance(threat, dict):
            raise PayloadError("the command carries no threat to act on")
        return cls(remediation_id, playbook, bool(payload.get("dry_run")), threat)

    @property
    def location(self) -> dict[str, Any]:
        """The threat's location (database row, plugin), or an empty dict."""
        location = self.threat.get("location")
        return location if isinstance(location, dict) else {}


@dataclass
class Outcome:
    """What a remediation leaves: how to undo it, and whether it checked out."""

    undo: dict[str, Any]
    verified: bool


class StepLog:
    """The steps a playbook took (or, in a dry run, would take)."""

    def __init__(self, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.steps: list[dict[str, Any]] = []

    def check(self, action: str, detail: str, **extra: Any) -> None:
        """Record a step that only looked (it runs in dry runs too)."""
        self.steps.append({"action": action, "detail": detail, **extra})

    def change(self, action: str, detail: str, **extra: Any) -> None:
        """Record a step that changes something; a dry run only plans it."""
        step = {"action": action, "detail": detail, **extra}
        if self.dry_run:
            step["dry_run"] = True
        self.steps.append(step)


class Playbook(Protocol):
    """One way of fixing a threat, and of undoing that fix."""

    name: str

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Fix the threat (or, with ``request.dry_run``, only plan to)."""
        ...

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Put back what ``remediate`` changed, as its ``undo`` record says."""
        ...
