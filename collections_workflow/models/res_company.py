# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_strategy_id = fields.Many2one(
        "collection.strategy",
        string="Default Collection Strategy",
        domain="[('company_id', '=', id)]",
        help="Strategy followed by customers without one of their own or a matching tag.",
    )
    collection_contact_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Contact Hours",
        default=lambda self: self._default_collection_contact_calendar(),
        help="Days and hours at which customers may be contacted, read in each customer's "
        "time zone; the calendar's public holidays are closed days. Empty: at any time.",
    )
    collection_cap_total = fields.Integer(
        string="Contacts per Week",
        default=4,
        help="Most messages a customer receives in any 7 days, all channels together; "
        "the next ones wait. 0: no limit.",
    )
    collection_cap_email = fields.Integer(
        string="Emails per Week", help="Most emails a customer receives in any 7 days. 0: no limit."
    )
    collection_cap_sms = fields.Integer(
        string="SMS per Week", help="Most SMS a customer receives in any 7 days. 0: no limit."
    )
    collection_cap_whatsapp = fields.Integer(
        string="WhatsApp Messages per Week",
        help="Most WhatsApp messages a customer receives in any 7 days. 0: no limit.",
    )
    collection_use_contact_profiles = fields.Boolean(
        string="Country Contact Profiles",
        default=True,
        help="Each customer also follows the contact profile of its country (its hours, "
        "public holidays, weekly limits, required content and charges); the stricter of "
        "the profile's rules and the company's holds.",
    )
    collection_tracking = fields.Boolean(
        string="Track Opens and Clicks",
        default=True,
        help="The run's emails carry a pixel and their web links (payment, customer page, "
        "WhatsApp) and those of its SMS go through the addon's redirect, which records "
        "when the customer opens and clicks them. Off: messages keep their links as they "
        "are.",
    )
    collection_page_link_days = fields.Integer(
        string="Customer Page Links Valid (Days)",
        default=30,
        help="How long the link to the customer's collections page, in every message, "
        "opens it. The page of a portal user is always at /my/collections.",
    )
    collection_dispute_alert_days = fields.Integer(
        string="Dispute Alert (Days)",
        default=30,
        help="A dispute open for longer alerts the supervisor, once. 0: no alert.",
    )
    collection_payment_check_user_id = fields.Many2one(
        "res.users",
        string="Payment Checks By",
        domain="[('share', '=', False)]",
        help="Who checks the payments customers say they made (replies 'already paid'); "
        "empty: the advisor's supervisor.",
    )
    collection_payment_check_days = fields.Integer(
        string="Pause While Checking a Payment (Days)",
        default=5,
        help="Reminders pause this many days when a customer says it has paid.",
    )

    collection_whatsapp_mode = fields.Selection(
        [
            ("assisted", "Assisted: a task for the advisor with a one-click chat"),
            ("automatic", "Automatic: WhatsApp Business Cloud API"),
        ],
        string="WhatsApp Mode",
        default="assisted",
        required=True,
    )
    collection_whatsapp_phone_number_id = fields.Char(
        string="WhatsApp Phone Number ID",
        help="The sending number's ID in WhatsApp Manager (automatic mode).",
    )
    collection_whatsapp_token = fields.Char(
        string="WhatsApp Access Token",
        groups="base.group_system",
        help="Permanent access token of the WhatsApp Business account (automatic mode).",
    )

    def write(self, vals):
        res = super().write(vals)
        if "collection_strategy_id" in vals:
            # the customers on the default strategy: their open invoices follow the new one
            self.env["account.move"]._collection_refresh_strategies(
                [("company_id", "in", self.ids)]
            )
        return res

    @api.model
    def _default_collection_contact_calendar(self):
        return self.env.ref(
            "collections_workflow.resource_calendar_collection_contact_hours",
            raise_if_not_found=False,
        )

    @api.constrains(
        "collection_cap_total",
        "collection_cap_email",
        "collection_cap_sms",
        "collection_cap_whatsapp",
    )
    def _check_collection_caps(self):
        for company in self:
            for fname in (
                "collection_cap_total",
                "collection_cap_email",
                "collection_cap_sms",
                "collection_cap_whatsapp",
            ):
                if company[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(company)s: %(field)s cannot be negative (0 means no limit).",
                            company=company.name,
                            field=company._fields[fname].get_description(self.env)["string"],
                        )
                    )
