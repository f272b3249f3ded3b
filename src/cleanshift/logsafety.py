"""Keeping secrets out of logs, whoever writes the record."""

from __future__ import annotations

import logging
import re

# Query-string tokens (the agent's WebSocket), bearer headers and our own
# secret formats; whatever logs them, the text that reaches a file is masked.
_SECRET_PATTERNS = (
    re.compile(r"(?i)(token=)[^&\s\"']+"),
    re.compile(r"(?i)(bearer\s+)[^\s\"']+"),
    re.compile(r"(cs_(?:live|agent)_)[A-Za-z0-9]+"),
)


def redact(text: str) -> str:
    """``text`` with every secret replaced by ``[redacted]``."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites each record's message with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(logger_names: tuple[str, ...] = ("",)) -> None:
    """Add the filter to every handler of these loggers (root by default)."""
    secret_filter = RedactSecretsFilter()
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactSecretsFilter) for f in handler.filters):
                handler.addFilter(secret_filter)
