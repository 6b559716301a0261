# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

from ..tools import channels

# DSO and CEI of a snapshot read the 90 days up to its day (the usual quarter window)
WINDOW_DAYS = 90


class CollectionKpiSnapshot(models.Model):
    """The day's KPIs per company and advisor, kept to draw their trend.

    The scheduled job takes one snapshot a day (of the day before, complete); taking it
    again replaces that day's rows. Amounts in the company's currency.
    """

    _name = "collection.kpi.snapshot"
    _description = "Collection KPI Snapshot"
    _order = "date desc, company_id, advisor_id"
    _rec_name = "date"

    date = fields.Date(required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    advisor_id = fields.Many2one("collection.staff", index="btree_not_null", readonly=True)
    supervisor_id = fields.Many2one("collection.staff", index="btree_not_null", readonly=True)
    receivables = fields.Monetary(readonly=True, aggregator="sum")
    overdue = fields.Monetary(readonly=True, aggregator="sum")
    sales = fields.Monetary(string="Credit Sales of the Day", readonly=True)
    collected = fields.Monetary(string="Collected in the Day", readonly=True)
    dso = fields.Float(string="DSO (90 Days)", readonly=True, aggregator="avg", digits=(16, 1))
    best_dso = fields.Float(
        string="Best Possible DSO (90 Days)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    cei = fields.Float(string="CEI (90 Days, %)", readonly=True, aggregator="avg", digits=(16, 1))
    overdue_ratio = fields.Float(
        string="Overdue (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    disputes_open = fields.Integer(string="Open Disputes", readonly=True)
    messages = fields.Integer(string="Messages Sent in the Day", readonly=True)

    _day_uniq = models.UniqueIndex("(date, company_id, COALESCE(advisor_id, 0))")

    @api.model
    def _cron_snapshot(self):
        self._take(fields.Date.context_today(self) - timedelta(days=1))

    @api.model
    def _take(self, day):
        """The snapshot of ``day``, in place of any taken before; returns its rows.

        The whole portfolio's, whoever asks: written as superuser (record rules give each
        user its scope when reading).
        """
        self = self.sudo()
        Kpi = self.env["collection.kpi"]
        window = Kpi._compute(day - timedelta(days=WINDOW_DAYS - 1), day, "company_advisor")
        today = Kpi._compute(day, day, "company_advisor")
        advisors = self.env["collection.staff"].browse(
            [advisor for __, advisor in window if advisor]
        )
        supervisors = {advisor.id: advisor.supervisor_id.id for advisor in advisors}
        vals_list = []
        for (company, advisor), kpis in window.items():
            if not company:
                continue
            daily = today.get((company, advisor), Kpi._empty())
            vals_list.append(
                {
                    "date": day,
                    "company_id": company,
                    "advisor_id": advisor,
                    "supervisor_id": supervisors.get(advisor, False),
                    "receivables": kpis["ar_end"],
                    "overdue": kpis["overdue_end"],
                    "sales": daily["sales"],
                    "collected": daily["collected"],
                    "dso": kpis["dso"],
                    "best_dso": kpis["best_dso"],
                    "cei": kpis["cei"],
                    "overdue_ratio": kpis["overdue_ratio"],
                    "disputes_open": kpis["disputes_open"],
                    "messages": sum(
                        daily[channels.sent_field(message)] for message in channels.MESSAGES
                    ),
                }
            )
        self.search([("date", "=", day)]).unlink()
        return self.create(vals_list)
