"""The engine scored on the shared corpus of real samples, as the bench does.

Real malware cannot be committed here, so this runs only where the shared
corpus is present (CI has it); elsewhere it is skipped with the reason.
The targets: at least 95% of the malicious files that can carry code
flagged, no clean WordPress or contact-form-7 file flagged, at most 10% of
the suspicious-looking clean shop extensions.
"""

from __future__ import annotations

import pytest
from bench.corpus_score import MAX_FLAGGED, MIN_RECALL, SetScore, score_set

from cleanshift.engine.rules import default_plain_rules, default_rules
from cleanshift.engine.worker import RuleScanner
from tests.conftest import CORPUS, WORDPRESS_TREE

pytestmark = pytest.mark.skipif(
    not (CORPUS / "malicious").is_dir(),
    reason=f"the shared sample corpus is not at {CORPUS}",
)


@pytest.fixture(scope="module")
def scanner() -> RuleScanner:
    return RuleScanner(default_rules(), plain_rules=default_plain_rules())


def test_malicious_recall_is_at_least_95_percent(scanner: RuleScanner) -> None:
    scores = [
        score_set(scanner, folder.name, folder, malicious=True)
        for folder in sorted((CORPUS / "malicious").iterdir())
        if folder.is_dir()
    ]
    files = sum(score.files for score in scores)
    flagged = sum(score.flagged for score in scores)

    assert files > 300, "the corpus lost most of its samples"
    missed = [rel for score in scores for rel, _ in score.details]
    assert 100.0 * flagged / files >= MIN_RECALL, f"missed: {missed}"


@pytest.mark.parametrize("name", ["contact-form-7", "gwillem-whitelisted"])
def test_clean_corpus_sets_stay_under_their_ceiling(
    scanner: RuleScanner, name: str
) -> None:
    score = score_set(scanner, name, CORPUS / "clean" / name, malicious=False)

    assert score.files > 100
    assert score.percent <= MAX_FLAGGED[name], _flagged(score)


def test_clean_wordpress_release_is_not_flagged(scanner: RuleScanner) -> None:
    score = score_set(scanner, "wordpress", WORDPRESS_TREE, malicious=False)

    assert score.files > 2000
    assert score.flagged == 0, _flagged(score)


def _flagged(score: SetScore) -> str:
    return "\n".join(f"{rel}: {rules}" for rel, rules in score.details)
