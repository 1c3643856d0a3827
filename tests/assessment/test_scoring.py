"""Scores computed by hand, on a small framework written for the test."""

import pytest

from clusterhub.assessment.framework import parse_assessment_framework, parse_skill_framework
from clusterhub.assessment.scoring import (
    indicator_percent,
    level_for_value,
    score,
    skill_gaps,
    team_levels,
)

LEVELS = ["none", "initial", "developing", "established", "leading"]  # levels 0-4

FRAMEWORK = parse_assessment_framework(
    {
        "version": "t1",
        "name": "Test",
        "reference_percent": 80,
        "levels": LEVELS,
        "areas": [
            {
                "code": "a",
                "name": "Area A",
                "weight": 1,
                "indicators": [
                    {
                        "code": "i1",
                        "text": "numeric",
                        "scale": "numeric",
                        "thresholds": [10, 20, 30, 40],
                    },
                    {"code": "i2", "text": "levels", "scale": "levels", "weight": 2},
                ],
            },
            {
                "code": "b",
                "name": "Area B",
                "weight": 2,
                "indicators": [
                    {"code": "i3", "text": "levels", "scale": "levels"},
                    {"code": "i4", "text": "two steps", "scale": "numeric", "thresholds": [1, 5]},
                ],
            },
        ],
    },
    "test.yaml",
    evidence_names=frozenset(),
)


@pytest.mark.parametrize(
    ("value", "level"), [(0, 0), (9.99, 0), (10, 1), (25, 2), (39.9, 3), (40, 4), (10**9, 4)]
)
def test_a_numeric_value_reaches_the_level_of_the_thresholds_it_passes(value, level):
    assert level_for_value(value, [10, 20, 30, 40]) == level


def test_an_indicator_scores_its_level_over_the_highest_level():
    assert indicator_percent(3, 4) == 75.0
    assert indicator_percent(1, 2) == 50.0
    assert indicator_percent(None, 4) == 0.0


def test_areas_are_weighted_means_and_the_overall_score_weighs_the_areas():
    # i1: 25 reaches 2 of 4 thresholds -> 50%; i2: level 3 of 4 -> 75%, weight 2.
    # Area A = (50 * 1 + 75 * 2) / 3 = 66.67 -> 66.7
    # i3: level 2 of 4 -> 50%; i4 unanswered -> 0. Area B = (50 + 0) / 2 = 25.0
    # Overall = (66.7 * 1 + 25.0 * 2) / 3 = 38.9
    levels = {"i1": level_for_value(25, [10, 20, 30, 40]), "i2": 3, "i3": 2, "i4": None}

    scores = score(FRAMEWORK, levels)

    assert scores.by_area() == {"a": 66.7, "b": 25.0}
    assert scores.overall == 38.9
    assert (scores.answered, scores.total) == (3, 4)
    assert not scores.reaches_reference


def test_every_indicator_at_its_highest_level_scores_100_and_reaches_the_reference():
    scores = score(FRAMEWORK, {"i1": 4, "i2": 4, "i3": 4, "i4": 2})

    assert scores.overall == 100.0
    assert scores.reaches_reference


def test_the_reference_line_separates_77_8_from_86_1():
    # A: i1 100%, i2 75% (weight 2) -> (100 + 150) / 3 = 83.3; B: i3 100%, i4 50% -> 75.0
    # overall (83.3 + 75.0 * 2) / 3 = 77.8: below 80.
    below = score(FRAMEWORK, {"i1": 4, "i2": 3, "i3": 4, "i4": 1})
    # A: i1 75%, i2 50% (weight 2) -> (75 + 100) / 3 = 58.3; B: 100, 100 -> 100.0
    # overall (58.3 + 200) / 3 = 86.1: above.
    above = score(FRAMEWORK, {"i1": 3, "i2": 2, "i3": 4, "i4": 2})

    assert (below.overall, below.reaches_reference) == (77.8, False)
    assert (above.overall, above.reaches_reference) == (86.1, True)


SKILLS = parse_skill_framework(
    {
        "version": "s1",
        "name": "Skills",
        "levels": LEVELS,
        "areas": [
            {
                "code": "funding",
                "name": "Funding",
                "target": 3,
                "competences": [{"code": "f1", "text": "a"}, {"code": "f2", "text": "b"}],
            },
            {
                "code": "comms",
                "name": "Communication",
                "target": 2,
                "competences": [{"code": "c1", "text": "a"}, {"code": "c2", "text": "b"}],
            },
            {
                "code": "intl",
                "name": "International",
                "target": 2,
                "competences": [{"code": "x1", "text": "a"}],
            },
        ],
    },
    "skills.yaml",
)


def test_the_gap_is_the_target_less_the_mean_level_of_the_area():
    gaps = {g.code: g for g in skill_gaps(SKILLS, {"f1": 2, "f2": 1, "c1": 4, "c2": 3})}

    assert (gaps["funding"].level, gaps["funding"].gap) == (1.5, 1.5)  # 3 - (2 + 1) / 2
    assert (gaps["comms"].level, gaps["comms"].gap) == (3.5, 0.0)  # above the target: no gap
    assert (gaps["intl"].level, gaps["intl"].gap) == (None, 2.0)  # unanswered: the whole target


def test_a_team_level_is_the_mean_of_the_managers_who_answered():
    assert team_levels([{"f1": 1, "f2": 3}, {"f1": 3, "f2": None}]) == {"f1": 2.0, "f2": 3.0}
