"""The growth test: is a topic's share of the documents rising or falling over the periods?

Model: for period t (0, 1, ... in order) with ``totals[t]`` documents of which ``counts[t]``
belong to the topic, counts[t] ~ Binomial(totals[t], p_t) with logit(p_t) = a + b * t. The
null hypothesis b = 0 (a constant share) is tested by the likelihood ratio (deviance of the
constant model minus deviance of the sloped one). Counts that scatter more than a binomial
allows (they do in real data: calls for proposals come in waves) would make every topic look
significant, so the statistic is divided by the Pearson dispersion of the sloped fit when it
is above 1 and compared with an F(1, T - 2) distribution (quasi-binomial); with a dispersion
at or below 1, or only two periods, the plain chi-squared(1) is used.

Periods without documents carry no information and are left out of the fit. Fewer than two
periods with documents, or a topic that never (or always) occurs: no test (p = 1, stable).

``rate`` is the fitted change of the topic's odds per period, exp(b) - 1 (+1.0 = doubling
each period, -0.5 = halving); for a small share it is the change of the share itself.

Weighted counts are accepted (quasi-likelihood does not need whole numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped]

GrowthStatus = Literal["emerging", "stable", "declining"]

_MAX_ITER = 60
_ETA_LIMIT = 30.0  # logits beyond this are 0/1 shares for every purpose here


@dataclass(frozen=True)
class Growth:
    """Outcome of the growth test of one topic.

    status: emerging / stable / declining, decided on ``q_value`` at the test's alpha.
    rate: fitted change of the share per period, exp(slope) - 1.
    slope: b, on the logit scale, per period.
    p_value: the test's own p-value; q_value: adjusted for the number of topics tested
    (Benjamini-Hochberg; equal to p_value when a series is tested alone).
    statistic: the (dispersion-scaled) likelihood-ratio statistic; dispersion: the Pearson
    dispersion used (1.0 when none was needed); periods: the periods that entered the fit.
    """

    status: GrowthStatus
    rate: float
    slope: float
    p_value: float
    q_value: float
    statistic: float
    dispersion: float
    periods: int

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "status": self.status,
            "rate": self.rate,
            "slope": self.slope,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "statistic": self.statistic,
            "dispersion": self.dispersion,
            "periods": self.periods,
        }


def _check_alpha(alpha: float) -> None:
    if not (0.0 < alpha < 1.0) or math.isnan(alpha):
        raise ValueError(f"alpha={alpha!r}: expected a level between 0 and 1 (e.g. 0.05)")


def _as_series(
    counts: Sequence[float] | NDArray[np.floating], totals: Sequence[float] | NDArray[np.floating]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    c = np.asarray(counts, dtype=np.float64).ravel()
    n = np.asarray(totals, dtype=np.float64).ravel()
    if c.shape != n.shape:
        raise ValueError(f"counts has {c.size} periods but totals has {n.size}")
    if not (np.all(np.isfinite(c)) and np.all(np.isfinite(n))):
        raise ValueError("counts and totals must be finite numbers")
    if np.any(c < 0) or np.any(n < 0):
        raise ValueError("counts and totals cannot be negative")
    if np.any(c > n * (1 + 1e-9) + 1e-9):
        raise ValueError("a period's count is larger than its total")
    return c, n


def _binomial_deviance(
    c: NDArray[np.float64], n: NDArray[np.float64], p: NDArray[np.float64]
) -> float:
    """2 * sum of c log(c / np) + (n - c) log((n - c) / n(1 - p)), with 0 log 0 = 0."""
    p = np.clip(p, 1e-300, 1 - 1e-16)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(c > 0, c * np.log(c / (n * p)), 0.0)
        b = np.where(n - c > 0, (n - c) * np.log((n - c) / (n * (1 - p))), 0.0)
    return float(2.0 * np.sum(a + b))


def _fit_logistic(
    c: NDArray[np.float64], n: NDArray[np.float64], t: NDArray[np.float64]
) -> tuple[float, float, NDArray[np.float64]]:
    """(intercept, slope, fitted shares) of the binomial GLM by iteratively reweighted LS.

    Separation (a topic absent in the early periods, present later) sends the slope towards
    infinity; the fitted logits are clipped, which keeps the deviance (all the test needs)
    converging to its limit.
    """
    share = c.sum() / n.sum()
    a, b = math.log(share / (1 - share)), 0.0
    x = np.column_stack([np.ones_like(t), t])
    for _ in range(_MAX_ITER):
        eta = np.clip(a + b * t, -_ETA_LIMIT, _ETA_LIMIT)
        p = 1.0 / (1.0 + np.exp(-eta))
        w = n * p * (1 - p)
        w = np.maximum(w, 1e-12)
        z = eta + (c - n * p) / w
        xtw = x.T * w
        try:
            a_new, b_new = np.linalg.solve(xtw @ x, xtw @ z)
        except np.linalg.LinAlgError:
            break
        done = abs(a_new - a) < 1e-9 and abs(b_new - b) < 1e-9
        a, b = float(a_new), float(b_new)
        if done or abs(b) > _ETA_LIMIT:
            break
    eta = np.clip(a + b * t, -_ETA_LIMIT, _ETA_LIMIT)
    return a, b, 1.0 / (1.0 + np.exp(-eta))


def _raw_test(
    c: NDArray[np.float64], n: NDArray[np.float64]
) -> tuple[float, float, float, float, int]:
    """(slope, p_value, statistic, dispersion, periods) of one series, before adjustment."""
    keep = n > 0
    c, n = c[keep], n[keep]
    t = np.flatnonzero(keep).astype(np.float64)
    periods = int(t.size)
    if periods < 2 or c.sum() <= 0 or c.sum() >= n.sum():
        return 0.0, 1.0, 0.0, 1.0, periods
    t = t - t.mean()  # centred: better conditioned, same slope
    _, slope, fitted = _fit_logistic(c, n, t)
    share = c.sum() / n.sum()
    lr = max(
        0.0, _binomial_deviance(c, n, np.full_like(n, share)) - _binomial_deviance(c, n, fitted)
    )
    dof = periods - 2
    dispersion = 1.0
    if dof > 0:
        variance = np.maximum(n * fitted * (1 - fitted), 1e-12)
        pearson = float(np.sum((c - n * fitted) ** 2 / variance)) / dof
        dispersion = max(1.0, pearson)
    if dispersion > 1.0:
        statistic = lr / dispersion
        p_value = float(stats.f.sf(statistic, 1, dof))
    else:
        statistic = lr
        p_value = float(stats.chi2.sf(statistic, 1))
    return slope, min(1.0, max(0.0, p_value)), statistic, dispersion, periods


def _status(slope: float, q_value: float, alpha: float) -> GrowthStatus:
    if q_value < alpha and slope > 0:
        return "emerging"
    if q_value < alpha and slope < 0:
        return "declining"
    return "stable"


def _rate(slope: float) -> float:
    return math.expm1(min(slope, 50.0))


def adjust_bh(p_values: Sequence[float] | NDArray[np.floating]) -> NDArray[np.float64]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p_values, dtype=np.float64).ravel()
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m, dtype=np.float64)
    out[order] = np.minimum(ranked, 1.0)
    return out


def growth_test(
    counts: Sequence[float] | NDArray[np.floating],
    totals: Sequence[float] | NDArray[np.floating],
    alpha: float = 0.05,
) -> Growth:
    """Test one topic's series alone (no multiple-testing adjustment: q_value = p_value).

    ``counts[t]``: the topic's documents in period t; ``totals[t]``: all documents in period t
    (same length, periods in time order, empty periods as 0). ValueError on a length mismatch,
    negative or non-finite numbers, a count above its total, or alpha outside (0, 1).
    """
    _check_alpha(alpha)
    c, n = _as_series(counts, totals)
    slope, p_value, statistic, dispersion, periods = _raw_test(c, n)
    return Growth(
        status=_status(slope, p_value, alpha),
        rate=_rate(slope),
        slope=slope,
        p_value=p_value,
        q_value=p_value,
        statistic=statistic,
        dispersion=dispersion,
        periods=periods,
    )


def growth_tests(
    counts: Sequence[Sequence[float]] | NDArray[np.floating],
    totals: Sequence[float] | NDArray[np.floating],
    alpha: float = 0.05,
) -> list[Growth]:
    """Test many topics' series (rows of ``counts``) over the same totals, with the p-values
    adjusted together by Benjamini-Hochberg, so that among many noise series hardly any is
    called a trend (the false discovery rate is held at alpha)."""
    _check_alpha(alpha)
    matrix = np.asarray(counts, dtype=np.float64)
    if matrix.size == 0:
        return []
    if matrix.ndim != 2:
        raise ValueError("counts must be one row of per-period counts per topic")
    raws = []
    for row in matrix:
        c, n = _as_series(row, totals)
        raws.append(_raw_test(c, n))
    q_values = adjust_bh([r[1] for r in raws])
    return [
        Growth(
            status=_status(slope, float(q), alpha),
            rate=_rate(slope),
            slope=slope,
            p_value=p_value,
            q_value=float(q),
            statistic=statistic,
            dispersion=dispersion,
            periods=periods,
        )
        for (slope, p_value, statistic, dispersion, periods), q in zip(raws, q_values, strict=True)
    ]
