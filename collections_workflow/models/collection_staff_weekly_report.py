# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# each supervisor's report is a PDF rendering: a few per committed batch
WEEKLY_REPORT_BATCH = 10


class CollectionStaff(models.Model):
    """The weekly email of the collections report to each supervisor."""

    _inherit = "collection.staff"

    weekly_report_date = fields.Date(
        string="Last Weekly Report",
        readonly=True,
        copy=False,
        help="Day the last weekly collections report was emailed to this supervisor.",
    )

    @api.model
    def _cron_send_weekly_reports(self, batch_size=WEEKLY_REPORT_BATCH):
        """Email each active supervisor with an email its team's report, once a week.

        Batches are committed as they go: a run cut short resumes with the supervisors
        not yet served this week, and none gets the report twice.
        """
        # every company's supervisors, whichever companies the job's user belongs to
        Staff = self.sudo()
        template = Staff.env.ref(
            "collections_workflow.mail_template_collection_supervisor_report",
            raise_if_not_found=False,
        )
        if not template:
            return
        today = fields.Date.context_today(self)
        week_start = today - timedelta(days=today.weekday())
        domain = self._get_weekly_report_domain(week_start)
        Cron = self.env["ir.cron"]
        while supervisors := Staff.search(domain, limit=batch_size):
            Cron._commit_progress(remaining=Staff.search_count(domain))
            supervisors._send_weekly_report(template, week_start)
            supervisors.weekly_report_date = today
            if Cron._commit_progress(len(supervisors)) <= 0:
                break

    @api.model
    def _get_weekly_report_domain(self, week_start):
        """The supervisors still waiting for the report of the week of ``week_start``."""
        return Domain(
            [
                ("role", "=", "supervisor"),
                ("email", "!=", False),
                "|",
                ("weekly_report_date", "=", False),
                ("weekly_report_date", "<", week_start),
            ]
        )

    def _send_weekly_report(self, template, week_start):
        """Queue the report email of ``self``; the template renders it, and its PDF, in
        each supervisor's language."""
        template.with_context(
            collection_week_start=fields.Date.to_string(week_start)
        ).send_mail_batch(self.ids, force_send=False)
