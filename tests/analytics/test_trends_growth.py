"""The growth test of analytics.trends on synthetic series: real growth is found, flat series
and noise are not called trends, bad input is refused."""

import math

import numpy as np
import pytest
from scipy import stats

from analytics.trends import adjust_bh, growth_test, growth_tests


def test_a_topic_that_doubles_every_period_is_emerging():
    counts = [1, 2, 4, 8, 16, 32]
    totals = [1000] * 6
    growth = growth_test(counts, totals, alpha=0.05)
    assert growth.status == "emerging"
    assert growth.p_value < 1e-6
    # The share doubles: odds grow a little faster than 2x while the share is small.
    assert growth.rate == pytest.approx(1.0, abs=0.1)


def test_a_topic_that_halves_every_period_is_declining():
    growth = growth_test([64, 32, 16, 8, 4, 2], [1000] * 6)
    assert growth.status == "declining"
    assert growth.rate == pytest.approx(-0.5, abs=0.05)


def test_a_flat_topic_is_stable():
    growth = growth_test([50, 50, 50, 50, 50, 50], [1000] * 6)
    assert growth.status == "stable"
    assert growth.p_value > 0.9
    assert growth.rate == pytest.approx(0.0, abs=1e-6)


def test_growth_is_read_as_a_share_of_the_period_total_not_as_a_raw_count():
    # The counts double because every period has twice the documents: the share is constant.
    counts = [10, 20, 40, 80, 160]
    totals = [100, 200, 400, 800, 1600]
    assert growth_test(counts, totals).status == "stable"
    # Same counts with flat totals: a real rise.
    assert growth_test(counts, [2000] * 5).status == "emerging"


def test_a_single_bump_in_an_overdispersed_series_is_not_a_trend():
    # A call for proposals in one period: a big jump then back. A plain binomial test reads it
    # as a significant slope (p < 0.001); the quasi-binomial dispersion absorbs it.
    growth = growth_test([20, 22, 19, 21, 70, 22], [1000] * 6)
    assert stats.chi2.sf(growth.statistic * growth.dispersion, 1) < 0.001
    assert growth.dispersion > 1.0
    assert growth.status == "stable"


def test_periods_without_documents_are_left_out_of_the_fit():
    with_gap = growth_test([5, 0, 10, 20, 40], [500, 0, 500, 500, 500])
    assert with_gap.periods == 4
    assert with_gap.status == "emerging"
    # A missing period changes nothing about the other four.
    assert math.isfinite(with_gap.slope)


def test_a_topic_absent_in_the_early_periods_grows_without_breaking_the_fit():
    growth = growth_test([0, 0, 0, 12, 25, 30], [300] * 6)
    assert growth.status == "emerging"
    assert math.isfinite(growth.statistic)
    assert growth.p_value < 0.01


@pytest.mark.parametrize(
    ("counts", "totals"),
    [
        ([], []),
        ([3], [10]),
        ([0, 0, 0], [10, 10, 10]),
        ([0, 0, 0], [0, 0, 0]),
        ([10, 10, 10], [10, 10, 10]),
    ],
)
def test_series_that_cannot_be_tested_are_stable_with_p_one(counts, totals):
    growth = growth_test(counts, totals)
    assert growth.status == "stable"
    assert growth.p_value == 1.0


def test_weighted_counts_are_accepted():
    growth = growth_test([0.5, 1.5, 3.0, 6.5, 12.5], [100.0] * 5)
    assert growth.status == "emerging"


def test_noise_alone_is_rarely_called_a_trend():
    """Series drawn with a constant share: each test's false-positive rate stays near alpha, and
    after the Benjamini-Hochberg adjustment a batch of pure noise yields (almost) no trend."""
    rng = np.random.default_rng(7)
    periods, series, alpha = 8, 400, 0.05
    totals = rng.integers(150, 400, size=periods)
    shares = rng.uniform(0.02, 0.2, size=series)
    counts = rng.binomial(totals[None, :], shares[:, None])
    single = [growth_test(row, totals, alpha) for row in counts]
    false_rate = sum(g.status != "stable" for g in single) / series
    assert false_rate <= 0.08  # at alpha 0.05, with room for sampling error
    batch = growth_tests(counts, totals, alpha)
    assert sum(g.status != "stable" for g in batch) <= 1


def test_real_trends_survive_among_noise_series():
    rng = np.random.default_rng(11)
    totals = np.full(6, 500)
    noise = rng.binomial(totals[None, :], 0.05, size=(30, 6))
    rising = np.array([[5, 10, 20, 40, 80, 160]])
    falling = np.array([[120, 80, 50, 30, 20, 10]])
    results = growth_tests(np.vstack([rising, falling, noise]), totals, alpha=0.05)
    assert results[0].status == "emerging"
    assert results[1].status == "declining"
    assert all(r.q_value >= r.p_value for r in results)


def test_benjamini_hochberg_adjustment():
    q = adjust_bh([0.01, 0.04, 0.03, 0.5])
    # Sorted p: 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.0533, 0.0533, 0.5 (monotone from the top).
    assert q.tolist() == pytest.approx([0.04, 0.0533333, 0.0533333, 0.5], rel=1e-4)
    assert adjust_bh([]).size == 0


@pytest.mark.parametrize(
    ("counts", "totals", "message"),
    [
        ([1, 2], [10, 10, 10], "3"),
        ([-1, 2], [10, 10], "negative"),
        ([11, 2], [10, 10], "larger than its total"),
        ([float("nan"), 2], [10, 10], "finite"),
    ],
)
def test_bad_series_are_refused_with_a_reason(counts, totals, message):
    with pytest.raises(ValueError, match=message):
        growth_test(counts, totals)


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, float("nan")])
def test_an_alpha_outside_zero_one_is_refused(alpha):
    with pytest.raises(ValueError, match="alpha"):
        growth_test([1, 2, 3], [10, 10, 10], alpha)
