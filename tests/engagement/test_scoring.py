"""The engagement formula, checked against examples computed by hand (docs/engagement.md)."""

from datetime import date

import pytest

from clusterhub.engagement.scoring import (
    MAX_SCORE,
    Reason,
    Status,
    breakdown,
    decay,
    freshness_points,
    month_index,
    quarter_points,
    status_of,
)

NOW = month_index(date(2026, 12, 4))


def test_a_month_index_counts_calendar_months_across_years():
    assert month_index(date(2027, 1, 1)) - month_index(date(2026, 12, 31)) == 1
    assert month_index(date(2026, 12, 1)) - month_index(date(2026, 9, 30)) == 3


def test_an_activity_weighs_half_after_three_months_and_a_quarter_after_six():
    assert decay(0) == 1
    assert decay(3) == pytest.approx(0.5)
    assert decay(6) == pytest.approx(0.25)
    assert decay(1) == pytest.approx(0.7937, abs=1e-4)


def test_the_worked_example_of_the_documentation():
    """Check-ins: one this month, one 3 months ago: (1 + 0.5) x 10 = 15.
    Contributions: 3 this month: 3 x 8 = 24, capped at 20.
    Endorsements: 2 one month ago: 2 x 0.7937 x 3 = 4.76 -> 4.8.
    Comments: none. Sign-in days: 6, six months ago: 6 x 0.25 x 1 = 1.5.
    Profile updated 455 days ago: 15 x (730 - 455) / (730 - 180) = 7.5.
    Score: 15 + 20 + 4.8 + 0 + 1.5 + 7.5 = 48.8."""
    counts = {
        "attendance": {NOW: 1, NOW - 3: 1},
        "contributions": {NOW: 3},
        "endorsements": {NOW - 1: 2},
        "logins": {NOW - 6: 6},
    }

    result = breakdown(counts, at_month=NOW, profile_age_days=455)

    points = {part.key: part.points for part in result.parts}
    assert points == {
        "attendance": 15.0,
        "contributions": 20.0,
        "endorsements": 4.8,
        "comments": 0.0,
        "logins": 1.5,
        "votes": 0.0,
    }
    assert result.part("contributions").capped
    assert result.part("attendance").count == 2
    assert result.freshness == 7.5
    assert result.activity == 41.3
    assert result.total == 48.8


def test_votes_on_the_agenda_score_two_points_each_up_to_ten():
    """Ballots in agenda consultations: 3 this month = 6 points; 50 are capped at 10."""
    few = breakdown({"votes": {NOW: 3}}, at_month=NOW, profile_age_days=None)
    many = breakdown({"votes": {NOW: 50}}, at_month=NOW, profile_age_days=None)

    assert few.part("votes").available
    assert few.part("votes").points == 6.0
    assert many.part("votes").points == 10.0
    assert many.part("votes").capped


def test_activities_after_the_month_scored_are_ignored():
    counts = {"attendance": {NOW - 3: 1, NOW: 2}}

    assert breakdown(counts, at_month=NOW - 3, profile_age_days=None).total == 10.0
    assert breakdown(counts, at_month=NOW, profile_age_days=None).total == 25.0


def test_every_part_at_its_cap_makes_the_maximum_score():
    counts = {
        key: {NOW: 100}
        for key in ("attendance", "contributions", "endorsements", "comments", "logins", "votes")
    }

    assert breakdown(counts, at_month=NOW, profile_age_days=0).total == MAX_SCORE == 100


@pytest.mark.parametrize(
    ("age_days", "points"),
    [(None, 0.0), (0, 15.0), (180, 15.0), (455, 7.5), (620, 3.0), (730, 0.0), (2000, 0.0)],
)
def test_profile_freshness_falls_in_a_straight_line_from_180_to_730_days(age_days, points):
    assert freshness_points(age_days) == points


def test_no_activity_ever_is_dormant():
    assert status_of(days_since_activity=None, last_quarter=0, previous_quarter=0) == (
        Status.DORMANT,
        Reason.NEVER,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, Status.ACTIVE),
        (89, Status.ACTIVE),
        (90, Status.COOLING),
        (179, Status.COOLING),
        (180, Status.DORMANT),
        (400, Status.DORMANT),
    ],
)
def test_the_status_follows_the_days_since_the_last_activity(days, expected):
    status, _reason = status_of(days_since_activity=days, last_quarter=10, previous_quarter=10)

    assert status == expected


def test_a_quarter_earning_half_the_points_of_the_one_before_is_cooling():
    """Previous quarter: 3 check-ins = 30 points; last quarter: 1 check-in and 5 sign-in days
    = 15 points, half of 30: cooling even though there was activity last week."""
    previous = quarter_points({"attendance": 3})
    last = quarter_points({"attendance": 1, "logins": 5})

    assert (previous, last) == (30.0, 15.0)
    assert status_of(days_since_activity=5, last_quarter=last, previous_quarter=previous) == (
        Status.COOLING,
        Reason.HALVED,
    )
    one_more_sign_in = quarter_points({"attendance": 1, "logins": 6})
    assert status_of(
        days_since_activity=5, last_quarter=one_more_sign_in, previous_quarter=previous
    ) == (Status.ACTIVE, Reason.RECENT)


def test_quarter_points_are_capped_per_kind_like_the_score():
    assert quarter_points({"contributions": 5, "comments": 1, "votes": 9}) == 20 + 2 + 10


def test_an_activity_no_longer_counts_after_24_months():
    counts = {"attendance": {NOW - 23: 1, NOW - 24: 5}}

    part = breakdown(counts, at_month=NOW, profile_age_days=None).part("attendance")

    assert part.count == 1
    assert part.weighted == round(0.5 ** (23 / 3), 3) == 0.005
    assert part.points == 0.0
