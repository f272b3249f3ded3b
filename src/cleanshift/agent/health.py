"""Server health as the agent reports it, read from /proc and statvfs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


def read_health(paths: list[Path]) -> dict[str, Any]:
    """Load, memory, disks holding ``paths``, and uptime."""
    load1, load5, load15 = os.getloadavg()
    memory = _meminfo()
    return {
        "load1": round(load1, 2),
        "load5": round(load5, 2),
        "load15": round(load15, 2),
        "mem_total": memory.get("MemTotal", 0),
        "mem_used": memory.get("MemTotal", 0) - memory.get("MemAvailable", 0),
        "disks": _disks(paths),
        "uptime": _uptime(),
    }


def _meminfo() -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        lines = Path("/proc/meminfo").read_text().splitlines()
    except OSError:
        return values
    for line in lines:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[name] = int(parts[0]) * 1024
    return values


def _disks(paths: list[Path]) -> list[dict[str, Any]]:
    disks = []
    for path in paths:
        try:
            usage = shutil.disk_usage(path)
        except OSError:
            continue
        disks.append({"path": str(path), "total": usage.total, "used": usage.used})
    return disks


def _uptime() -> float:
    try:
        return float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
