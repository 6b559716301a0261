# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .collection_run import GO_LIVE_CHOICES

MANAGER = "collections_workflow.collections_workflow_group_manager"


class CollectionSettingsMixin(models.AbstractModel):
    """The collections settings of a company: the automatic run and its go-live, the
    contact rules, disputes, payment checks and WhatsApp.

    Shown in Invoicing's settings to administrators and in Collections' own settings to
    collections managers.
    """

    _name = "collection.settings.mixin"
    _description = "Collections Settings"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    collection_auto_run = fields.Boolean(
        string="Automatic Collections",
        groups=MANAGER,
        help="The daily run acts by itself, every hour, in each customer's contact hours. "
        "Off: nothing is sent unless a manager clicks Run Now in Today's Collections.",
    )
    collection_go_live = fields.Selection(
        GO_LIVE_CHOICES,
        string="Go-Live",
        default="first_level",
        groups=MANAGER,
        help="How the automatic run starts, the first time, with the invoices already late. "
        "Start at the first reminder: an invoice never reminded gets the first message "
        "after its due date, and escalates from there. Catch up today: every invoice gets "
        "its highest level due today, formal letters and hand-overs included. Today's "
        "Collections shows what each choice does.",
    )
    collection_first_go_live = fields.Boolean(
        string="Not Live Yet", compute="_compute_collection_run", groups=MANAGER
    )
    collection_other_engines = fields.Text(
        string="Other Dunning Engines", compute="_compute_collection_run", groups=MANAGER
    )
    collection_last_run_summary = fields.Char(
        string="Last Run", compute="_compute_collection_run", groups=MANAGER
    )
    collection_last_run_error = fields.Text(
        string="Last Error", compute="_compute_collection_run", groups=MANAGER
    )
    collection_next_run = fields.Datetime(
        string="Next Run", compute="_compute_collection_run", groups=MANAGER
    )
    collection_contact_calendar_id = fields.Many2one(
        related="company_id.collection_contact_calendar_id", readonly=False
    )
    collection_cap_total = fields.Integer(related="company_id.collection_cap_total", readonly=False)
    collection_cap_email = fields.Integer(related="company_id.collection_cap_email", readonly=False)
    collection_cap_sms = fields.Integer(related="company_id.collection_cap_sms", readonly=False)
    collection_cap_whatsapp = fields.Integer(
        related="company_id.collection_cap_whatsapp", readonly=False
    )
    collection_use_contact_profiles = fields.Boolean(
        related="company_id.collection_use_contact_profiles", readonly=False
    )
    collection_page_link_days = fields.Integer(
        related="company_id.collection_page_link_days", readonly=False
    )
    collection_tracking = fields.Boolean(related="company_id.collection_tracking", readonly=False)
    collection_contact_profile_summary = fields.Text(
        string="Profile per Country", compute="_compute_collection_contact_profile_summary"
    )
    collection_whatsapp_mode = fields.Selection(
        related="company_id.collection_whatsapp_mode", readonly=False
    )
    collection_whatsapp_phone_number_id = fields.Char(
        related="company_id.collection_whatsapp_phone_number_id", readonly=False
    )
    collection_whatsapp_token = fields.Char(
        related="company_id.collection_whatsapp_token", readonly=False
    )
    collection_dispute_alert_days = fields.Integer(
        related="company_id.collection_dispute_alert_days", readonly=False
    )
    collection_payment_check_user_id = fields.Many2one(
        related="company_id.collection_payment_check_user_id", readonly=False
    )
    collection_payment_check_days = fields.Integer(
        related="company_id.collection_payment_check_days", readonly=False
    )

    @api.depends("collection_auto_run")
    def _compute_collection_run(self):
        Run = self.env["collection.run"]
        log = self.env["collection.run.log"].sudo()._get_last()
        errors = self.env["collection.run.log"].sudo().search([("state", "=", "error")], limit=1)
        cron = Run._get_cron()
        first_go_live = Run._is_first_go_live()
        other_engines = Run._describe_other_engines()
        for settings in self:
            settings.collection_last_run_summary = (
                log._get_summary() if log else self.env._("No run yet.")
            )
            settings.collection_last_run_error = errors.error or False
            settings.collection_next_run = cron.nextcall if cron.active else False
            settings.collection_first_go_live = first_go_live
            settings.collection_other_engines = other_engines

    @api.depends("company_id", "collection_use_contact_profiles")
    def _compute_collection_contact_profile_summary(self):
        for settings in self:
            settings.collection_contact_profile_summary = (
                self.env["collection.contact.profile"]._describe_for_company(settings.company_id)
                if settings.collection_use_contact_profiles
                else False
            )

    def _get_collection_values(self):
        if not self.env.user.has_group(MANAGER):
            return {}
        return {"collection_auto_run": self.env["collection.run"]._is_automatic()}

    def _apply_collection_run(self):
        """Switch the automatic run as the settings say (going live the chosen way)."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            return
        Run = self.env["collection.run"]
        if self.collection_auto_run:
            Run._go_live(self.collection_go_live)
        else:
            Run._set_automatic(False)
