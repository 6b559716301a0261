# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from uuid import uuid4

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools import pilot as pilot_tools


class CollectionPilot(models.Model):
    """A challenger strategy tried on a share of a segment of customers.

    The segment is the company's customers following the incumbent strategy (without a
    strategy of their own), with one of the pilot's tags if it has some. Each is drawn
    into the challenger or the control group by a stable hash of the pilot's seed and its
    id; a customer follows one strategy at a time (see
    ``collection.strategy._get_strategy_by_partner``). The members stay recorded after
    the pilot ends, with the groups they were in.
    """

    _name = "collection.pilot"
    _description = "Strategy Pilot"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    incumbent_strategy_id = fields.Many2one(
        "collection.strategy",
        string="Current Strategy",
        required=True,
        check_company=True,
        tracking=True,
    )
    challenger_strategy_id = fields.Many2one(
        "collection.strategy",
        string="Challenger Strategy",
        required=True,
        check_company=True,
        tracking=True,
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Segment Tags",
        help="Only the customers with one of these tags take part; empty: every customer "
        "following the current strategy.",
    )
    share = fields.Float(
        string="Challenger Share (%)",
        default=20.0,
        required=True,
        tracking=True,
        help="Share of the segment's customers that follow the challenger.",
    )
    seed = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: uuid4().hex,
        help="Drawn once: with each customer's id it decides its group, the same on every run.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("adopted", "Challenger Adopted"),
            ("stopped", "Stopped"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    date_start = fields.Date(readonly=True, copy=False)
    date_end = fields.Date(readonly=True, copy=False)
    member_ids = fields.One2many("collection.pilot.member", "pilot_id", readonly=True)
    challenger_count = fields.Integer(compute="_compute_counts")
    control_count = fields.Integer(compute="_compute_counts")

    @api.constrains("share")
    def _check_share(self):
        for pilot in self:
            if not 0 < pilot.share < 100:
                raise ValidationError(
                    self.env._(
                        "The challenger share of pilot %(pilot)s must be between 0 and 100%%.",
                        pilot=pilot.name,
                    )
                )

    @api.constrains("incumbent_strategy_id", "challenger_strategy_id")
    def _check_strategies(self):
        for pilot in self:
            if pilot.incumbent_strategy_id == pilot.challenger_strategy_id:
                raise ValidationError(
                    self.env._(
                        "Pilot %(pilot)s needs a challenger strategy other than the current one.",
                        pilot=pilot.name,
                    )
                )

    @api.depends("member_ids.group")
    def _compute_counts(self):
        counts = {
            (pilot.id, group): count
            for pilot, group, count in self.env["collection.pilot.member"]._read_group(
                [("pilot_id", "in", self.ids)], ["pilot_id", "group"], ["__count"]
            )
        }
        for pilot in self:
            pilot.challenger_count = counts.get((pilot.id, "challenger"), 0)
            pilot.control_count = counts.get((pilot.id, "control"), 0)

    def _get_segment(self):
        """The customers of the segment, now."""
        self.ensure_one()
        domain = Domain("parent_id", "=", False) & Domain("customer_rank", ">", 0)
        if self.partner_category_ids:
            domain &= Domain("category_id", "in", self.partner_category_ids.ids)
        customers = self.env["res.partner"].with_company(self.company_id).search(domain)
        by_partner = self.env["collection.strategy"]._get_strategy_by_partner(
            customers, self.company_id, ignore_pilots=True
        )
        return customers.filtered(
            lambda partner: not partner.collection_strategy_id
            and by_partner[partner] == self.incumbent_strategy_id
        )

    def action_start(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Pilot %(pilot)s has started already.", pilot=self.name))
        running = self.search([("state", "=", "running"), ("company_id", "=", self.company_id.id)])
        if running:
            raise UserError(
                self.env._(
                    "Pilot %(running)s is running: a customer follows one pilot at a time.",
                    running=running[0].name,
                )
            )
        customers = self._get_segment()
        if not customers:
            raise UserError(
                self.env._("Pilot %(pilot)s: its segment has no customer.", pilot=self.name)
            )
        self.env["collection.pilot.member"].create(
            [
                {
                    "pilot_id": self.id,
                    "partner_id": partner.id,
                    "group": "challenger"
                    if pilot_tools.is_challenger(self.seed, partner.id, self.share)
                    else "control",
                }
                for partner in customers
            ]
        )
        self.write({"state": "running", "date_start": fields.Date.context_today(self)})
        self._refresh_invoice_strategies()

    def action_stop(self):
        """Everyone back to the current strategy."""
        self._end("stopped")

    def action_adopt(self):
        """The whole segment moves to the challenger, for good."""
        self.ensure_one()
        self._check_running()
        customers = self.member_ids.partner_id.with_company(self.company_id)
        customers.write({"collection_strategy_id": self.challenger_strategy_id.id})
        self._end("adopted")

    def _check_running(self):
        not_running = self.filtered(lambda pilot: pilot.state != "running")
        if not_running:
            raise UserError(
                self.env._("Pilot %(pilot)s is not running.", pilot=not_running[0].name)
            )

    def _end(self, state):
        self._check_running()
        self.write({"state": state, "date_end": fields.Date.context_today(self)})
        self._refresh_invoice_strategies()

    def _refresh_invoice_strategies(self):
        """The members' open invoices follow their customer's strategy again."""
        self.env["account.move"]._collection_refresh_strategies(
            [
                ("commercial_partner_id", "in", self.member_ids.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )

    def action_compare(self):
        """The pilot report: both groups on the KPIs, with 95% confidence intervals."""
        self.ensure_one()
        return self.env["collection.pilot.result"]._open_for(self)


class CollectionPilotMember(models.Model):
    _name = "collection.pilot.member"
    _description = "Strategy Pilot Member"
    _order = "pilot_id, group, partner_id"

    pilot_id = fields.Many2one(
        "collection.pilot", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    group = fields.Selection(
        [("challenger", "Challenger"), ("control", "Control")], required=True, readonly=True
    )
    state = fields.Selection(related="pilot_id.state", store=True, index=True)

    _pilot_partner_uniq = models.Constraint(
        "UNIQUE(pilot_id, partner_id)", "A customer takes part in a pilot once."
    )
