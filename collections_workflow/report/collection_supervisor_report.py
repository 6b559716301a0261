# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..models.collection_kpi import PERIOD_DAYS
from ..tools.aging import BUCKETS

ADVISOR_GROUP = "collections_workflow.collections_workflow_group_advisor"
SUPERVISOR_GROUP = "collections_workflow.collections_workflow_group_supervisor"
MANAGER_GROUP = "collections_workflow.collections_workflow_group_manager"
# the advisors' figures read the period of the overview (collection.kpi._get_period);
# the promises due in the next 7 days
PROMISE_DAYS = 7
WORST_ACCOUNTS = 10
# a long list helps no one on paper: the oldest items are shown, with the full count
LIST_LIMIT = 30
# the advisors' table: each KPI and how its value reads
KPI_COLUMNS = (
    ("ar_end", "amount"),
    ("overdue_end", "amount"),
    ("overdue_ratio", "percent"),
    ("collected", "amount"),
    ("dso", "days"),
    ("cei", "percent"),
    ("promise_kept_ratio", "percent"),
    ("disputes_open", "count"),
    ("overdue_tasks", "count"),
)


class CollectionSupervisorReport(models.AbstractModel):
    """The collections report of a supervisor's team, or of one advisor.

    Its portfolio (the receivables of ``collection.kpi._get_receivable_domain``, as the
    overview's) and aging, the worst accounts, the promises due within a week, the open
    disputes, the overdue tasks and each advisor's figures beside the team's. Amounts in
    the company's currency.
    """

    _name = "report.collections_workflow.report_collection_supervisor"
    _description = "Collections Supervisor Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        staffs = self.env["collection.staff"].browse(docids)
        self._check_report_access(staffs)
        # the reader may print these reports: their figures are the team's whole
        # portfolio, not the part of it the reader's record rules show
        report = self.sudo()
        staffs = staffs.sudo()
        today = fields.Date.context_today(report)
        kpis = report._get_kpis(staffs, today)
        return {
            "doc_ids": docids,
            "doc_model": "collection.staff",
            "docs": staffs,
            "today": today,
            "reports": {staff.id: report._get_staff_values(staff, today, kpis) for staff in staffs},
            "buckets": self._get_buckets(),
            "kpi_columns": self._get_kpi_columns(),
            "kpi_days": PERIOD_DAYS,
        }

    @api.model
    def _check_report_access(self, staffs):
        """Managers print anyone's report, a supervisor its own and its advisors', an
        advisor its own; anyone else is refused."""
        user = self.env.user
        if self.env.su or user.has_group(MANAGER_GROUP):
            return
        is_advisor = user.has_group(ADVISOR_GROUP)
        is_supervisor = user.has_group(SUPERVISOR_GROUP)
        # the staff's user and supervisor decide, whichever staff the reader may read
        for staff in staffs.sudo():
            own = is_advisor and staff.user_id == user
            team = is_supervisor and staff.supervisor_id.user_id == user
            if not (own or team):
                raise AccessError(
                    self.env._(
                        "You cannot print the collections report of %(name)s: only a "
                        "collections manager, their supervisor or they themselves can.",
                        name=staff.name,
                    )
                )

    @api.model
    def _get_buckets(self):
        labels = dict(
            self.env["collection.aging.report"]._fields["bucket"]._description_selection(self.env)
        )
        return [(key, labels[key]) for key, __, __ in BUCKETS]

    @api.model
    def _get_kpi_columns(self):
        """(KPI key, label, kind) of the advisors' table; kind is amount, percent,
        days or count."""
        # a dict, not tuples: the terms extractor would take the tuples' keys for terms
        labels = {
            "ar_end": self.env._("Receivables"),
            "overdue_end": self.env._("Overdue"),
            "overdue_ratio": self.env._("Overdue %"),
            "collected": self.env._("Collected"),
            "dso": self.env._("DSO (Days)"),
            "cei": self.env._("CEI %"),
            "promise_kept_ratio": self.env._("Promises Kept %"),
            "disputes_open": self.env._("Open Disputes"),
            "overdue_tasks": self.env._("Overdue Tasks"),
        }
        return [(key, labels[key], kind) for key, kind in KPI_COLUMNS]

    @api.model
    def _get_scope_domain(
        self, staff, advisor_field="advisor_id", supervisor_field="supervisor_id"
    ):
        """The records of ``staff``'s portfolio: its team's for a supervisor."""
        field = supervisor_field if staff.role == "supervisor" else advisor_field
        return Domain(field, "=", staff.id) & Domain("company_id", "=", staff.company_id.id)

    @api.model
    def _get_team(self, staff):
        """The advisors whose figures the report lists."""
        return staff.advisor_ids if staff.role == "supervisor" else staff

    @api.model
    def _get_team_users(self, staff):
        return (staff | staff.advisor_ids).user_id

    @api.model
    def _get_kpis(self, staffs, today):
        """``{"advisor": {id: kpis}, "supervisor": {id: kpis}}`` of the KPIs' period (the
        overview's and the KPI report's), computed once for every report printed."""
        Kpi = self.env["collection.kpi"]
        date_from, date_to = Kpi._get_period(today)
        kpis = {"advisor": Kpi._compute(date_from, date_to, "advisor"), "supervisor": {}}
        if any(staff.role == "supervisor" for staff in staffs):
            kpis["supervisor"] = Kpi._compute(date_from, date_to, "supervisor")
        return kpis

    @api.model
    def _get_staff_values(self, staff, today, kpis):
        values = {"currency": staff.company_id.currency_id}
        values.update(self._get_portfolio_values(staff))
        values.update(self._get_worst_accounts_values(staff))
        values.update(self._get_promise_values(staff, today))
        values.update(self._get_dispute_values(staff))
        values.update(self._get_task_values(staff, today))
        values.update(self._get_team_kpi_values(staff, kpis, values["tasks_by_user"]))
        return values

    @api.model
    def _get_portfolio_values(self, staff):
        """Receivables, overdue and aging buckets of the portfolio."""
        bucket_fields = [f"amount_{key}" for key, __, __ in BUCKETS]
        [row] = self.env["collection.aging.report"]._read_group(
            self._get_scope_domain(staff),
            aggregates=[
                "amount_residual:sum",
                "partner_id:count_distinct",
                *(f"{fname}:sum" for fname in bucket_fields),
            ],
        )
        receivables, customers, *amounts = (value or 0 for value in row)
        aging = dict(zip((key for key, __, __ in BUCKETS), amounts, strict=True))
        return {
            "receivables": receivables,
            "overdue": receivables - aging["not_due"],
            "customers": customers,
            "aging": aging,
        }

    @api.model
    def _get_worst_accounts_values(self, staff):
        """The customers owing most past their due dates, with the oldest due date."""
        rows = self.env["collection.aging.report"]._read_group(
            self._get_scope_domain(staff) & Domain("days_late", ">", 0),
            ["partner_id", "advisor_id"],
            ["amount_residual:sum", "invoice_date_due:min", "days_late:max"],
            order="amount_residual:sum desc, partner_id",
            limit=WORST_ACCOUNTS,
        )
        return {
            "worst_accounts": [
                {
                    "partner": partner,
                    "advisor": advisor,
                    "overdue": overdue,
                    "oldest_due": oldest_due,
                    "days_late": days_late,
                }
                for partner, advisor, overdue, oldest_due, days_late in rows
            ]
        }

    @api.model
    def _get_promise_values(self, staff, today):
        domain = self._get_scope_domain(staff) & Domain(
            [
                ("state", "=", "open"),
                ("promise_date", ">=", today),
                ("promise_date", "<", today + timedelta(days=PROMISE_DAYS)),
            ]
        )
        return self._get_list_values(
            "promises", self.env["collection.promise"], domain, "promise_date, id"
        )

    @api.model
    def _get_dispute_values(self, staff):
        domain = self._get_scope_domain(staff) & Domain("state", "=", "open")
        return self._get_list_values(
            "disputes", self.env["collection.dispute"], domain, "date_open, id"
        )

    @api.model
    def _get_task_values(self, staff, today):
        """The team's activities past their deadline, on any document."""
        users = self._get_team_users(staff)
        domain = Domain([("user_id", "in", users.ids), ("date_deadline", "<", today)])
        Activity = self.env["mail.activity"]
        values = self._get_list_values("tasks", Activity, domain, "date_deadline, id")
        values["tasks_by_user"] = dict(Activity._read_group(domain, ["user_id"], ["__count"]))
        return values

    @api.model
    def _get_list_values(self, key, model, domain, order):
        """``{key: the first LIST_LIMIT records, key_more: a note when there are more}``."""
        records = model.search(domain, order=order, limit=LIST_LIMIT)
        more = ""
        if len(records) == LIST_LIMIT:
            count = model.search_count(domain)
            if count > LIST_LIMIT:
                more = self.env._(
                    "The first %(shown)s of %(count)s are listed.", shown=LIST_LIMIT, count=count
                )
        return {key: records, f"{key}_more": more}

    @api.model
    def _get_team_kpi_values(self, staff, kpis, tasks_by_user):
        """Each advisor's KPIs, and the team's (for a supervisor) to compare them with."""
        Kpi = self.env["collection.kpi"]

        def with_tasks(values, users):
            values = dict(values or Kpi._derive(Kpi._empty(), PERIOD_DAYS))
            values["overdue_tasks"] = sum(tasks_by_user.get(user, 0) for user in users)
            return values

        team = self._get_team(staff)
        rows = [
            (advisor, with_tasks(kpis["advisor"].get(advisor.id), advisor.user_id))
            for advisor in team
        ]
        total = None
        if staff.role == "supervisor":
            total = with_tasks(kpis["supervisor"].get(staff.id), self._get_team_users(staff))
        return {"team": team, "kpi_rows": rows, "kpi_total": total}
