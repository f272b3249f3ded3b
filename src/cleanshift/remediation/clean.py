"""The clean playbook: cut injected code out of a legitimate file.

The rules are run again on the file, every match is widened to the unit that
holds it (a ``<script>`` element, a whole statement line, a separate PHP
block at the top or the end of the file) and the fewest units that leave the
file clean are cut; every other byte stays as it was. A PHP result must pass
``php -l`` when PHP is installed. Anything that cannot be delimited safely
is refused, with the file untouched.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.cutting import (
    Span,
    apply_cuts,
    choose_cuts,
    element_span,
    line_span,
    widen_to_line,
)
from cleanshift.remediation.errors import CannotCleanError, TargetChangedError
from cleanshift.remediation.phpsource import PhpLayout
from cleanshift.remediation.playbook import (
    Outcome,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.rescan import RuleHit, RuleMatcher, verify_file
from cleanshift.remediation.rewrite import (
    commit_rewrite,
    earlier_rewrite,
    rollback_rewrite,
    undo_record,
)
from cleanshift.remediation.targets import (
    inside_web_roots,
    open_regular,
    require_sha256,
    threat_path,
)
from cleanshift.remediation.tools import php_lint

logger = logging.getLogger(__name__)

PHP_EXTENSIONS = frozenset(
    {"php", "php3", "php4", "php5", "php7", "php8", "phtml", "phps", "inc"}
)

# What is left of a file once its code is gone: tags and white space.
_TAGS_AND_BLANKS = re.compile(rb"<\?(?:php)?|\?>|\s", re.IGNORECASE)


class CleanPlaybook:
    """Remove injected code, keep the rest of the file byte for byte."""

    name = "clean"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Cut the injection out (a dry run only shows the cut)."""
        path = inside_web_roots(threat_path(request.threat), context.web_roots)
        shown = display_path(path)
        current = open_regular(path)
        store = context.quarantine
        earlier = earlier_rewrite(store, request.remediation_id, current)
        if earlier is not None and not request.dry_run:
            log.check("already-done", f"{shown} was cleaned by an earlier run")
            verified, seen = verify_file(path, current.sha256)
            log.check("verify", seen)
            before = earlier.sha256
            return Outcome(
                undo_record(self.name, path, before, current.sha256), verified
            )

        expected = require_sha256(request.threat)
        if current.sha256 != expected:
            raise TargetChangedError(
                f"{shown} changed since the scan (sha256 now {current.sha256}, "
                f"the scan saw {expected}); scan again and clean the new finding"
            )
        log.check("check-hash", f"{shown} is unchanged since the scan")

        php = is_php(path, current.data)
        cleaned, spans = plan_clean(current.data, path, php)
        removed = sum(end - start for start, end in spans)
        log.check(
            "locate",
            f"the injection is {removed} bytes in {len(spans)} part(s)",
            removed=[[start, end] for start, end in spans],
            snippets=[_snippet(current.data[start:end]) for start, end in spans],
        )
        self._lint(context, cleaned, php, shown, log)

        if request.dry_run:
            log.change("replace", f"would cut {removed} bytes from {shown}")
            return Outcome({}, False)
        undo = commit_rewrite(
            store, request.remediation_id, self.name, current, cleaned, log
        )
        verified, seen = verify_file(path, undo["sha256_after"])
        log.check("verify", seen)
        return Outcome(undo, verified)

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Put the file's original bytes back."""
        rollback_rewrite(
            context.quarantine, remediation_id, undo, context.web_roots, log
        )

    def _lint(
        self,
        context: RemediationContext,
        cleaned: bytes,
        php: bool,
        shown: str,
        log: StepLog,
    ) -> None:
        if not php:
            return
        if context.php_binary is None:
            log.check("lint", "skipped: no php binary on this server")
            return
        problem = php_lint(
            context.php_binary, cleaned, context.work_dir, context.tool_timeout
        )
        if problem is not None:
            raise CannotCleanError(
                f"php -l rejects {shown} once the injection is cut ({problem}); "
                "nothing was changed. Restore the file from its pristine copy "
                "or a backup instead."
            )
        log.check("lint", "php -l accepts the cleaned file")


def is_php(path: bytes, data: bytes) -> bool:
    """Whether the file is PHP: by its extension, or by its first bytes."""
    extension = os.path.splitext(path)[1][1:].decode("ascii", "replace").lower()
    return extension in PHP_EXTENSIONS or data.lstrip()[:5].lower() == b"<?php"


def plan_clean(data: bytes, path: bytes, php: bool) -> tuple[bytes, list[Span]]:
    """The cleaned bytes and the spans cut; ``CannotCleanError`` if unsafe."""
    matcher = RuleMatcher.for_file(path)
    hits = matcher.hits(data)
    if not hits:
        raise CannotCleanError(
            "no rule matches the file any more, so there is nothing to cut"
        )
    layout = PhpLayout(data) if php else None
    if layout is not None and not layout.reliable:
        raise CannotCleanError(
            "the file's PHP cannot be followed (an unterminated string, comment "
            "or heredoc), so no cut point is safe; restore it from a pristine "
            "copy or quarantine it"
        )
    lower = data.lower()
    candidates = []
    for hit in hits:
        unit = _unit_for(hit, data, lower, layout)
        if unit is not None:
            candidates.append(unit)
        else:
            logger.debug("no safe unit around %s at %d", hit.rule, hit.offset)
    try:
        spans = choose_cuts(
            candidates, lambda chosen: apply_cuts(data, chosen), matcher.is_clean
        )
    except CannotCleanError as error:
        raise CannotCleanError(
            f"{error.message}; nothing was changed. Restore the file from its "
            "pristine copy or a backup, or quarantine it if it is not needed."
        ) from error
    cleaned = apply_cuts(data, spans)
    if not _TAGS_AND_BLANKS.sub(b"", cleaned):
        raise CannotCleanError(
            "nothing would be left of the file once the injection is cut; it is "
            "malicious as a whole: quarantine it instead"
        )
    return cleaned, spans


def _unit_for(
    hit: RuleHit, data: bytes, lower: bytes, layout: PhpLayout | None
) -> Span | None:
    element = element_span(lower, hit.offset, hit.end)
    if element is not None:
        for span in (widen_to_line(data, element), element):
            if layout is None or layout.removable(*span):
                return span
            if layout.inside_one_string(*span):
                return span
    if layout is None:
        return None
    lines = line_span(data, hit.offset, hit.end)
    wider: list[Span | None] = [
        lines,
        _after_opening_tag(layout, lines),
        _separate_block(layout, hit),
    ]
    for unit in wider:
        if unit is not None and layout.removable(*unit):
            return unit
    return None


def _after_opening_tag(layout: PhpLayout, lines: Span) -> Span | None:
    """The rest of a first line that begins with ``<?php``: the tag is kept."""
    start, end = lines
    text = layout.data[start:end]
    token = layout.token_at(start + len(text) - len(text.lstrip(b" \t")))
    if token is None or token.kind != "open":
        return None
    if layout.data[:end].endswith(b"\r\n"):
        end -= 2
    elif layout.data[:end].endswith(b"\n"):
        end -= 1
    return (token.end, end) if token.end < end else None


def _separate_block(layout: PhpLayout, hit: RuleHit) -> Span | None:
    """A whole PHP block standing apart at the top or the end of the file."""
    index = layout.block_at(hit.offset)
    blocks = layout.blocks
    if index is None or len(blocks) < 2:
        return None
    block, data = blocks[index], layout.data
    if index == 0 and not data[: block.start].strip():
        following = blocks[1]
        if (
            block.end < following.start
            and not data[block.end : following.start].strip()
        ):
            return block.start, following.start
        if block.end == following.start:
            return block.start, following.start
    last = index == len(blocks) - 1
    if last and not data[block.end :].strip():
        previous = blocks[index - 1]
        if not data[previous.end : block.start].strip() and block.end > block.start:
            return block.start, len(data)
    return None


def _snippet(data: bytes, limit: int = 120) -> str:
    text = " ".join(data.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[:limit] + "..."
