# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Domain

from ..models.collection_run import GO_LIVE_CHOICES

PREVIEW_CUSTOMERS = 500


class CollectionRunPreview(models.TransientModel):
    """What today's run would do, without doing it; and the button that does it."""

    _name = "collection.run.preview"
    _description = "Collections Run Preview"

    def _compute_display_name(self):
        # the breadcrumbs and the dialog's title read it
        for record in self:
            record.display_name = self.env._("Today's Collections")

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    line_ids = fields.One2many("collection.run.preview.line", "preview_id", readonly=True)
    # what the run does first; the levels it passes over, folded apart
    act_line_ids = fields.One2many(
        "collection.run.preview.line",
        "preview_id",
        domain=[("action", "=", "act")],
        string="To Do Today",
        readonly=True,
    )
    skip_line_ids = fields.One2many(
        "collection.run.preview.line",
        "preview_id",
        domain=[("action", "=", "skip")],
        string="Levels Passed Over",
        readonly=True,
    )
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
    first_time = fields.Boolean(
        compute="_compute_run_state",
        help="The automatic run has never acted: switching it on is the go-live.",
    )
    go_live = fields.Selection(
        GO_LIVE_CHOICES,
        string="Go-Live",
        default="first_level",
        required=True,
        help="Start at the first reminder: an invoice never reminded gets the first message "
        "after its due date, and escalates from there (no formal letter or hand-over "
        "before an earlier message). Catch up today: every invoice gets its highest level "
        "due today, letters and hand-overs included.",
    )
    other_engines = fields.Text(
        string="Other Dunning Engines",
        compute="_compute_run_state",
        help="Another engine's scheduled job that reminds customers by itself.",
    )
    go_live_summary = fields.Text(
        string="What Each Choice Does Today",
        readonly=True,
    )
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
        first_time = Run._is_first_go_live()
        other_engines = Run._describe_other_engines()
        for preview in self:
            preview.other_engines = other_engines
            preview.auto_run = Run._is_automatic()
            preview.last_run_id = log
            preview.last_run_summary = log._get_summary() if log else False
            preview.first_time = first_time

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
        actions, skipped, _restarts = Run._plan(moves, self.date)
        if self.first_time:
            caught_up = Run.with_context(collection_catch_up=True)._plan(moves, self.date)
            self.go_live_summary = "\n".join(
                [
                    self.env._("Start at the first reminder: %(counts)s.", counts=counts)
                    if option == "first_level"
                    else self.env._("Catch up today: %(counts)s.", counts=counts)
                    for option, counts in (
                        ("first_level", self._describe_actions(actions)),
                        ("catch_up", self._describe_actions(caught_up.actions)),
                    )
                ]
            )
        lines = [
            dict(self._prepare_line_vals(move, level, "skip"), note=note)
            for move, level, note in skipped
        ] + [
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

    def _describe_actions(self, actions):
        """What a plan does, in a manager's words: invoices, letters, hand-overs."""
        invoices = letters = handovers = 0
        for (_record, level), moves in actions.items():
            invoices += len(moves)
            letters += len(moves) if level.use_letter else 0
            handovers += len(moves) if level.handover else 0
        return self.env._(
            "%(invoices)s invoices acted on, %(letters)s formal letters, %(handovers)s hand-overs",
            invoices=invoices,
            letters=letters,
            handovers=handovers,
        )

    @api.model
    def _action_open(self):
        """Today's Collections, filled with the day's plan as it opens."""
        return self.create({})._reopen()

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
        self.env["collection.run"]._go_live(self.go_live, self.date)
        return self._reopen()

    def action_hand_over_from_other_engines(self):
        """Switch the other engines' jobs off, from Today's Collections."""
        self.ensure_one()
        self.env["collection.run"]._hand_over_from_other_engines()
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
        catch_up = self.first_time and self.go_live == "catch_up"
        return (
            self.env["collection.run"].with_context(collection_catch_up=catch_up)._action_run_now()
        )


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
    action = fields.Selection([("act", "Act"), ("skip", "Skip")])
    note = fields.Char(string="Why")
    channels = fields.Char()
    amount_residual = fields.Monetary(string="Amount Due", currency_field="currency_id")
    currency_id = fields.Many2one("res.currency")
