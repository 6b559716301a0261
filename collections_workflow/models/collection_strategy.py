# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CollectionStrategy(models.Model):
    """An ordered sequence of collection levels, from the reminder before the due date to
    the hand-over to an agency or to legal."""

    _name = "collection.strategy"
    _description = "Collection Strategy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many(
        "collection.level",
        "strategy_id",
        string="Levels",
        domain=[("trigger", "=", "due")],
        copy=True,
    )
    instalment_level_ids = fields.One2many(
        "collection.level",
        "strategy_id",
        string="Instalment Reminders",
        domain=[("trigger", "=", "instalment")],
        copy=True,
        help="Remind each instalment of a running payment plan, on these days before or on "
        "its date, with a link to pay that instalment. The plan's invoices get no other "
        "reminder while it holds.",
    )
    receipt_level_ids = fields.One2many(
        "collection.level",
        "strategy_id",
        string="Receipts",
        domain=[("trigger", "=", "receipt")],
        copy=True,
        help="Thank the customer once an invoice it was reminded of is paid in full: one "
        "message per customer and day, on the channels and within the contact rules of "
        "the strategy's other messages.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Customers with one of these tags follow this strategy, unless they have a "
        "strategy of their own. The first matching strategy (by sequence) wins.",
    )
    description = fields.Text(translate=True)
    promise_grace_days = fields.Integer(
        string="Promise Grace Period (Days)",
        default=3,
        help="Days after a promised date before an unkept promise counts as broken; the "
        "invoices it covers get no reminder until then.",
    )
    page_promise_max_days = fields.Integer(
        string="Promise Within (Days)",
        default=15,
        help="On its collections page, a customer's promise to pay within these days of "
        "today is recorded at once; a later one waits for the advisor's answer. 0: every "
        "promise waits.",
    )
    page_promise_min_share = fields.Float(
        string="Smallest Promise (%)",
        default=50.0,
        help="On its collections page, a promise for less than this share of what its "
        "invoices owe waits for the advisor's answer.",
    )
    page_plan_max_instalments = fields.Integer(
        string="Plan Instalments Up To",
        default=3,
        help="On its collections page, a customer's payment plan of up to these monthly "
        "instalments is agreed at once; a longer one waits for the advisor's answer. 0: "
        "every plan waits.",
    )
    page_plan_first_days = fields.Integer(
        string="First Instalment Within (Days)",
        default=15,
        help="On its collections page, a plan whose first instalment falls later than "
        "these days from today waits for the advisor's answer.",
    )
    level_count = fields.Integer(compute="_compute_level_count")

    @api.model_create_multi
    def create(self, vals_list):
        strategies = super().create(vals_list)
        strategies.filtered("partner_category_ids")._refresh_open_invoices()
        return strategies

    def write(self, vals):
        res = super().write(vals)
        # which customers a strategy picks changed: their open invoices follow
        if {"partner_category_ids", "sequence", "active"} & set(vals):
            self._refresh_open_invoices()
        return res

    def _refresh_open_invoices(self):
        """The open invoices of these strategies' companies follow the strategies again."""
        if self:
            self.env["account.move"]._collection_refresh_strategies(
                [("company_id", "in", self.company_id.ids)]
            )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for strategy in self:
            strategy.level_count = len(strategy.level_ids)

    def _get_levels_in_order(self):
        """Levels sorted by the day they fire on, earliest first."""
        self.ensure_one()
        return self.level_ids.sorted(lambda level: (level.day_offset, level.id))

    @api.model
    def _get_strategy_by_partner(self, partners, company, ignore_pilots=False):
        """Map each commercial partner to the strategy it follows in ``company``.

        A customer's own strategy first, then the challenger of a running pilot it tries,
        then the first strategy whose tags match one of the customer's tags, then the
        company's default strategy (else its first strategy without tags).
        """
        partners = partners.with_company(company)
        strategies = self.search([("company_id", "=", company.id)])
        tagged = strategies.filtered("partner_category_ids")
        default = company.collection_strategy_id or (strategies - tagged)[:1]
        challengers = {}
        if not ignore_pilots:
            members = (
                self.env["collection.pilot.member"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", partners.ids),
                        ("state", "=", "running"),
                        ("group", "=", "challenger"),
                        ("pilot_id.company_id", "=", company.id),
                    ]
                )
            )
            challengers = {
                member.partner_id.id: member.pilot_id.challenger_strategy_id.sudo(False)
                for member in members
            }
        result = {}
        for partner in partners:
            strategy = partner.collection_strategy_id or challengers.get(partner.id)
            if not strategy and partner.category_id:
                strategy = next(
                    (s for s in tagged if s.partner_category_ids & partner.category_id),
                    self.browse(),
                )
            result[partner] = strategy or default
        return result
