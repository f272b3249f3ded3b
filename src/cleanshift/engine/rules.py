"""Loading and compiling the YARA rule set shipped in ``cleanshift/rules``."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yara_x

logger = logging.getLogger(__name__)

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
SEVERITIES = ("critical", "high", "medium", "low")
REQUIRED_META = ("description", "severity", "family")

# Every rule may read these; the scanner sets them per file so that a rule
# written for PHP never fires on a stylesheet, and .htaccess rules can find
# their file by name.
GLOBALS: dict[str, str] = {"file_name": "", "file_ext": "", "rel_path": ""}

# Rule files (by stem) whose every rule requires PHP-bearing content: each
# gates its rules on a private *_php_content rule, and every pattern of that
# rule holds "<?" or "$_". Content with neither cannot match them, so the
# scanner matches it against the other files only, and a tree of scripts
# and stylesheets skips most of the rule set. tests/engine/test_rules.py
# checks that each file stays gated.
PHP_ONLY_FILES = frozenset(
    {
        "php_backdoors",
        "php_droppers",
        "php_mailers",
        "php_obfuscation",
        "php_skimmers",
        "php_webshells",
    }
)
PHP_MARKERS = (b"<?", b"$_")


class RuleSetError(Exception):
    """The rule set does not compile or breaks the metadata contract."""


@dataclass(frozen=True)
class RuleInfo:
    """What a finding reports about the rule that produced it."""

    name: str
    description: str
    severity: str
    family: str
    threat_type: str
    # A packer rule flags code hidden behind decoders; when the file unpacks
    # statically (see ``cleanshift.engine.unpack``) its payload is judged
    # instead.
    packer: bool = False


def rule_files(rules_dir: Path = RULES_DIR) -> list[Path]:
    """The rule files, in a stable order."""
    return sorted(rules_dir.glob("*.yar"))


# Besides the rules, a verdict depends on the code that applies them: which
# rules a file is matched against and how packed files are judged.
VERDICT_CODE = tuple(
    Path(__file__).resolve().parent / name for name in ("worker.py", "unpack.py")
)


def rules_version(rules_dir: Path = RULES_DIR) -> str:
    """A digest of the rule sources and the code that applies them.

    It keys cached verdicts, so it changes whenever any rule does, or the
    way a verdict is reached.
    """
    digest = hashlib.sha256()
    for path in (*rule_files(rules_dir), *VERDICT_CODE):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def compile_rules(
    rules_dir: Path = RULES_DIR, *, exclude: frozenset[str] = frozenset()
) -> yara_x.Rules:
    """Compile every ``*.yar`` file but ``exclude``, each in a namespace of its name."""
    compiler = yara_x.Compiler()
    for name, default in GLOBALS.items():
        compiler.define_global(name, default)

    for path in rule_files(rules_dir):
        if path.stem in exclude:
            continue
        compiler.new_namespace(path.stem)
        try:
            compiler.add_source(path.read_text(encoding="utf-8"), origin=str(path))
        except yara_x.CompileError as error:
            raise RuleSetError(f"{path.name}: {error}") from error

    return compiler.build()


def describe_rule(rule: yara_x.Rule) -> RuleInfo:
    """Read a matched rule's metadata into a ``RuleInfo``."""
    meta = dict(rule.metadata)
    missing = [key for key in REQUIRED_META if key not in meta]
    if missing:
        raise RuleSetError(f"rule {rule.identifier} lacks metadata {missing}")
    severity = str(meta["severity"])
    if severity not in SEVERITIES:
        raise RuleSetError(f"rule {rule.identifier} has severity {severity!r}")
    return RuleInfo(
        name=rule.identifier,
        description=str(meta["description"]),
        severity=severity,
        family=str(meta["family"]),
        threat_type=_contract_type(str(meta.get("type", "malware"))),
        packer=meta.get("packer") is True,
    )


def _contract_type(declared: str) -> str:
    # The API knows four threat types; a rule's finer kind (spam, hacktool)
    # is its family, and what a file rule finds is malware to the API.
    return declared if declared in ("malware", "integrity") else "malware"


@cache
def default_rules() -> yara_x.Rules:
    """The shipped rule set, compiled once per process."""
    return compile_rules()


@cache
def default_plain_rules() -> yara_x.Rules:
    """The shipped rules that can match content holding no PHP."""
    return compile_rules(exclude=PHP_ONLY_FILES)


def may_hold_php(data: bytes) -> bool:
    """Whether the PHP-only rule files could match this content."""
    return any(marker in data for marker in PHP_MARKERS)
