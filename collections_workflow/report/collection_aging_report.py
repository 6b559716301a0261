# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..tools.aging import BUCKETS

BUCKET_LABELS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("91_120", "91-120 Days"),
    ("over_120", "Over 120 Days"),
]


class CollectionAgingReport(models.Model):
    """Open receivables by age: one row per open customer invoice or credit note.

    The receivables are those of ``collection.kpi._get_receivable_domain`` (the one
    definition the overview and the KPIs use too): amounts in the company's currency
    (``amount_residual_signed``), negative for a credit note, which lowers the bucket of
    its due date (usually "Not Due" or the bucket of its date). The days late and the
    bucket are read on the current day (``context_today``), so that the buckets always
    match the day the report is opened.
    """

    _name = "collection.aging.report"
    _description = "Receivables Aging"
    _auto = False
    _order = "invoice_date_due, id"
    _rec_name = "invoice_id"
    _depends = {
        "account.move": [
            "amount_residual",
            "amount_residual_signed",
            "collection_advisor_id",
            "collection_last_level_id",
            "collection_status",
            "collection_strategy_id",
            "collection_supervisor_id",
            "commercial_partner_id",
            "company_id",
            "currency_id",
            "invoice_date",
            "invoice_date_due",
            "move_type",
            "state",
        ],
    }

    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    advisor_id = fields.Many2one("collection.staff", readonly=True)
    supervisor_id = fields.Many2one("collection.staff", readonly=True)
    strategy_id = fields.Many2one("collection.strategy", readonly=True)
    level_id = fields.Many2one("collection.level", string="Last Level", readonly=True)
    status = fields.Selection(
        selection=lambda self: self.env["account.move"]
        ._fields["collection_status"]
        ._description_selection(self.env),
        string="Collection Status",
        readonly=True,
    )
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    invoice_currency_id = fields.Many2one("res.currency", readonly=True)
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKET_LABELS, string="Age", readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    amount_residual_currency = fields.Monetary(
        string="Amount Due in Currency", currency_field="invoice_currency_id", readonly=True
    )
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_91_120 = fields.Monetary(string="91-120", readonly=True)
    amount_over_120 = fields.Monetary(string="Over 120", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        days_late = SQL("(%s::date - move.invoice_date_due)", today)
        conditions = []
        for key, first, last in BUCKETS:
            bounds = [
                SQL("%s >= %s", days_late, first) if first is not None else None,
                SQL("%s <= %s", days_late, last) if last is not None else None,
            ]
            condition = SQL(" AND ").join(bound for bound in bounds if bound)
            conditions.append((key, condition))
        bucket_case = SQL(
            "CASE %s END",
            SQL(" ").join(SQL("WHEN %s THEN %s", condition, key) for key, condition in conditions),
        )
        bucket_amounts = SQL(", ").join(
            SQL(
                "CASE WHEN %s THEN move.amount_residual_signed ELSE 0 END AS %s",
                condition,
                SQL.identifier(f"amount_{key}"),
            )
            for key, condition in conditions
        )
        return SQL(
            """
            SELECT
                move.id AS id,
                move.id AS invoice_id,
                move.company_id,
                move.commercial_partner_id AS partner_id,
                move.collection_advisor_id AS advisor_id,
                move.collection_supervisor_id AS supervisor_id,
                move.collection_strategy_id AS strategy_id,
                move.collection_last_level_id AS level_id,
                move.collection_status AS status,
                company.currency_id AS currency_id,
                move.currency_id AS invoice_currency_id,
                move.invoice_date,
                move.invoice_date_due,
                %(days_late)s AS days_late,
                %(bucket)s AS bucket,
                move.amount_residual_signed AS amount_residual,
                CASE WHEN move.move_type = 'out_refund' THEN -move.amount_residual
                     ELSE move.amount_residual END AS amount_residual_currency,
                %(bucket_amounts)s
            FROM account_move move
            JOIN res_company company ON company.id = move.company_id
            WHERE %(receivable)s
              AND move.amount_residual != 0
            """,
            receivable=self.env["collection.kpi"]._get_receivable_sql("move"),
            days_late=days_late,
            bucket=bucket_case,
            bucket_amounts=bucket_amounts,
        )

    def action_open_invoice(self):
        self.ensure_one()
        return self.invoice_id._get_records_action()
