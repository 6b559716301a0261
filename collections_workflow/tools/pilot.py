# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Strategy pilots: who tries the challenger, and whether it did better (plain Python).

Assignment is a stable hash of the pilot's seed and the customer's id: the same customer
lands in the same group on every run, and the groups' sizes follow the chosen share.
Comparisons use the customers' own figures: each group's mean with its 95% confidence
interval (normal approximation), and the difference of the means with Welch's standard
error; the difference is significant when its interval leaves out zero.
"""

import hashlib
import math

Z_95 = 1.959964
# below these, a comparison says there is not enough data yet: with a handful of customers
# or days, the intervals are too wide to tell anything
MIN_CUSTOMERS = 10  # in each group
MIN_DAYS = 14


def position(seed, partner_id):
    """A number in [0, 1) fixed for ``seed`` and ``partner_id``."""
    digest = hashlib.sha256(f"{seed}:{partner_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_challenger(seed, partner_id, share):
    """Whether the customer tries the challenger, ``share`` being a percentage."""
    return position(seed, partner_id) < share / 100.0


def mean_ci(values):
    """``(mean, low, high, n)`` of ``values`` at 95%; the interval is empty below 2 values."""
    values = [float(value) for value in values]
    n = len(values)
    if not n:
        return 0.0, 0.0, 0.0, 0
    mean = sum(values) / n
    if n < 2:
        return mean, mean, mean, n
    half = Z_95 * _standard_error(values, mean)
    return mean, mean - half, mean + half, n


def _standard_error(values, mean):
    variance = sum((value - mean) ** 2 for value in values) / (len(values) - 1)
    return math.sqrt(variance / len(values))


def difference_ci(challenger, control):
    """``(difference, low, high, significant)`` of the means, challenger minus control."""
    challenger = [float(value) for value in challenger]
    control = [float(value) for value in control]
    if len(challenger) < 2 or len(control) < 2:
        return 0.0, 0.0, 0.0, False
    mean_a = sum(challenger) / len(challenger)
    mean_b = sum(control) / len(control)
    error = math.sqrt(
        _standard_error(challenger, mean_a) ** 2 + _standard_error(control, mean_b) ** 2
    )
    difference = mean_a - mean_b
    low, high = difference - Z_95 * error, difference + Z_95 * error
    return difference, low, high, low > 0 or high < 0


def enough_data(challenger_count, control_count, days):
    """Whether both groups are large enough, and the pilot ran long enough, to compare."""
    return min(challenger_count, control_count) >= MIN_CUSTOMERS and days >= MIN_DAYS


def bounded(value, low=None, high=None):
    """``value`` within ``[low, high]`` (either bound optional): a ratio's interval stays
    within what the ratio can be."""
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value
