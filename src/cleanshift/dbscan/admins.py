"""Telling injected administrator accounts from the site's own.

Attackers who can write to the database add an administrator to get back
in. Such accounts tend to stand out against the site's other admins: made
long after them, with a login from a script's template, an email on
another domain, no content, and sometimes a registration date the normal
sign-up flow never writes.

Each trait is weighed. A strong trait (an impossible date, a templated
login) flags an account alone; weak ones (made recently, no posts, another
email domain, a random-looking login) flag it only together. A site's only
admin has nothing to stand out against: for it, an odd date or login is a
weak trait, and only a registration date in the future flags it alone, so
a normal site's single admin is never flagged.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from cleanshift.dbscan.context import ScanContext
from cleanshift.dbscan.findings import DatabaseFinding
from cleanshift.dbscan.matching import value_digest

STRONG = 3
WEAK = 1
FLAG_SCORE = 3
# A new admin this long after every other one is "recent" for this site.
RECENT_GAP = datetime.timedelta(days=180)
# Accounts an attacker adds in one campaign are days apart, not months.
BURST = datetime.timedelta(days=30)
# Clocks drift and time zones differ; only dates past this are "future".
FUTURE_SLACK = datetime.timedelta(days=1)

# Logins that scripts create: a service-like word and a random hex or
# timestamp suffix ("wpsupport_8f3a1c", "wp_update-1698765432").
_TEMPLATED_LOGIN = re.compile(
    r"^(wp|wordpress|admin|adm|support|service|system|sys|update|backup|security|"
    r"root|user)[-_.]?(admin|support|service|update|backup|security|user|manager|"
    r"helper)?[-_.]?(?=[0-9a-f]*\d)[0-9a-f]{6,}$",
    re.IGNORECASE,
)
_TEMPLATED_EMAIL = re.compile(
    r"^(wp|wordpress|admin|support|service|system|update|backup|security)"
    r"[-_.]?(admin|support|service|update|backup|security|user)?[-_.]?"
    r"(?=[0-9a-f]*\d)[0-9a-f]{6,}@",
    re.IGNORECASE,
)
_ZERO_DATE = re.compile(r"^0{4}-0{2}-0{2}")


@dataclass(frozen=True)
class AdminAccount:
    """An administrator as the CMS stores it.

    ``registered`` is the raw stored value (``'0000-00-00 00:00:00'`` is
    kept as is); ``post_count`` is None where the CMS has no authored
    content to count.
    """

    key: Mapping[str, object]
    login: str
    email: str
    registered: datetime.datetime | str | None
    post_count: int | None


@dataclass(frozen=True)
class AdminVerdict:
    """An admin account judged suspicious, and why."""

    account: AdminAccount
    severity: str
    reasons: tuple[str, ...]


def judge_admins(
    accounts: Sequence[AdminAccount], *, now: datetime.datetime | None = None
) -> list[AdminVerdict]:
    """The suspicious accounts among a site's administrators."""
    current = now or datetime.datetime.now()
    dates = {id(account): _as_datetime(account.registered) for account in accounts}
    verdicts = []
    for account in accounts:
        others = [other for other in accounts if other is not account]
        strong, weak = _traits(account, others, dates, current)
        score = STRONG * len(strong) + WEAK * len(weak)
        if score >= FLAG_SCORE:
            severity = "high" if strong else "medium"
            verdicts.append(AdminVerdict(account, severity, tuple(strong + weak)))
    return verdicts


def _traits(
    account: AdminAccount,
    others: Sequence[AdminAccount],
    dates: Mapping[int, datetime.datetime | None],
    now: datetime.datetime,
) -> tuple[list[str], list[str]]:
    strong: list[str] = []
    weak: list[str] = []
    registered = dates[id(account)]
    # An old migration or an installer's naming scheme can give a site's
    # only admin an odd date or login; with others to compare, it stands out.
    telling = strong if others else weak

    if registered is None:
        stored = _display(account.registered)
        shown = f"registration date {stored!r}" if stored else "no registration date"
        telling.append(
            f"{shown} is empty or invalid, which the normal sign-up flow never writes"
        )
    elif registered > now + FUTURE_SLACK:
        strong.append(f"registration date {registered:%Y-%m-%d} is in the future")
    if _TEMPLATED_LOGIN.match(account.login):
        telling.append(f"login {account.login!r} follows a template used by scripts")
    elif _TEMPLATED_EMAIL.match(account.email):
        telling.append(f"email {account.email!r} follows a template used by scripts")

    # The admins made before this one (and before any burst it was made in)
    # are the site's established ones it is compared with.
    other_dates = [(other, dates[id(other)]) for other in others]
    valid = [(other, date) for other, date in other_dates if date and date <= now]
    if registered is not None and registered <= now + FUTURE_SLACK and valid:
        baseline = [(o, date) for o, date in valid if date < registered - BURST]
        is_latest = all(date <= registered + BURST for _, date in valid)
        if baseline and is_latest:
            weak.extend(_compared_traits(account, registered, baseline))

    other_posts = [other.post_count for other in others if other.post_count]
    if account.post_count == 0 and other_posts:
        weak.append("has written no content while the other admins have")

    if _looks_random(account.login):
        weak.append(f"login {account.login!r} looks randomly generated")
    return strong, weak


def report_admins(
    context: ScanContext,
    table: str,
    accounts: Sequence[AdminAccount],
    *,
    rule: str,
    login_column: str,
) -> None:
    """Judge a CMS's admins and put each suspicious one on the report."""
    context.count_table(table)
    context.report.rows_scanned += len(accounts)
    for verdict in judge_admins(accounts):
        account = verdict.account
        context.add_finding(
            DatabaseFinding(
                rule=rule,
                severity=verdict.severity,
                family="rogue-admin",
                title=(
                    f"Administrator {account.login!r} does not look like one the "
                    f"site's owners created: {verdict.reasons[0]}"
                ),
                location=context.location(
                    table, login_column, account.key, account.login
                ),
                sha256=value_digest(account.login),
                snippet=(
                    f"{account.login} <{account.email}> registered "
                    f"{_display(account.registered)}"
                ),
                reasons=verdict.reasons,
            )
        )


def _compared_traits(
    account: AdminAccount,
    registered: datetime.datetime,
    baseline: Sequence[tuple[AdminAccount, datetime.datetime]],
) -> list[str]:
    traits = []
    newest = max(date for _, date in baseline)
    if registered - newest >= RECENT_GAP:
        traits.append(
            f"registered {registered:%Y-%m-%d}, long after the site's other "
            f"admins (latest before it: {newest:%Y-%m-%d})"
        )
    domain = _domain(account.email)
    domains = {_domain(other.email) for other, _ in baseline}
    if len(domains) == 1 and domain not in domains:
        traits.append(
            f"email domain {domain!r} differs from the other admins' "
            f"{next(iter(domains))!r}"
        )
    return traits


def _as_datetime(value: datetime.datetime | str | None) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if value is None or _ZERO_DATE.match(value):
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return None


def _display(value: datetime.datetime | str | None) -> str:
    return "" if value is None else str(value)


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def _looks_random(login: str) -> bool:
    # Letters and digits alternating many times ("k7x2m9q4") rather than a
    # name followed by a number ("john1985").
    if len(login) < 8 or not login.isalnum() or not login.isascii():
        return False
    switches = sum(
        1 for left, right in pairwise(login) if left.isdigit() != right.isdigit()
    )
    return switches >= 4
