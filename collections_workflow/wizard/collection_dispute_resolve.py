# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CollectionDisputeResolve(models.TransientModel):
    _name = "collection.dispute.resolve"
    _description = "Resolve a Dispute"

    dispute_ids = fields.Many2many("collection.dispute", required=True)
    outcome = fields.Selection(
        [("company", "Resolved for Us"), ("customer", "Resolved for the Customer")],
        required=True,
        default="company",
    )
    strategy_id = fields.Many2one(
        "collection.strategy", compute="_compute_strategy_id", readonly=True
    )
    level_id = fields.Many2one(
        "collection.level",
        string="Resume at Level",
        domain="[('strategy_id', '=', strategy_id)]",
        help="Resolved for us: the level the invoices resume at. Empty: their next level.",
    )
    note = fields.Text(string="Resolution", required=True)

    @api.depends("dispute_ids")
    def _compute_strategy_id(self):
        for wizard in self:
            wizard.strategy_id = wizard.dispute_ids.invoice_ids.collection_strategy_id[:1]

    def action_resolve(self):
        self.ensure_one()
        level = self.level_id if self.outcome == "company" else None
        self.dispute_ids._resolve(self.outcome, self.note, level=level)
