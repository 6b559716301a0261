from datetime import date, datetime, timedelta, timezone

import pytest

UTC = timezone.utc


def _at(hour, day=9):
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_inside_an_interval_is_now(contact_window):
    intervals = [(_at(12), _at(22))]
    assert contact_window.first_open_moment(intervals, _at(15)) == _at(15)


def test_before_and_after_hours(contact_window):
    intervals = [(_at(12, day=10), _at(22, day=10)), (_at(12), _at(22))]
    assert contact_window.first_open_moment(intervals, _at(3)) == _at(12)
    assert contact_window.first_open_moment(intervals, _at(23)) == _at(12, day=10)
    assert contact_window.first_open_moment(intervals, _at(23, day=10)) is None


@pytest.mark.parametrize(
    ("number", "zone"),
    [
        ("+56 2 2345 6701", "America/Santiago"),
        ("+51 1 4123456", "America/Lima"),
        ("+52 55 1234 5678", "America/Mexico_City"),
    ],
)
def test_timezone_for_number(contact_window, number, zone):
    pytest.importorskip("phonenumbers")
    assert contact_window.timezone_for_number(number) == zone


def test_timezone_for_unusable_numbers(contact_window):
    assert contact_window.timezone_for_number(False) is None
    assert contact_window.timezone_for_number("12") is None


def test_timezone_for_number_of_a_customer_without_country(contact_window):
    pytest.importorskip("phonenumbers")
    # Odoo gives ``False`` as the code of a missing country
    assert contact_window.timezone_for_number("+56 2 2345 6701", False) == "America/Santiago"
    assert contact_window.timezone_for_number("2345 6701", False) is None


def test_cap_release_day(contact_window):
    today = date(2026, 3, 10)
    days = [today - timedelta(days=6), today - timedelta(days=2), today - timedelta(days=2)]
    assert contact_window.cap_release_day(days, 0, today) == today
    assert contact_window.cap_release_day(days, 4, today) == today
    # three contacts, cap three: the oldest leaves the week on the 11th
    assert contact_window.cap_release_day(days, 3, today) == date(2026, 3, 11)
    # cap two: two must leave, the second oldest goes on the 15th
    assert contact_window.cap_release_day(days, 2, today) == date(2026, 3, 15)
    old = [today - timedelta(days=7)]
    assert contact_window.cap_release_day(old, 1, today) == today
    # an email and an SMS are two contacts
    assert contact_window.cap_release_day(days, 4, today, needed=2) == date(2026, 3, 11)
    # a message larger than the cap waits for an empty week, never forever
    assert contact_window.cap_release_day([], 1, today, needed=2) == today
    assert contact_window.cap_release_day(days, 1, today, needed=2) == date(2026, 3, 15)
