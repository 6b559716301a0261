# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models, tools
from odoo.tools import SQL

from .account_move import CLOSED_PAYMENT_STATES


class CollectionWorklist(models.Model):
    """An advisor's customers, the one whose next step comes first at the top.

    One row per customer and company with invoices still in collection, read from the
    invoices' stored collection state: always current, nothing to keep in sync.
    """

    _name = "collection.worklist"
    _description = "Collections Worklist"
    _auto = False
    _order = "next_date, oldest_due_date, amount_due desc, id"
    _rec_name = "partner_id"
    # the invoice columns the view reads: flushed before the view is searched
    _depends = {
        "account.move": [
            "amount_residual_signed",
            "collection_advisor_id",
            "collection_next_date",
            "collection_next_level_id",
            "collection_status",
            "collection_supervisor_id",
            "commercial_partner_id",
            "company_id",
            "invoice_date_due",
            "move_type",
            "payment_state",
            "state",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    advisor_id = fields.Many2one("collection.staff", readonly=True)
    supervisor_id = fields.Many2one("collection.staff", readonly=True)
    next_level_id = fields.Many2one("collection.level", string="Next Action", readonly=True)
    next_date = fields.Date(string="Next Action Date", readonly=True)
    oldest_due_date = fields.Date(readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    paused_count = fields.Integer(
        string="On Hold",
        readonly=True,
        help="Invoices paused by a promise, disputed, excluded or handed over.",
    )

    hold_summary = fields.Char(
        string="Why No Next Action",
        compute="_compute_hold_summary",
        help="Where the customer has no next action: what holds its invoices.",
    )

    def _compute_hold_summary(self):
        waiting = self.filtered(lambda row: not row.next_level_id)
        Move = self.env["account.move"]
        counts = defaultdict(list)
        if waiting:
            for partner, company, status, count in Move._read_group(
                [
                    *Move._get_collection_open_domain(),
                    ("commercial_partner_id", "in", waiting.partner_id.ids),
                    ("company_id", "in", waiting.company_id.ids),
                ],
                ["commercial_partner_id", "company_id", "collection_status"],
                ["__count"],
            ):
                counts[partner, company].append((status, count))
        labels = dict(Move._fields["collection_status"]._description_selection(self.env))
        for row in self:
            statuses = counts.get((row.partner_id, row.company_id), [])
            row.hold_summary = (
                ", ".join(
                    self.env._("%(count)s %(status)s", count=count, status=labels[status])
                    if status != "active"
                    else self.env._("%(count)s with no level left", count=count)
                    for status, count in sorted(statuses)
                )
                if row in waiting
                else False
            )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    SELECT
                        MIN(move.id) AS id,
                        move.commercial_partner_id AS partner_id,
                        move.company_id,
                        company.currency_id,
                        (ARRAY_AGG(move.collection_advisor_id ORDER BY move.id DESC))[1]
                            AS advisor_id,
                        (ARRAY_AGG(move.collection_supervisor_id ORDER BY move.id DESC))[1]
                            AS supervisor_id,
                        (ARRAY_AGG(move.collection_next_level_id
                                   ORDER BY move.collection_next_date, move.id)
                         FILTER (WHERE move.collection_next_date IS NOT NULL))[1]
                            AS next_level_id,
                        MIN(move.collection_next_date) AS next_date,
                        MIN(move.invoice_date_due) AS oldest_due_date,
                        COUNT(*) AS invoice_count,
                        SUM(move.amount_residual_signed) AS amount_due,
                        COUNT(*) FILTER (WHERE move.collection_status != 'active')
                            AS paused_count
                    FROM account_move move
                    JOIN res_company company ON company.id = move.company_id
                    WHERE move.move_type = 'out_invoice'
                      AND move.state = 'posted'
                      AND move.payment_state NOT IN %(closed)s
                      AND move.collection_status != 'done'
                    GROUP BY move.commercial_partner_id, move.company_id, company.currency_id
                )
                """,
                table=SQL.identifier(self._table),
                closed=CLOSED_PAYMENT_STATES,
            )
        )

    def action_open_customer(self):
        """Open the customer on its Collections tab."""
        self.ensure_one()
        return self.partner_id._get_records_action()

    def action_open_invoices(self):
        """The customer's invoices still in collection, the most urgent first."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.account_move_action_collection_worklist"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("collection_status", "!=", "done"),
        ]
        action["context"] = {"create": False}
        action["name"] = self.partner_id.display_name
        return action

    def action_record_promise(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_collection_record_promise()

    def action_schedule_call(self):
        """Plan a call to the customer for the current user, today."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id)._action_collection_schedule_call()
