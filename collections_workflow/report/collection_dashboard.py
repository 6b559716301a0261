# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from .collection_aging_report import BUCKET_LABELS

ADVISOR = "collections_workflow.collections_workflow_group_advisor"
SUPERVISOR = "collections_workflow.collections_workflow_group_supervisor"
MANAGER = "collections_workflow.collections_workflow_group_manager"
TREND_WEEKS = 12


class CollectionDashboard(models.TransientModel):
    """The Collections overview: headline KPIs, the aging, the trend and today's work,
    on the user's scope (an advisor's portfolio, a supervisor's team, a manager's
    company), which the record rules of every figure's source give."""

    _name = "collection.dashboard"
    _description = "Collections Overview"

    def _compute_display_name(self):
        # the breadcrumbs and the dialog's title read it
        for record in self:
            record.display_name = self.env._("Collections Overview")

    scope = fields.Char(compute="_compute_dashboard")
    currency_id = fields.Many2one("res.currency", compute="_compute_dashboard")
    receivables = fields.Monetary(compute="_compute_dashboard")
    overdue = fields.Monetary(compute="_compute_dashboard")
    collected = fields.Monetary(string="Collected (30 Days)", compute="_compute_dashboard")
    # the ratios as they read: "n/a" when the period gives them no denominator
    dso = fields.Char(string="DSO (90 Days)", compute="_compute_dashboard")
    cei = fields.Char(string="CEI (90 Days, %)", compute="_compute_dashboard")
    overdue_ratio = fields.Char(string="Overdue (%)", compute="_compute_dashboard")
    promise_kept_ratio = fields.Char(
        string="Promises Kept (90 Days, %)", compute="_compute_dashboard"
    )
    disputes_open = fields.Integer(string="Open Disputes", compute="_compute_dashboard")
    worklist_due = fields.Integer(string="Customers to Act on Today", compute="_compute_dashboard")
    tasks_due = fields.Integer(string="My Tasks Due", compute="_compute_dashboard")
    replies_new = fields.Integer(string="Replies to Handle", compute="_compute_dashboard")
    promises_week = fields.Integer(string="Promises Due This Week", compute="_compute_dashboard")
    aging_html = fields.Html(string="Aging", compute="_compute_dashboard", sanitize=False)
    trend_html = fields.Html(string="Trend", compute="_compute_dashboard", sanitize=False)

    @api.model
    def action_open(self):
        """Open the overview (menu Collections > Overview)."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collections Overview"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.depends_context("uid", "company")
    def _compute_dashboard(self):
        today = fields.Date.context_today(self)
        Kpi = self.env["collection.kpi"]
        group, key = self._get_kpi_scope()
        date_from, date_to = Kpi._get_period(today)
        window = Kpi._compute_one(date_from, date_to, group, key)
        month = Kpi._compute_one(today - timedelta(days=29), today, group, key)
        aging = self._get_aging()
        trend = self._get_trend(today)
        counts = self._get_counts(today)
        for dashboard in self:
            dashboard.scope = self._get_scope_label()
            dashboard.currency_id = self.env.company.currency_id
            dashboard.receivables = window["ar_end"]
            dashboard.overdue = window["overdue_end"]
            dashboard.collected = month["collected"]
            for ratio in ("dso", "cei", "overdue_ratio", "promise_kept_ratio"):
                dashboard[ratio] = Kpi._format_ratio(window[ratio])
            dashboard.disputes_open = int(window["disputes_open"])
            dashboard.update(counts)
            dashboard.aging_html = self._render_aging(aging)
            dashboard.trend_html = self._render_trend(trend)

    @api.model
    def _get_scope_label(self):
        user = self.env.user
        if user.has_group(MANAGER):
            return self.env._("The company: every customer")
        if user.has_group(SUPERVISOR):
            return self.env._("Your team's customers")
        return self.env._("Your customers")

    @api.model
    def _get_kpi_scope(self):
        """(``collection.kpi`` group, key) of the user's scope in the current company:
        the one the KPI report and the supervisor report give the same figures for. A
        manager's is the company; a supervisor's its team, an advisor's its customers
        (those of its staff record); a user without one, what its record rules show."""
        company = self.env.company
        if not self.env.user.has_group(MANAGER):
            staff = self.env["collection.staff"].search(
                [("user_id", "=", self.env.uid), ("company_id", "=", company.id)],
                order="role desc, id",
                limit=1,
            )
            if staff:
                return ("supervisor" if staff.role == "supervisor" else "advisor", staff.id)
        return "company", company.id

    @api.model
    def _get_aging(self):
        amounts = dict.fromkeys((key for key, __ in BUCKET_LABELS), 0.0)
        for bucket, amount in self.env["collection.aging.report"]._read_group(
            [("company_id", "=", self.env.company.id)], ["bucket"], ["amount_residual:sum"]
        ):
            amounts[bucket] = amount
        return amounts

    @api.model
    def _get_trend(self, today):
        """Per week of the last weeks: the receivables and the DSO of the snapshots."""
        rows = self.env["collection.kpi.snapshot"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("date", ">", today - timedelta(weeks=TREND_WEEKS)),
            ],
            ["date:week"],
            ["receivables:sum", "dso:avg", "date:count_distinct"],
        )
        # a week's receivables: its days' sum over its days
        return [(week, receivables / (days or 1), dso) for week, receivables, dso, days in rows]

    @api.model
    def _get_counts(self, today):
        week_end = today + timedelta(days=7)
        return {
            "worklist_due": self.env["collection.worklist"].search_count(
                [("next_date", "<=", today)]
            ),
            "tasks_due": self.env["mail.activity"].search_count(
                [("user_id", "=", self.env.uid), ("date_deadline", "<=", today)]
            ),
            "replies_new": self.env["collection.reply"].search_count([("state", "=", "new")]),
            "promises_week": self.env["collection.promise"].search_count(
                [("state", "=", "open"), ("promise_date", "<=", week_end)]
            ),
        }

    @api.model
    def _render_aging(self, amounts):
        """Horizontal bars, one per bucket, as wide as its share of the total."""
        currency = self.env.company.currency_id
        largest = max([abs(amount) for amount in amounts.values()] + [1.0])
        labels = dict(
            self.env["collection.aging.report"]._fields["bucket"]._description_selection(self.env)
        )
        rows = Markup("").join(
            Markup(
                '<tr><td class="pe-2 text-nowrap">%s</td>'
                '<td class="w-100">'
                '<div class="bg-%s" style="height: 1rem; width: %s%%;"></div></td>'
                '<td class="ps-2 text-end text-nowrap">%s</td></tr>'
            )
            % (
                labels[key],
                "success"
                if key == "not_due"
                else "danger"
                if key in ("91_120", "over_120")
                else "warning",
                round(abs(amount) / largest * 100, 1),
                currency.format(amount),
            )
            for key, amount in amounts.items()
        )
        return Markup('<table class="table table-sm table-borderless mb-0">%s</table>') % rows

    @api.model
    def _render_trend(self, weeks):
        """A line of the weekly receivables, with each week's DSO below it."""
        if not weeks:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "No snapshot yet: the trend appears after the first nights of the scheduled "
                "job Collections: KPI snapshot."
            )
        width, height = 600, 120
        largest = max([receivables for __, receivables, __ in weeks] + [1.0])
        step = width / max(len(weeks) - 1, 1)
        points = " ".join(
            f"{index * step:.1f},{height - receivables / largest * (height - 10):.1f}"
            for index, (__, receivables, __) in enumerate(weeks)
        )
        labels = Markup("").join(
            Markup("<td class='text-center small'>%s<br/>%s</td>")
            % (week, self.env._("DSO %(dso)s", dso=self.env["collection.kpi"]._format_ratio(dso)))
            for week, __, dso in weeks
        )
        return Markup(
            '<svg viewBox="0 0 %s %s" style="width: 100%%; height: 8rem;" '
            'preserveAspectRatio="none"><polyline fill="none" stroke="#017e84" '
            'stroke-width="3" points="%s"/></svg>'
            '<table class="table table-sm table-borderless mb-0"><tr>%s</tr></table>'
        ) % (width, height, points, labels)

    # ------------------------------------------------------------------ buttons
    def _open(self, xmlid, domain=None):
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        if domain:
            action["domain"] = domain
        return action

    def action_open_aging(self):
        return self._open("collections_workflow.collection_aging_report_action")

    def action_open_trend(self):
        return self._open("collections_workflow.collection_kpi_snapshot_action")

    def action_open_kpis(self):
        return self._open("collections_workflow.collection_kpi_report_action")

    def action_open_worklist(self):
        today = fields.Date.context_today(self)
        return self._open(
            "collections_workflow.collection_worklist_action", [("next_date", "<=", today)]
        )

    def action_open_replies(self):
        return self._open("collections_workflow.collection_reply_action")

    def action_open_promises(self):
        return self._open(
            "collections_workflow.collection_promise_action",
            [
                ("state", "=", "open"),
                ("promise_date", "<=", fields.Date.context_today(self) + timedelta(days=7)),
            ],
        )

    def action_open_disputes(self):
        return self._open("collections_workflow.collection_dispute_action")
