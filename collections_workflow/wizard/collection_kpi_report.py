# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.collection_kpi import CHANNELS, RATIOS

GROUP_MODELS = {
    "company": "res.company",
    "supervisor": "collection.staff",
    "advisor": "collection.staff",
    "strategy": "collection.strategy",
}


class CollectionKpiReport(models.TransientModel):
    """The collection KPIs of a period, per company, supervisor, advisor or strategy,
    within what the user may see."""

    _name = "collection.kpi.report"
    _description = "Collection KPIs"

    def _compute_display_name(self):
        # the breadcrumbs and the dialog's title read it
        for record in self:
            record.display_name = self.env._("Collection KPIs")

    # by default the period of the overview and the supervisor report: the same figures
    date_from = fields.Date(
        required=True,
        default=lambda self: self.env["collection.kpi"]._get_period(
            fields.Date.context_today(self)
        )[0],
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    group_by = fields.Selection(
        [
            ("company", "Company"),
            ("supervisor", "Supervisor"),
            ("advisor", "Advisor"),
            ("strategy", "Strategy"),
        ],
        required=True,
        default="advisor",
    )
    line_ids = fields.One2many("collection.kpi.report.line", "report_id", readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for report in self:
            if report.date_from > report.date_to:
                raise ValidationError(self.env._("The KPI period must start before it ends."))

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        kpis = self.env["collection.kpi"]._compute(self.date_from, self.date_to, self.group_by)
        Group = self.env[GROUP_MODELS[self.group_by]]
        Line = self.env["collection.kpi.report.line"]
        Kpi = self.env["collection.kpi"]
        lines = []
        for group_id, values in kpis.items():
            group = Group.browse(group_id) if group_id else Group
            lines.append(
                {
                    "report_id": self.id,
                    "name": group.sudo().display_name if group else self.env._("(none)"),
                    **{
                        field: (Kpi._format_ratio(value) if field in RATIOS else value)
                        for field, value in ((f, values[f]) for f in Line._kpi_fields())
                    },
                }
            )
        Line.create(lines)
        # the form shows the lines where it is: no second report in the breadcrumbs
        return True


class CollectionKpiReportLine(models.TransientModel):
    _name = "collection.kpi.report.line"
    _description = "Collection KPIs of a Group"
    _order = "name"

    report_id = fields.Many2one("collection.kpi.report", required=True, ondelete="cascade")
    name = fields.Char(string="Group")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    sales = fields.Monetary(string="Credit Sales")
    ar_end = fields.Monetary(string="Receivables")
    overdue_end = fields.Monetary(string="Overdue")
    collected = fields.Monetary()
    # the ratios as they read ("n/a" without a denominator), as the overview shows them
    dso = fields.Char(string="DSO")
    best_dso = fields.Char(string="Best Possible DSO")
    add = fields.Char(string="Average Days Delinquent")
    cei = fields.Char(string="CEI (%)")
    overdue_ratio = fields.Char(string="Overdue (%)")
    days_to_pay = fields.Char(string="Average Days to Pay")
    days_late = fields.Char(string="Average Days Late")
    promise_kept_ratio = fields.Char(string="Promises Kept (%)")
    plan_kept_ratio = fields.Char(string="Payment Plans Kept (%)")
    disputes_open = fields.Integer(string="Open Disputes")
    dispute_age = fields.Float(string="Open Disputes' Average Age", digits=(16, 1))
    sent_email = fields.Integer(string="Emails")
    sent_sms = fields.Integer(string="SMS")
    sent_whatsapp = fields.Integer(string="WhatsApp Messages")
    sent_letter = fields.Integer(string="Letters")
    paid7_ratio_email = fields.Char(string="Paid within 7 Days of an Email (%)")
    paid7_ratio_sms = fields.Char(string="Paid within 7 Days of an SMS (%)")
    paid7_ratio_whatsapp = fields.Char(string="Paid within 7 Days of a WhatsApp Message (%)")
    paid7_ratio_letter = fields.Char(string="Paid within 7 Days of a Letter (%)")
    open_ratio_email = fields.Char(string="Emails Opened (%)")
    click_ratio_email = fields.Char(string="Emails Clicked (%)")
    click_ratio_sms = fields.Char(string="SMS Clicked (%)")

    @api.model
    def _kpi_fields(self):
        return [
            "sales",
            "ar_end",
            "overdue_end",
            "collected",
            "dso",
            "best_dso",
            "add",
            "cei",
            "overdue_ratio",
            "days_to_pay",
            "days_late",
            "promise_kept_ratio",
            "plan_kept_ratio",
            "disputes_open",
            "dispute_age",
            *(f"sent_{channel}" for channel in CHANNELS),
            *(f"paid7_ratio_{channel}" for channel in CHANNELS),
            "open_ratio_email",
            "click_ratio_email",
            "click_ratio_sms",
        ]
