# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each country's public holidays, from the PyPI package ``holidays`` (kept current by its
maintainers), with the subdivision's own where the package has them."""

import functools

import holidays


@functools.lru_cache(maxsize=512)
def closed_days(country_code, state_code, year):
    """The public holidays of ``year`` in a country (ISO 3166-1 code) and, where the package
    knows its own holidays, a state (Odoo's code, e.g. ``CL-TA`` or ``TA``): a frozenset of
    dates, empty for a country the package does not know."""
    # {country code: its subdivisions with holidays of their own}
    known = holidays.list_supported_countries().get((country_code or "").upper())
    if known is None:
        return frozenset()
    subdivision = (state_code or "").upper().removeprefix(f"{country_code.upper()}-")
    days = holidays.country_holidays(
        country_code, subdiv=subdivision if subdivision in known else None, years=year
    )
    return frozenset(days)
