import math

import pytest


def test_assignment_is_stable(pilot):
    first = [pilot.is_challenger("pilot-7", partner, 20) for partner in range(1, 2001)]
    again = [pilot.is_challenger("pilot-7", partner, 20) for partner in range(1, 2001)]
    assert first == again
    # another pilot draws other customers
    other = [pilot.is_challenger("pilot-8", partner, 20) for partner in range(1, 2001)]
    assert first != other


@pytest.mark.parametrize("share", [5, 20, 50])
def test_share_on_10000_customers(pilot, share):
    chosen = sum(pilot.is_challenger("seed", partner, share) for partner in range(1, 10001))
    # binomial: within 4 standard deviations of the expected count
    expected = 10000 * share / 100
    sigma = math.sqrt(10000 * share / 100 * (1 - share / 100))
    assert abs(chosen - expected) < 4 * sigma


def test_bounds(pilot):
    assert not any(pilot.is_challenger("s", partner, 0) for partner in range(500))
    assert all(pilot.is_challenger("s", partner, 100) for partner in range(500))


def test_mean_ci_by_hand(pilot):
    mean, low, high, n = pilot.mean_ci([10, 12, 14])
    # sd = 2, se = 2 / sqrt(3)
    assert (mean, n) == (12.0, 3)
    assert low == pytest.approx(12 - 1.959964 * 2 / math.sqrt(3))
    assert high == pytest.approx(12 + 1.959964 * 2 / math.sqrt(3))
    assert pilot.mean_ci([]) == (0.0, 0.0, 0.0, 0)
    assert pilot.mean_ci([5]) == (5.0, 5.0, 5.0, 1)


def test_difference(pilot):
    difference, low, high, significant = pilot.difference_ci([10, 11, 12, 11], [20, 21, 19, 20])
    assert difference == pytest.approx(-9.0)
    assert high < 0 and significant
    difference, low, high, significant = pilot.difference_ci([10, 30, 20], [12, 28, 21])
    assert low < 0 < high and not significant
    assert pilot.difference_ci([1], [2, 3]) == (0.0, 0.0, 0.0, False)


def test_not_enough_data_below_the_minimums(pilot):
    assert not pilot.enough_data(pilot.MIN_CUSTOMERS - 1, 50, 60)
    assert not pilot.enough_data(50, 50, pilot.MIN_DAYS - 1)
    assert pilot.enough_data(pilot.MIN_CUSTOMERS, pilot.MIN_CUSTOMERS, pilot.MIN_DAYS)


def test_bounded_keeps_a_ratio_within_its_range(pilot):
    assert pilot.bounded(107.38, 0, 100) == 100
    assert pilot.bounded(-48.0, 0, 100) == 0
    assert pilot.bounded(-3.0, 0) == 0
    assert pilot.bounded(12.5) == 12.5
