# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Domain

PREVIEW_CUSTOMERS = 500


class CollectionRunPreview(models.TransientModel):
    """What today's run would do, without doing it; and the button that does it."""

    _name = "collection.run.preview"
    _description = "Collections Run Preview"

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    line_ids = fields.One2many("collection.run.preview.line", "preview_id", readonly=True)
    act_count = fields.Integer(string="Invoices to Act On", readonly=True)
    skip_count = fields.Integer(string="Levels to Skip", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    truncated = fields.Boolean(readonly=True)
    auto_run = fields.Boolean(
        string="Automatic Collections",
        compute="_compute_run_state",
        help="The scheduled daily run acts by itself, every hour.",
    )
    last_run_id = fields.Many2one(
        "collection.run.log", string="Last Run", compute="_compute_run_state"
    )
    last_run_summary = fields.Char(compute="_compute_run_state")
    last_run_failures = fields.Text(related="last_run_id.failures")
    last_run_error = fields.Text(related="last_run_id.error")

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        for preview in previews:
            preview._fill()
        return previews

    def _compute_run_state(self):
        Run = self.env["collection.run"]
        # the log is the run's own record: managers read it here
        log = self.env["collection.run.log"]._get_last()
        for preview in self:
            preview.auto_run = Run._is_automatic()
            preview.last_run_id = log
            preview.last_run_summary = log._get_summary() if log else False

    def _fill(self):
        self.ensure_one()
        Run = self.env["collection.run"]
        Move = self.env["account.move"]
        domain = Run._get_due_domain(self.date)
        partners = [
            partner
            for (partner,) in Move._read_group(
                domain, ["commercial_partner_id"], limit=PREVIEW_CUSTOMERS + 1
            )
        ]
        self.truncated = len(partners) > PREVIEW_CUSTOMERS
        partners = partners[:PREVIEW_CUSTOMERS]
        moves = Move.search(
            domain & Domain("commercial_partner_id", "in", [partner.id for partner in partners])
        )
        actions, skipped = Run._plan(moves, self.date)
        lines = [self._prepare_line_vals(move, level, "skip") for move, level in skipped] + [
            self._prepare_line_vals(move, level, "act")
            for (__, level), invoices in actions.items()
            for move in invoices
        ]
        self.env["collection.run.preview.line"].create(lines)
        self.write(
            {
                "act_count": sum(len(invoices) for invoices in actions.values()),
                "skip_count": len(skipped),
                "customer_count": len(partners),
            }
        )

    def _prepare_line_vals(self, move, level, action):
        return {
            "preview_id": self.id,
            "invoice_id": move.id,
            "partner_id": move.commercial_partner_id.id,
            "advisor_id": move.collection_advisor_id.id,
            "level_id": level.id,
            "action": action,
            "channels": ", ".join(level._get_channel_labels()),
            "amount_residual": move.amount_residual,
            "currency_id": move.currency_id.id,
        }

    def action_switch_on(self):
        """Switch the automatic run on, from Today's Collections, once it has been checked."""
        self.ensure_one()
        self.env["collection.run"]._set_automatic(True)
        return self._reopen()

    def action_switch_off(self):
        self.ensure_one()
        self.env["collection.run"]._set_automatic(False)
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Today's Collections"),
        }

    def action_run(self):
        """Run today's collections now, then show what was done."""
        self.ensure_one()
        return self.env["collection.run"]._action_run_now()


class CollectionRunPreviewLine(models.TransientModel):
    _name = "collection.run.preview.line"
    _description = "Collections Run Preview Line"
    _order = "partner_id, invoice_id, level_id"

    preview_id = fields.Many2one(
        "collection.run.preview", required=True, ondelete="cascade", index=True
    )
    invoice_id = fields.Many2one("account.move", string="Invoice")
    partner_id = fields.Many2one("res.partner", string="Customer")
    advisor_id = fields.Many2one("collection.staff", string="Advisor")
    level_id = fields.Many2one("collection.level", string="Level")
    action = fields.Selection([("act", "Act"), ("skip", "Skip (a later level is due)")])
    channels = fields.Char()
    amount_residual = fields.Monetary(string="Amount Due", currency_field="currency_id")
    currency_id = fields.Many2one("res.currency")
