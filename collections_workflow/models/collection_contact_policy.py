# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools import format_date

from ..tools import contact_window, public_holidays
from ..tools.channels import cap_fields, live_messages, sent_field

# the messages that write to the customer, and the company field capping each
CAPPED_CHANNELS = cap_fields()
# the messages that reach the customer at once, and so wait for its contact hours
LIVE_CHANNELS = live_messages()
SEARCH_DAYS = 21
#: the key of the call tasks among a customer's recent contacts
CALL = "call"


class CollectionContactPolicy(models.AbstractModel):
    """The contact rules: when a customer may be contacted, and how often.

    Hours come from the company's *Contact Hours* calendar (its closed days too) and from
    the customer's contact profile (its country's law), read in each customer's time zone;
    the public holidays of the customer's country (and state, where it has its own) are
    closed days as well; the weekly limits, the stricter of the company's and the
    profile's, count the messages and call tasks of the last 7 days, per channel and in
    total, from the collection events; the profile may also space written contacts.
    """

    _name = "collection.contact.policy"
    _description = "Collections Contact Rules"

    @api.model
    def _get_open_moments(self, customers, company, start, profiles=None):
        """``{customer: first moment at or after start it may be contacted}`` (UTC, aware).

        Inside both the company's contact hours and the customer's contact profile's,
        outside the public holidays of the customer's country (unless its profile says
        otherwise). One calendar computation per time zone, country and profile, not per
        customer.
        """
        calendar = company.collection_contact_calendar_id
        if profiles is None:
            profiles = self.env["collection.contact.profile"]._get_for_customers(customers, company)
        if not calendar and not any(profile.calendar_id for profile in profiles.values()):
            return dict.fromkeys(customers, start)
        by_zone = defaultdict(list)
        for customer, tz_name in customers._get_collection_tz().items():
            commercial = customer.commercial_partner_id
            country = commercial.country_id or company.country_id
            state = commercial.state_id if commercial.country_id else company.state_id
            key = (tz_name, country.code, state.code, profiles[customer])
            by_zone[key].append(customer)
        result = {}
        end = start + timedelta(days=SEARCH_DAYS)
        for (tz_name, country_code, state_code, profile), zone_customers in by_zone.items():
            try:
                tz = pytz.timezone(tz_name)
            except pytz.UnknownTimeZoneError:
                tz = pytz.utc
            intervals = None
            for hours in (calendar, profile.calendar_id):
                if hours:
                    found = hours.sudo()._work_intervals_batch(start, end, tz=tz)[False]
                    intervals = found if intervals is None else intervals & found
            closed_on_holidays = profile.public_holidays if profile else True
            moment = (
                contact_window.first_open_moment(
                    [
                        (begin, finish)
                        for begin, finish, _meta in intervals
                        if not closed_on_holidays
                        or not self._is_public_holiday(
                            begin.astimezone(tz).date(), country_code, state_code
                        )
                    ],
                    start,
                )
                if intervals is not None
                else start
            )
            # a calendar without any opening in three weeks does not hold messages forever
            moment = (moment or start).astimezone(pytz.utc)
            result.update(dict.fromkeys(zone_customers, moment))
        return result

    @api.model
    def _is_public_holiday(self, day, country_code, state_code):
        """Whether ``day`` is a public holiday in the country (and state) given by code."""
        return day in public_holidays.closed_days(country_code, state_code, day.year)

    @api.model
    def _get_recent_contacts(self, customers, today):
        """``{customer: {channel: [day, ...]}}``: the messages of the rolling week, and
        its call tasks under ``call``."""
        contacts = defaultdict(lambda: defaultdict(list))
        if not customers:
            return contacts
        since = today - timedelta(days=contact_window.ROLLING_DAYS - 1)
        flags = [sent_field(message) for message in CAPPED_CHANNELS] + ["called"]
        groups = (
            self.env["collection.event"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", customers.ids),
                    ("state", "=", "done"),
                    ("date", ">=", since),
                    ("date", "<=", today),
                ],
                ["partner_id", "date:day", *flags],
                ["__count"],
            )
        )
        for partner, day, *sent, count in groups:
            for channel, was_sent in zip([*CAPPED_CHANNELS, CALL], sent, strict=True):
                if was_sent:
                    contacts[partner][channel] += [day] * count
        return contacts

    @api.model
    def _get_cap_release_day(self, recent, channels, company, today, profile=None):
        """The first day a message on ``channels`` fits under the weekly limits: the
        stricter of the company's and the customer's contact profile's.

        :param recent: ``{channel: [day, ...]}`` of the customer's rolling week.
        """
        profile = profile or self.env["collection.contact.profile"]
        written = [day for channel, days in recent.items() if channel != CALL for day in days]
        release = contact_window.cap_release_day(
            written, profile._get_cap("cap_total", company), today, needed=len(channels)
        )
        for channel in channels:
            cap_field = CAPPED_CHANNELS[channel]
            if cap_field:
                cap = profile._get_cap(cap_field.removeprefix("collection_"), company)
                release = max(release, contact_window.cap_release_day(recent[channel], cap, today))
        return release

    @api.model
    def _get_spacing_release_day(self, recent, today, profile):
        """The first day a written contact keeps the profile's spacing from the last one."""
        written = [day for channel, days in recent.items() if channel != CALL for day in days]
        if not profile or not profile.written_spacing_days or not written:
            return today
        return max(today, max(written) + timedelta(days=profile.written_spacing_days))

    @api.model
    def _get_call_refusals(self, targets, company, today):
        """``{target: why}``: the records (invoices or customers) whose call task would
        exceed the calls and visits a week their customer's contact profile allows."""
        customers = self.env["res.partner"].union(
            *(target.commercial_partner_id for target in targets)
        )
        profiles = self.env["collection.contact.profile"]._get_for_customers(customers, company)
        capped = customers.filtered(lambda customer: profiles[customer].cap_call)
        if not capped:
            return {}
        recent = self._get_recent_contacts(capped, today)
        refused = {}
        for target in targets:
            customer = target.commercial_partner_id
            if customer not in capped:
                continue
            profile = profiles[customer]
            calls = recent[customer][CALL]
            if contact_window.cap_release_day(calls, profile.cap_call, today) > today:
                refused[target] = self.env._(
                    "No call task: %(profile)s allows %(cap)s call or visit a week, and the "
                    "customer's last one was planned on %(date)s.",
                    profile=profile.name,
                    cap=profile.cap_call,
                    date=format_date(self.env, max(calls)),
                )
            else:
                calls.append(today)
        return refused

    @api.model
    def _start_of_day(self, customer, day):
        """Midnight of ``day`` in the customer's time zone, in UTC (aware)."""
        tz_name = customer._get_collection_tz()[customer]
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)

    @api.model
    def _get_deferrals(self, actions, speakers, today, now):
        """``{(record, level): (moment, reason)}``: what must wait, and until when.

        A message waits for the customer's contact hours (read in its time zone) and for
        room under the weekly contact limits; a level that only sets tasks for the team,
        and a level whose message goes out with another level's (``speakers``), follow
        no contact rule of their own.
        """
        policy = self
        deferred = {}
        writing = [
            (record, level)
            for record, level in actions
            if level._get_contact_channels() and speakers.get(record, level) == level
        ]
        by_company = defaultdict(list)
        for record, level in writing:
            by_company[level.company_id].append((record, level))
        for company, company_actions in by_company.items():
            customers = self.env["res.partner"].browse(
                {record.commercial_partner_id.id for record, _level in company_actions}
            )
            profiles = self.env["collection.contact.profile"]._get_for_customers(customers, company)
            opens = policy._get_open_moments(customers, company, now, profiles)
            recent = policy._get_recent_contacts(customers, today)
            for record, level in company_actions:
                customer = record.commercial_partner_id
                channels = level._get_contact_channels()
                live = any(channel in LIVE_CHANNELS for channel in channels)
                if live and opens[customer] > now:
                    deferred[record, level] = (
                        opens[customer],
                        self.env._(
                            "Deferred: outside the customer's contact hours (%(tz)s).",
                            tz=customer._get_collection_tz()[customer],
                        ),
                    )
                    continue
                profile = profiles[customer]
                release = policy._get_cap_release_day(
                    recent[customer], channels, company, today, profile
                )
                reason = self.env._("Deferred: the customer's weekly contact limit is reached.")
                spaced = policy._get_spacing_release_day(recent[customer], today, profile)
                if spaced > release:
                    release = spaced
                    reason = self.env._(
                        "Deferred: %(profile)s asks for %(days)s days between written contacts.",
                        profile=profile.name,
                        days=profile.written_spacing_days,
                    )
                if release > today:
                    start = max(policy._start_of_day(customer, release), now)
                    moment = policy._get_open_moments(customer, company, start, profiles)[customer]
                    deferred[record, level] = (moment, reason)
                    continue
                for channel in channels:
                    recent[customer][channel].append(today)
        # a level whose message was merged into a deferred one waits with it
        for record, level in list(actions):
            speaker = speakers.get(record, level)
            if speaker != level and (record, speaker) in deferred:
                deferred[record, level] = deferred[record, speaker]
        return deferred
