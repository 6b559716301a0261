# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import legal_fees

# the limits a profile and the company both set: the stricter of the two holds
CAP_FIELDS = ("cap_total", "cap_email", "cap_sms", "cap_whatsapp", "cap_call")


class CollectionContactProfile(models.Model):
    """What a country's collection law allows: when, how often, what a message must say,
    and which charges.

    Each customer follows the profile of its country (its company's country when it has
    none); a company may keep its own profile for a country, and a customer may have its
    own. Shipped: Chile, Peru, Mexico, Colombia and a strict default for the other
    countries. The company's own contact rules hold as well: the stricter rule wins.
    """

    _name = "collection.contact.profile"
    _description = "Collections Contact Profile"
    _order = "country_id, company_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    country_id = fields.Many2one(
        "res.country",
        help="Customers of this country follow the profile. Empty: the profile of the "
        "countries without one.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Empty: shipped for every company. Set: this company's own profile for the "
        "country, followed instead of the shipped one.",
    )
    legal_source = fields.Char(
        translate=True, help="The law or rule the profile follows, to check it against."
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Allowed Hours",
        help="Days and hours at which the law allows contacting a customer, read in the "
        "customer's time zone. The company's own contact hours hold as well. Empty: any "
        "time the company's hours allow.",
    )
    public_holidays = fields.Boolean(
        string="Closed on Public Holidays",
        default=True,
        help="No contact on the public holidays of the customer's country (and state where "
        "it has its own), from the package holidays.",
    )
    cap_total = fields.Integer(
        string="Written Contacts per Week",
        help="Most written contacts (email, SMS, WhatsApp, letter) in any 7 days. 0: no limit.",
    )
    cap_email = fields.Integer(string="Emails per Week", help="0: no limit.")
    cap_sms = fields.Integer(string="SMS per Week", help="0: no limit.")
    cap_whatsapp = fields.Integer(string="WhatsApp Messages per Week", help="0: no limit.")
    cap_call = fields.Integer(
        string="Calls and Visits per Week",
        help="Most call tasks a customer gets in any 7 days; a further call task is not "
        "created and its event says why. 0: calls are not limited.",
    )
    written_spacing_days = fields.Integer(
        string="Days Between Written Contacts",
        help="A written contact comes at least this many days after the previous one. 0: no "
        "spacing.",
    )
    require_amount_date = fields.Boolean(
        string="Messages State the Amount and Its Date",
        help="Each template of a level states the amount owed and the date it was computed, "
        "e.g. {{ object.amount_residual }} and {{ object.collection_as_of_date }}.",
    )
    require_settlement = fields.Boolean(
        string="Messages Say How to Settle",
        help="Each template of a level says how to pay, e.g. the online payment link "
        "{{ object.collection_payment_url }}.",
    )
    fee_grace_days = fields.Integer(
        string="Collection Fees After (Days Late)",
        help="No collection fee on an invoice less than this many days late.",
    )
    fee_currency_id = fields.Many2one(
        "res.currency",
        string="Fee Brackets In",
        help="The unit the brackets are written in (Chile: the UF, currency CLF), converted "
        "at the rate the company enters for the day in Accounting > Configuration > "
        "Currencies.",
    )
    fee_bracket_ids = fields.One2many(
        "collection.contact.profile.fee.bracket",
        "profile_id",
        string="Collection Fee Brackets",
        help="The most a collection fee may be, as a share of each part of the debt. A "
        "level with the country preset charges exactly this; a fixed fee or interest above "
        "it is refused.",
    )
    interest_rate_yearly = fields.Float(
        string="Preset Yearly Interest (%)",
        digits=(16, 2),
        help="The late-payment interest a level with the country preset charges, per year, "
        "pro-rated by the days late: amount due x rate / 100 x days late / 365.",
    )

    @api.constrains("country_id", "company_id", "active")
    def _check_one_per_country(self):
        for profile in self.filtered("active"):
            twins = self.search_count(
                [
                    ("id", "!=", profile.id),
                    ("country_id", "=", profile.country_id.id),
                    ("company_id", "=", profile.company_id.id),
                ]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "Contact profile %(profile)s: %(country)s already has a profile for "
                        "%(company)s.",
                        profile=profile.name,
                        country=profile.country_id.name or self.env._("the other countries"),
                        company=profile.company_id.name or self.env._("every company"),
                    )
                )

    @api.constrains(*CAP_FIELDS, "written_spacing_days", "fee_grace_days", "interest_rate_yearly")
    def _check_not_negative(self):
        for profile in self:
            for fname in (*CAP_FIELDS, "written_spacing_days", "fee_grace_days"):
                if profile[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "Contact profile %(profile)s: %(field)s cannot be negative.",
                            profile=profile.name,
                            field=profile._fields[fname].get_description(self.env)["string"],
                        )
                    )

    @api.constrains("fee_bracket_ids", "fee_currency_id")
    def _check_fee_currency(self):
        for profile in self:
            if profile.fee_bracket_ids and not profile.fee_currency_id:
                raise ValidationError(
                    self.env._(
                        "Contact profile %(profile)s has collection fee brackets: choose the "
                        "currency they are written in.",
                        profile=profile.name,
                    )
                )

    @api.model
    def _get_for_customers(self, customers, company):
        """``{customer: its profile}`` (an empty recordset where none applies).

        The customer's own profile first, else its country's (the company's own for that
        country before the shipped one; the company's country for a customer without one),
        else the profile of the other countries.
        """
        empty = self.browse()
        if not company.collection_use_contact_profiles:
            return dict.fromkeys(customers, empty)
        profiles = self.sudo().search([("company_id", "in", [company.id, False])])
        by_key = {(profile.country_id, profile.company_id): profile for profile in profiles}
        no_country = self.env["res.country"]
        no_company = self.env["res.company"]
        result = {}
        for customer in customers:
            commercial = customer.commercial_partner_id.with_company(company)
            own = commercial.collection_contact_profile_id
            country = commercial.country_id or company.country_id
            result[customer] = (
                own.sudo()
                or by_key.get((country, company))
                or by_key.get((country, no_company))
                or by_key.get((no_country, company))
                or by_key.get((no_country, no_company))
                or empty
            )
        return result

    @api.model
    def _describe_for_company(self, company):
        """One line per country with a profile: the profile its customers follow in
        ``company`` (the company's own before the shipped one), the other countries last."""
        chosen = {}
        for profile in self.search([("company_id", "in", [company.id, False])]):
            if profile.company_id or profile.country_id not in chosen:
                chosen[profile.country_id] = profile
        others = chosen.pop(self.env["res.country"], None)
        lines = [
            f"{country.name}: {profile.name}"
            for country, profile in sorted(chosen.items(), key=lambda item: item[0].name)
        ]
        if others:
            lines.append(self.env._("Other countries: %(profile)s", profile=others.name))
        return "\n".join(lines)

    def _get_cap(self, fname, company):
        """The limit ``fname`` (a profile field, or its company twin ``collection_<fname>``)
        for this profile and ``company``: the stricter of those set, 0 when none is."""
        company_field = f"collection_{fname}"
        values = [
            value
            for value in (
                self[fname] if self else 0,
                company[company_field] if company_field in company._fields else 0,
            )
            if value
        ]
        return min(values, default=0)

    def _get_max_fee(self, invoice, today):
        """``(amount, reason)``: the most a collection fee on ``invoice`` may be ``today``
        under this profile, in the invoice's currency, or ``(None, False)`` when the
        profile sets no cap; ``reason`` says why when it is nothing."""
        self.ensure_one()
        days_late = (today - invoice.invoice_date_due).days
        if days_late < self.fee_grace_days:
            return 0.0, self.env._(
                "%(profile)s allows collection fees only after %(days)s days late; %(invoice)s "
                "is %(late)s days late.",
                profile=self.name,
                days=self.fee_grace_days,
                invoice=invoice.name,
                late=days_late,
            )
        if not self.fee_bracket_ids:
            return None, False
        unit = self.fee_currency_id
        if (
            not self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [
                    ("currency_id", "=", unit.id),
                    ("name", "<=", today),
                    ("company_id", "in", [invoice.company_id.id, False]),
                ],
                limit=1,
            )
        ):
            return 0.0, self.env._(
                "%(profile)s: enter the value of %(unit)s for %(date)s in Accounting > "
                "Configuration > Currencies to compute the collection fee of %(invoice)s.",
                profile=self.name,
                unit=unit.display_name,
                date=fields.Date.to_string(today),
                invoice=invoice.name,
            )
        debt = invoice.currency_id._convert(
            invoice.amount_residual, unit, invoice.company_id, today, round=False
        )
        brackets = sorted(
            ((bracket.amount_to or None, bracket.rate) for bracket in self.fee_bracket_ids),
            key=lambda bracket: (bracket[0] is None, bracket[0] or 0),
        )
        fee = legal_fees.bracket_fee(debt, brackets)
        return unit._convert(fee, invoice.currency_id, invoice.company_id, today), False


class CollectionContactProfileFeeBracket(models.Model):
    _name = "collection.contact.profile.fee.bracket"
    _description = "Collections Fee Bracket"
    _order = "profile_id, sequence, id"

    profile_id = fields.Many2one("collection.contact.profile", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    amount_to = fields.Float(
        string="Debt Up To",
        digits=(16, 2),
        help="The part of the debt up to this amount, in the profile's unit. 0: the rest.",
    )
    rate = fields.Float(
        string="Fee (%)", digits=(16, 2), required=True, help="Share of that part of the debt."
    )
