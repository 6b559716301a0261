"""When may a customer be contacted? (pure Python)

The opening hours come from a calendar as intervals of aware datetimes, already in the
customer's time zone; these helpers pick the moment a message may go out and the time zone
a customer lives in.
"""

from datetime import timedelta

ROLLING_DAYS = 7


def first_open_moment(intervals, now):
    """The first moment at or after ``now`` inside one of ``intervals``, else None.

    :param intervals: ``(start, end)`` pairs of aware datetimes, in any order;
    :param now: an aware datetime.
    """
    for start, end in sorted(intervals):
        if end > now:
            return max(start, now)
    return None


def timezone_for_number(number, region=None):
    """The time zone of a phone number (``phonenumbers``), else None.

    A number spread over several zones gives the first one ``phonenumbers`` names (e.g.
    Mexico City for most Mexican numbers); a number it cannot place gives None.
    """
    if not number:
        return None
    try:
        import phonenumbers
        from phonenumbers import timezone
    except ImportError:
        return None
    try:
        # a customer without a country has ``False`` for its code: no default region
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return None
    zones = [zone for zone in timezone.time_zones_for_number(parsed) if zone != "Etc/Unknown"]
    return zones[0] if zones else None


def cap_release_day(contact_days, cap, today, needed=1):
    """The first day on which ``needed`` more contacts fit under ``cap`` in a rolling week.

    :param contact_days: the days of past contacts (one entry per contact, repeats allowed)
        within the rolling week that ends ``today``;
    :param cap: the most contacts allowed in any 7 days (0: no cap);
    :param needed: the contacts about to be made (a message on two channels is two);
    :return: ``today`` when they fit now, else the day enough old ones have left the week.
        A message larger than the cap goes out once the week is empty.
    """
    recent = sorted(day for day in contact_days if day > today - timedelta(days=ROLLING_DAYS))
    leaving = min(len(recent) + needed - cap, len(recent))
    if not cap or leaving <= 0:
        return today
    return recent[leaving - 1] + timedelta(days=ROLLING_DAYS)
