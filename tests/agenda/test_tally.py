"""Counting ballots, checked against results worked out by hand (see each test's comment)."""

import pytest

from clusterhub.agenda.tally import APPROVAL, POINTS, BallotRecord, tally, type_weights

A, B = 1, 2


def ballots(*rows):
    return [BallotRecord(item, org, kind, value) for item, org, kind, value in rows]


# Three firms (11, 12, 13) and one lab (21).
APPROVAL_BALLOTS = ballots(
    (A, 11, "firm", 1),
    (B, 11, "firm", 0),
    (A, 12, "firm", 1),
    (B, 12, "firm", 1),
    (A, 13, "firm", 1),
    (A, 21, "research_lab", 0),
    (B, 21, "research_lab", 1),
)


def test_approval_counts_the_supports_of_each_item():
    result = tally(APPROVAL_BALLOTS, method=APPROVAL, item_ids=[A, B])
    # A: supported by 11, 12, 13 = 3; B: by 12 and 21 = 2.
    assert result.item(A).score == 3
    assert result.item(B).score == 2
    assert (result.item(A).ballots, result.item(B).ballots) == (4, 3)
    assert (result.item(A).supporters, result.item(B).supporters) == (3, 2)
    assert result.total == 5
    assert result.voters == 4


def test_approval_breakdown_by_member_type_adds_up_to_the_score():
    result = tally(APPROVAL_BALLOTS, method=APPROVAL, item_ids=[A, B])
    assert result.item(A).by_kind == {"firm": 3, "research_lab": 0}
    assert result.item(B).by_kind == {"firm": 1, "research_lab": 1}


def test_equal_type_weighting_gives_each_type_the_same_total_weight():
    # N = 4 voters, T = 2 types: a firm's ballot weighs 4 / (2 * 3) = 2/3, the lab's
    # 4 / (2 * 1) = 2. A = 3 * 2/3 = 2; B = 1 * 2/3 + 1 * 2 = 8/3: B now comes first.
    result = tally(APPROVAL_BALLOTS, method=APPROVAL, item_ids=[A, B], equal_types=True)
    assert result.weights == pytest.approx({"firm": 2 / 3, "research_lab": 2})
    assert result.item(A).score == pytest.approx(2)
    assert result.item(B).score == pytest.approx(8 / 3)
    assert result.item(B).by_kind == pytest.approx({"firm": 2 / 3, "research_lab": 2})
    # Counts of ballots are not weighted.
    assert result.item(A).ballots == 4


def test_equal_weighting_changes_nothing_when_every_type_has_as_many_voters():
    records = ballots((A, 1, "firm", 1), (A, 2, "university", 1), (B, 2, "university", 1))
    assert type_weights(records, equal_types=True) == {"firm": 1.0, "university": 1.0}
    plain = tally(records, method=APPROVAL, item_ids=[A, B])
    equal = tally(records, method=APPROVAL, item_ids=[A, B], equal_types=True)
    assert [i.score for i in plain.items] == [i.score for i in equal.items] == [2, 1]


# Budget 10: firm 11 gives A 7 and B 3, firm 12 gives A 10, lab 21 gives B 6 and A 0.
POINTS_BALLOTS = ballots(
    (A, 11, "firm", 7),
    (B, 11, "firm", 3),
    (A, 12, "firm", 10),
    (B, 21, "research_lab", 6),
    (A, 21, "research_lab", 0),
)


def test_points_sum_the_points_of_each_item():
    result = tally(POINTS_BALLOTS, method=POINTS, item_ids=[A, B])
    assert result.item(A).score == 17
    assert result.item(B).score == 9
    assert result.item(A).by_kind == {"firm": 17, "research_lab": 0}
    assert result.item(B).by_kind == {"firm": 3, "research_lab": 6}
    # The lab's 0 points on A is a ballot, not a supporter.
    assert (result.item(A).ballots, result.item(A).supporters) == (3, 2)


def test_points_with_equal_type_weighting():
    # N = 3, T = 2: firm weight 3 / (2 * 2) = 0.75, lab 3 / (2 * 1) = 1.5.
    # A = 17 * 0.75 = 12.75; B = 3 * 0.75 + 6 * 1.5 = 11.25.
    result = tally(POINTS_BALLOTS, method=POINTS, item_ids=[A, B], equal_types=True)
    assert result.item(A).score == pytest.approx(12.75)
    assert result.item(B).score == pytest.approx(11.25)
    assert result.item(B).by_kind == pytest.approx({"firm": 2.25, "research_lab": 9})


def test_participation_per_type_is_voters_over_eligible_members():
    eligible = {
        11: "firm",
        12: "firm",
        13: "firm",
        14: "firm",
        21: "research_lab",
        22: "research_lab",
        31: "final_user",
    }
    result = tally(APPROVAL_BALLOTS, method=APPROVAL, item_ids=[A, B], eligible=eligible)
    rows = {row.kind: (row.voted, row.eligible, row.rate) for row in result.participation}
    assert rows == {
        "firm": (3, 4, 0.75),
        "research_lab": (1, 2, 0.5),
        "final_user": (0, 1, 0.0),
    }


def test_voters_no_longer_eligible_do_not_raise_the_participation_above_one():
    result = tally(APPROVAL_BALLOTS, method=APPROVAL, item_ids=[A, B], eligible={11: "firm"})
    assert [(row.kind, row.voted, row.eligible) for row in result.participation] == [("firm", 1, 1)]


def test_items_without_ballots_score_zero_and_unknown_items_are_ignored():
    records = ballots((A, 1, "firm", 1), (99, 1, "firm", 1))
    result = tally(records, method=APPROVAL, item_ids=[A, B])
    assert [(i.item_id, i.score, i.ballots) for i in result.items] == [(A, 1, 1), (B, 0, 0)]


def test_nothing_to_count():
    result = tally([], method=POINTS, item_ids=[A], eligible={1: "firm"}, equal_types=True)
    assert result.total == 0
    assert result.weights == {}
    assert result.participation[0].rate == 0


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown voting method"):
        tally([], method="borda", item_ids=[])
