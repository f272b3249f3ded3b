"""How administrator accounts are judged, one trait and one site at a time."""

from __future__ import annotations

import datetime

import pytest

from cleanshift.dbscan.admins import AdminAccount, judge_admins

NOW = datetime.datetime(2025, 6, 1, 12, 0)


def admin(
    login: str,
    registered: datetime.datetime | str | None,
    *,
    email: str = "",
    posts: int | None = 10,
) -> AdminAccount:
    """An admin account; the email defaults to one on the site's domain."""
    return AdminAccount(
        key={"ID": login},
        login=login,
        email=email or f"{login}@bakery.example",
        registered=registered,
        post_count=posts,
    )


def flagged(*accounts: AdminAccount) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Login -> (severity, reasons) of the accounts judged suspicious."""
    return {
        verdict.account.login: (verdict.severity, verdict.reasons)
        for verdict in judge_admins(accounts, now=NOW)
    }


OWNER = admin("anna", datetime.datetime(2016, 4, 2))
PARTNER = admin("ben", datetime.datetime(2017, 1, 9))


@pytest.mark.parametrize(
    "only",
    [
        admin("admin", datetime.datetime(2020, 1, 1), posts=0),
        admin("admin_7f3e9a", datetime.datetime(2020, 1, 1), posts=0),
        admin("k7x2m9q4", "0000-00-00 00:00:00", posts=0),
        admin("owner", None, email="owner@gmail.example", posts=None),
    ],
)
def test_a_single_admin_is_never_flagged_for_odd_looks(only: AdminAccount) -> None:
    assert flagged(only) == {}


def test_a_single_admin_from_the_future_is_flagged() -> None:
    assert flagged(admin("admin", "2031-01-01 00:00:00"))["admin"][0] == "high"


def test_a_normal_team_is_not_flagged() -> None:
    agency = admin(
        "pixelworks", datetime.datetime(2019, 5, 1), email="dev@agency.example", posts=2
    )
    newcomer = admin("carla", datetime.datetime(2025, 5, 20), posts=0)

    assert flagged(OWNER, PARTNER, agency) == {}
    # Recent and without posts yet, but on the site's domain: two weak traits.
    assert flagged(OWNER, PARTNER, newcomer) == {}


def test_strong_traits_flag_alone() -> None:
    result = flagged(
        OWNER,
        PARTNER,
        admin("wp_update-1748779200", datetime.datetime(2017, 2, 1)),
        admin("adminbackup", "0000-00-00 00:00:00"),
        admin("helper", datetime.datetime(2030, 1, 1)),
        admin(
            "mike", datetime.datetime(2017, 3, 1), email="wpsupport.8f3a1c@x.example"
        ),
    )

    assert {login: severity for login, (severity, _) in result.items()} == {
        "wp_update-1748779200": "high",
        "adminbackup": "high",
        "helper": "high",
        "mike": "high",
    }
    assert "template" in result["wp_update-1748779200"][1][0]
    assert "email" in result["mike"][1][0]


def test_weak_traits_flag_together() -> None:
    intruder = admin(
        "k7x2m9q4",
        datetime.datetime(2025, 5, 28),
        email="k7x2m9q4@gmail.example",
        posts=0,
    )

    severity, reasons = flagged(OWNER, PARTNER, intruder)["k7x2m9q4"]

    assert severity == "medium"
    assert len(reasons) == 4
    assert any("long after" in reason for reason in reasons)
    assert any("gmail.example" in reason for reason in reasons)
    assert any("no content" in reason for reason in reasons)
    assert any("randomly" in reason for reason in reasons)


def test_accounts_added_in_one_campaign_do_not_hide_each_other() -> None:
    first = admin(
        "qz81mx4k", datetime.datetime(2025, 5, 20), email="a@x.example", posts=0
    )
    second = admin(
        "hv27pl9w", datetime.datetime(2025, 5, 25), email="b@x.example", posts=0
    )

    assert set(flagged(OWNER, PARTNER, first, second)) == {"qz81mx4k", "hv27pl9w"}


def test_names_with_a_year_are_not_random() -> None:
    late = admin("john1985", datetime.datetime(2025, 5, 1), posts=0)

    assert flagged(OWNER, PARTNER, late) == {}
