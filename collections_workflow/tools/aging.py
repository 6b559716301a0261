"""Aging buckets of open receivables (pure Python)."""

# (label, first day late, last day late); None: no bound
BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91_120", 91, 120),
    ("over_120", 121, None),
)


def bucket_of(days_late):
    """The bucket key of an item ``days_late`` days past its due date (<= 0: not due)."""
    for key, first, last in BUCKETS:
        if (first is None or days_late >= first) and (last is None or days_late <= last):
            return key
    raise ValueError(days_late)


def aging(items, today):
    """``{key: total}`` over ``items``, pairs of (due date, amount), on ``today``."""
    totals = {key: 0.0 for key, _first, _last in BUCKETS}
    for due, amount in items:
        totals[bucket_of((today - due).days)] += amount
    return totals
