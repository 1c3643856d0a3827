"""Scores of a self-assessment and skill gaps: pure functions over plain values.

- An indicator scores level / highest level, in percent. A numeric indicator's level is how
  many of its (rising) thresholds the value reaches.
- An area scores the weighted mean of its indicators' percentages. An indicator left
  unanswered scores 0: what is not evidenced is not scored (the page shows how many are
  answered).
- The overall score is the weighted mean of the area scores.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clusterhub.assessment.framework import Framework, SkillFramework


def level_for_value(value: float, thresholds: Sequence[float]) -> int:
    """How many thresholds the value reaches: 0 below the first, len(thresholds) at the last."""
    return sum(1 for threshold in thresholds if value >= threshold)


def indicator_percent(level: int | None, max_level: int) -> float:
    if level is None or max_level <= 0:
        return 0.0
    return 100.0 * min(max(level, 0), max_level) / max_level


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float:
    """Mean of (value, weight) pairs; 0 for none."""
    total = sum(weight for _value, weight in pairs)
    if total <= 0:
        return 0.0
    return sum(value * weight for value, weight in pairs) / total


@dataclass(frozen=True)
class AreaScore:
    code: str
    label: str
    percent: float
    answered: int
    total: int


@dataclass(frozen=True)
class Scores:
    areas: tuple[AreaScore, ...]
    overall: float
    reference: float

    @property
    def reaches_reference(self) -> bool:
        return self.overall >= self.reference

    @property
    def answered(self) -> int:
        return sum(area.answered for area in self.areas)

    @property
    def total(self) -> int:
        return sum(area.total for area in self.areas)

    def by_area(self) -> dict[str, float]:
        return {area.code: area.percent for area in self.areas}


def score(framework: Framework, levels: Mapping[str, int | None]) -> Scores:
    """Area and overall scores (percent, one decimal) of answers given as {indicator: level}."""
    areas = []
    for area in framework.areas:
        pairs = [
            (indicator_percent(levels.get(i.code), i.max_level), i.weight) for i in area.indicators
        ]
        answered = sum(1 for i in area.indicators if levels.get(i.code) is not None)
        areas.append(
            AreaScore(
                code=area.code,
                label=area.label,
                percent=round(weighted_mean(pairs), 1),
                answered=answered,
                total=len(area.indicators),
            )
        )
    overall = weighted_mean(
        [(a.percent, area.weight) for a, area in zip(areas, framework.areas, strict=True)]
    )
    return Scores(
        areas=tuple(areas), overall=round(overall, 1), reference=framework.reference_percent
    )


# --- Skills ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillGap:
    code: str
    label: str
    level: float | None  # mean level of the area's competences answered; None: none answered
    target: int
    gap: float  # target - level, never below 0; the full target when unanswered

    @property
    def percent(self) -> float:
        return 0.0 if self.level is None else self.level


def skill_gaps(framework: SkillFramework, answers: Mapping[str, int | None]) -> list[SkillGap]:
    """Per area: the mean level of its competences and how far it is below the target."""
    gaps = []
    for area in framework.areas:
        given = [answers[c.code] for c in area.competences if answers.get(c.code) is not None]
        level = round(sum(given) / len(given), 2) if given else None  # type: ignore[arg-type]
        gap = area.target - (level or 0.0)
        gaps.append(
            SkillGap(
                code=area.code,
                label=area.label,
                level=level,
                target=area.target,
                gap=round(max(gap, 0.0), 2),
            )
        )
    return gaps


def team_levels(members: Sequence[Mapping[str, int | None]]) -> dict[str, float]:
    """Per competence, the mean level of the team's members who answered it."""
    sums: dict[str, list[int]] = {}
    for answers in members:
        for code, level in answers.items():
            if level is not None:
                sums.setdefault(code, []).append(level)
    return {code: sum(values) / len(values) for code, values in sums.items()}
