"""Time the scan engine against the yara CLI on one tree, and check the goals.

    .venv/bin/python bench/scan.py [TREE] [--runs N] [--workers N]

TREE defaults to the WordPress release in ``.cache/wordpress`` (fetched if
missing). Best of N runs (default 3) of: ``yara -r -p 2`` with every rule file
yara compiles (the others are listed); a full ``FileScanner`` scan with an
empty known-good store and one with TREE's manifest in it; a quick re-scan of
the unchanged tree. The engine runs in a child process, one measurement per
request, interleaved with the yara runs so that other load hurts both alike
(the known-good runs come last: a new store restarts the workers); the peak
summed RSS of its processes is sampled from /proc. Goals: full scan at most a
third of yara's time, quick re-scan at most a tenth of the full scan, peak RSS
under 300 MB. Always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cleanshift.engine.rules import rule_files  # noqa: E402

DEFAULT_TREE = ROOT / ".cache" / "wordpress" / "usr" / "share" / "wordpress"
YARA_GLOBALS = ["-d", "file_name=", "-d", "file_ext=", "-d", "rel_path="]
MAX_ENGINE_RATIO = 1 / 3
MAX_QUICK_RATIO = 1 / 10
MAX_RSS_MB = 300


def main() -> None:
    """Parse the arguments and run the parent or the engine child."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_TREE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--engine-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_child:
        run_engine_child(args.tree, args.workers)
    else:
        run_bench(args.tree, args.runs, args.workers)


def run_bench(tree: Path, runs: int, workers: int | None) -> None:
    """Measure everything and print the table."""
    if tree == DEFAULT_TREE and not (tree / "wp-includes" / "version.php").exists():
        fetch = ROOT / "scripts" / "fetch-wordpress.sh"
        subprocess.run([str(fetch), str(ROOT / ".cache/wordpress")], check=True)
    if shutil.which("yara") is None:
        print("yara is not installed (apt-get install -y yara); nothing to compare")
        return
    compiled, failed = check_yara_rules()
    for name, message in failed:
        print(f"yara 4 cannot compile {name}: {message}")
    yara_command = ["yara", "-r", "-p", "2", *YARA_GLOBALS, *compiled, str(tree)]

    child = EngineChild(tree, workers)
    try:
        times: dict[str, list[float]] = {"yara": [], "full": [], "full-known-good": []}
        quick = []
        first = child.ask("full")
        print(f"tree: {tree} ({first['files_scanned']} files), best of {runs} runs")
        for _ in range(runs):
            times["yara"].append(time_command(yara_command))
            times["full"].append(child.ask("full")["seconds"])
            # Right after a full scan, as a re-scan of an unchanged tree is.
            quick.append(child.ask("quick"))
        # The workers hold the known-good hashes, so a new store restarts
        # them: warm up once, then measure.
        child.ask("full-known-good")
        for _ in range(runs):
            times["full-known-good"].append(child.ask("full-known-good")["seconds"])
        setup = child.setup
    finally:
        peak_rss = child.close()

    print_table(
        yara=min(times["yara"]),
        full=min(times["full"]),
        full_known_good=min(times["full-known-good"]),
        quick=min(run["seconds"] for run in quick),
        peak_rss_mb=peak_rss / 1024 / 1024,
    )
    print(
        f"\nengine setup {setup['compile_seconds']:.2f}s (rules compiled), "
        f"first full scan {first['seconds']:.2f}s (pool start included); "
        f"quick re-scan read {quick[-1]['files_scanned']} file(s), "
        f"{quick[-1]['files_cached']} from the cache; "
        f"rule files: {len(compiled)} of {len(compiled) + len(failed)} used by yara"
    )


def check_yara_rules() -> tuple[list[str], list[tuple[str, str]]]:
    """Rule files yara compiles, and the others with yara's first error line."""
    compiled, failed = [], []
    with tempfile.NamedTemporaryFile() as empty:
        for path in rule_files():
            result = subprocess.run(
                ["yara", *YARA_GLOBALS, str(path), empty.name],
                capture_output=True,
                text=True,
            )
            if result.returncode == 0:
                compiled.append(str(path))
            else:
                failed.append(
                    (path.name, (result.stderr.strip() or "?").splitlines()[0])
                )
    return compiled, failed


def time_command(command: list[str]) -> float:
    """Wall time of one run of ``command``; its output is discarded."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


class EngineChild:
    """The engine in a child process, one measurement per request."""

    def __init__(self, tree: Path, workers: int | None) -> None:
        command = [sys.executable, __file__, str(tree), "--engine-child"]
        if workers:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.sampler = RssSampler(self.process.pid)
        self.sampler.start()
        self.setup = self._answer()

    def ask(self, measurement: str) -> dict[str, Any]:
        """Run one measurement in the child and return its numbers."""
        assert self.process.stdin is not None
        self.process.stdin.write(measurement + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> int:
        """Stop the child; the peak summed RSS seen, in bytes."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)
        self.sampler.stop()
        return self.sampler.peak

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the engine child died; see its error above")
        answer: dict[str, Any] = json.loads(line)
        return answer


class RssSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.peak = max(self.peak, sum(rss_of(pid) for pid in tree_of(self.pid)))
            self._stopping.wait(0.02)

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def tree_of(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def rss_of(pid: int) -> int:
    """Resident set size of one process in bytes, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def print_table(
    *,
    yara: float,
    full: float,
    full_known_good: float,
    quick: float,
    peak_rss_mb: float,
) -> None:
    """The results, ratios and verdicts, one row per measurement."""
    trusting = full_known_good
    ratios = [
        ("engine full scan, no known-good", full, yara, "yara", MAX_ENGINE_RATIO),
        ("engine full scan, TREE known-good", trusting, yara, "yara", MAX_ENGINE_RATIO),
        ("engine quick re-scan, unchanged", quick, full, "full", MAX_QUICK_RATIO),
    ]
    rows = [["yara 4 CLI, -p 2 (reference)", f"{yara:.3f}s", "", "", ""]]
    for name, seconds, base, base_name, goal in ratios:
        ratio = seconds / base
        passed = "PASS" if ratio <= goal else "FAIL"
        against = f"{ratio:.2f} of {base_name}"
        rows.append([name, f"{seconds:.3f}s", against, f"<= {goal:.2f}", passed])
    memory = "PASS" if peak_rss_mb < MAX_RSS_MB else "FAIL"
    rss = f"{peak_rss_mb:.0f} MB"
    rows.append(
        ["engine peak RSS, parent+workers", rss, "", f"< {MAX_RSS_MB} MB", memory]
    )

    header = ["measurement", "best", "ratio", "goal", "result"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    separator = ["-" * width for width in widths]
    for line in [header, separator, *rows]:
        cells = zip(line, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells))


def run_engine_child(tree: Path, workers: int | None) -> None:
    """Answer measurement requests on stdin with JSON lines on stdout."""
    from cleanshift.engine.cache import ScanCache
    from cleanshift.engine.knowngood import KnownGood, build_manifest
    from cleanshift.engine.modes import ScanMode
    from cleanshift.engine.scanner import FileScanner

    root = os.fsencode(tree)
    started = time.perf_counter()
    scanner = FileScanner(workers=workers)
    compile_seconds = time.perf_counter() - started
    manifest = build_manifest(root, "bench-tree", "1")
    trusting = KnownGood({("bench-tree", "1"): manifest})
    stores = {"full": KnownGood(), "quick": KnownGood(), "full-known-good": trusting}
    modes = {"full": ScanMode.full, "quick": ScanMode.quick}

    with tempfile.TemporaryDirectory() as folder, scanner:
        # One cache per store, so each store's runs find their own rows.
        plain = ScanCache.open(Path(folder) / "plain.sqlite3")
        trusted = ScanCache.open(Path(folder) / "known-good.sqlite3")
        caches = {"full": plain, "quick": plain, "full-known-good": trusted}
        reply({"compile_seconds": compile_seconds})
        for line in sys.stdin:
            measurement = line.strip()
            started = time.perf_counter()
            report = scanner.scan_tree(
                root,
                mode=modes.get(measurement, ScanMode.full),
                cache=caches[measurement],
                known_good=stores[measurement],
            )
            seconds = time.perf_counter() - started
            counts = {"files_scanned": report.files_scanned}
            reply({"seconds": seconds, **counts, "files_cached": report.files_cached})
        plain.close()
        trusted.close()


def reply(answer: dict[str, Any]) -> None:
    """One JSON line to the parent."""
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
