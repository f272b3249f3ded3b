"""Opaque identifiers with a type prefix, as the API contract requires."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
PREFIXES = frozenset({"usr", "acc", "key", "srv", "site", "scn", "thr", "cmd", "rem"})


def new_id(prefix: str, length: int = 16) -> str:
    """A fresh identifier such as ``srv_4fQ9...`` (base62, cryptographic)."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_secret(prefix: str, length: int = 40) -> str:
    """A bearer secret such as ``cs_live_...``; shown once, stored hashed."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))
