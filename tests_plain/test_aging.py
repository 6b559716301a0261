from datetime import date


def test_bucket_bounds(aging):
    assert aging.bucket_of(-5) == "not_due"
    assert aging.bucket_of(0) == "not_due"
    assert aging.bucket_of(1) == "1_30"
    assert aging.bucket_of(30) == "1_30"
    assert aging.bucket_of(31) == "31_60"
    assert aging.bucket_of(90) == "61_90"
    assert aging.bucket_of(120) == "91_120"
    assert aging.bucket_of(121) == "over_120"


def test_totals(aging):
    today = date(2026, 3, 31)
    items = [
        (date(2026, 4, 10), 100.0),
        (date(2026, 3, 31), 50.0),
        (date(2026, 3, 1), 200.0),
        (date(2025, 11, 1), 300.0),
        (date(2025, 11, 1), 25.0),
    ]
    assert aging.aging(items, today) == {
        "not_due": 150.0,
        "1_30": 200.0,
        "31_60": 0.0,
        "61_90": 0.0,
        "91_120": 0.0,
        "over_120": 325.0,
    }
