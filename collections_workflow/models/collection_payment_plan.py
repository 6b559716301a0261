# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .account_move import CLOSED_PAYMENT_STATES


class CollectionPaymentPlan(models.Model):
    """A customer's plan to pay some of its invoices in instalments.

    While the plan holds, its invoices get no ordinary reminder. Payments on them are
    counted against the instalments in date order; an instalment not covered by the end
    of the strategy's grace period after its date breaks the plan: the advisor gets a task
    and the strategy resumes, as after a broken promise. The plan is kept once the
    instalments are paid.
    """

    _name = "collection.payment.plan"
    _description = "Payment Plan"
    _inherit = ["collection.hold.mixin"]
    _order = "id desc"
    _check_company_auto = True

    invoice_ids = fields.Many2many(
        "account.move",
        "collection_payment_plan_account_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        f"('state', '=', 'posted'), ('payment_state', 'not in', {CLOSED_PAYMENT_STATES})]",
        help="The invoices the plan covers: none of them is reminded while it holds.",
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    instalment_ids = fields.One2many(
        "collection.payment.plan.instalment", "plan_id", string="Instalments", copy=True
    )
    amount_total = fields.Monetary(
        string="Planned Amount", compute="_compute_amount_total", store=True
    )
    residual_at_start = fields.Monetary(
        string="Due When Agreed",
        compute="_compute_residual_at_start",
        store=True,
        help="What the covered invoices still owed when the plan was agreed.",
    )
    amount_paid = fields.Monetary(
        string="Paid Since",
        compute="_compute_amount_paid",
        store=True,
        help="What was paid (or credited) on the covered invoices since the plan.",
    )
    grace_days = fields.Integer(
        string="Grace Period (Days)",
        compute="_compute_grace_days",
        store=True,
        help="Days after an instalment's date before the plan breaks: the strategy's grace "
        "period for promises.",
    )
    note = fields.Text()
    broken_on = fields.Date(readonly=True, copy=False)
    end_date = fields.Date(
        string="Ends On",
        compute="_compute_end_date",
        store=True,
        index=True,
        help="The last instalment's date, or the day the plan broke: the KPIs count it then.",
    )
    cancelled = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("open", "Running"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )

    @api.depends("partner_id", "amount_total", "currency_id", "instalment_ids")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "%(customer)s: %(amount)s in %(count)s instalments",
                customer=plan.partner_id.name or "",
                amount=plan.currency_id.format(plan.amount_total),
                count=len(plan.instalment_ids),
            )

    @api.depends("instalment_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.instalment_ids.mapped("amount"))

    @api.depends("invoice_ids")
    def _compute_residual_at_start(self):
        # on "invoice_ids" only: the invoices of a plan never change once agreed
        for plan in self:
            plan.residual_at_start = sum(plan.invoice_ids.mapped("amount_residual"))

    @api.depends("invoice_ids.amount_residual", "residual_at_start")
    def _compute_amount_paid(self):
        for plan in self:
            residual = sum(plan.invoice_ids.mapped("amount_residual"))
            plan.amount_paid = max(plan.residual_at_start - residual, 0.0)

    @api.depends("instalment_ids.date", "broken_on")
    def _compute_end_date(self):
        for plan in self:
            plan.end_date = plan.broken_on or max(plan.instalment_ids.mapped("date"), default=False)

    @api.depends("invoice_ids")
    def _compute_grace_days(self):
        for plan in self:
            plan.grace_days = max(
                plan.invoice_ids.collection_strategy_id.mapped("promise_grace_days"), default=0
            )

    @api.depends("amount_paid", "amount_total", "broken_on", "cancelled")
    def _compute_state(self):
        for plan in self:
            if plan.cancelled:
                plan.state = "cancelled"
            elif plan.broken_on:
                plan.state = "broken"
            elif plan.amount_total and (
                plan.currency_id.compare_amounts(plan.amount_paid, plan.amount_total) >= 0
            ):
                plan.state = "kept"
            else:
                plan.state = "open"

    @api.constrains("instalment_ids", "invoice_ids")
    def _check_instalments(self):
        for plan in self:
            if not plan.instalment_ids:
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s needs at least one instalment.",
                        plan=plan.display_name,
                    )
                )
            dates = plan.instalment_ids.mapped("date")
            if len(set(dates)) != len(dates):
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s: two instalments fall on the same date.",
                        plan=plan.display_name,
                    )
                )
            if plan.currency_id.compare_amounts(plan.amount_total, plan.residual_at_start):
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s: its instalments add up to %(planned)s, but "
                        "its invoices owe %(due)s.",
                        plan=plan.display_name,
                        planned=plan.currency_id.format(plan.amount_total),
                        due=plan.currency_id.format(plan.residual_at_start),
                    )
                )

    @api.constrains("invoice_ids", "currency_id")
    def _check_invoices(self):
        for plan in self:
            foreign = plan._get_foreign_invoices()
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s can only cover posted invoices of %(customer)s: "
                        "%(invoices)s.",
                        plan=plan.display_name,
                        customer=plan.partner_id.name,
                        invoices=", ".join(foreign.mapped("display_name")),
                    )
                )
            other_currency = plan.invoice_ids.filtered(
                lambda move, plan=plan: move.currency_id != plan.currency_id
            )
            if other_currency:
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s is in %(currency)s: %(invoices)s are not.",
                        plan=plan.display_name,
                        currency=plan.currency_id.name,
                        invoices=", ".join(other_currency.mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        today = fields.Date.context_today(self)
        late = plans.instalment_ids.filtered(lambda instalment: instalment.date < today)
        if late:
            raise ValidationError(
                self.env._(
                    "Payment plan %(plan)s: its first instalment cannot be before today.",
                    plan=late[0].plan_id.display_name,
                )
            )
        plans.invoice_ids._collection_hold(today)
        for plan in plans:
            plan.invoice_ids._collection_log(
                self.env._("Payment plan agreed: %(plan)s.", plan=plan.display_name)
            )
        return plans

    def write(self, vals):
        if {"invoice_ids", "instalment_ids"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The invoices and instalments of payment plan %(plan)s cannot change: "
                    "cancel it and agree a new one.",
                    plan=self[:1].display_name,
                )
            )
        return super().write(vals)

    def action_cancel(self):
        """Cancel running plans (agreed by mistake, or replaced): reminders resume."""
        not_open = self.filtered(lambda plan: plan.state != "open")
        if not_open:
            raise UserError(
                self.env._(
                    "Only a running payment plan can be cancelled, not %(plan)s.",
                    plan=not_open[0].display_name,
                )
            )
        self.write({"cancelled": True})
        for plan in self:
            plan.invoice_ids._collection_log(
                self.env._("Payment plan cancelled: %(plan)s.", plan=plan.display_name)
            )

    def _get_missed_instalment(self, today):
        """The first instalment not covered by the end of its grace period, if any."""
        self.ensure_one()
        paid = self.amount_paid
        for instalment in self.instalment_ids.sorted("date"):
            covered = self.currency_id.compare_amounts(paid, instalment.amount) >= 0
            if not covered and instalment.date + timedelta(days=self.grace_days) < today:
                return instalment
            paid = max(paid - instalment.amount, 0.0)
        return self.env["collection.payment.plan.instalment"]

    @api.model
    def _break_missed(self, today):
        """Break the running plans with an instalment missed past the grace period: the
        advisor gets a task and the invoices resume their strategy (see
        ``collection.run._resume_holds``). Returns the plans broken."""
        plans = self.search([("state", "=", "open")])
        missed = {plan: plan._get_missed_instalment(today) for plan in plans}
        broken = plans.filtered(lambda plan: missed[plan])
        if broken:
            broken.write({"broken_on": today})
            broken._notify_broken(today, missed)
        return broken

    def _notify_broken(self, today, missed):
        summaries = {
            plan: self.env._(
                "Payment plan broken: the instalment of %(amount)s due on %(date)s was not "
                "paid (%(plan)s).",
                amount=plan.currency_id.format(missed[plan].amount),
                date=missed[plan].date,
                plan=plan.display_name,
            )
            for plan in self
        }
        for plan, summary in summaries.items():
            plan.invoice_ids._collection_log(summary)
        self._notify_advisors(today, summaries)

    @api.model
    def _get_one_customer_message(self):
        return self.env._("A payment plan is agreed with one customer: select its invoices.")

    @api.model
    def _get_new_action_name(self):
        return self.env._("Propose a Payment Plan")

    @api.model
    def _get_default_vals(self, invoices):
        """Also the currency: the open invoices in one currency."""
        return self._get_open_default_vals(invoices)[0]


class CollectionPaymentPlanInstalment(models.Model):
    _name = "collection.payment.plan.instalment"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "collection.payment.plan", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_payment",
        help="The plan's payments, counted against its instalments in date order.",
    )
    amount_due = fields.Monetary(
        string="Still Due",
        compute="_compute_payment",
        help="What remains to pay of the instalment.",
    )
    state = fields.Selection(
        [("upcoming", "Upcoming"), ("due", "Due"), ("paid", "Paid"), ("missed", "Missed")],
        compute="_compute_payment",
    )
    collection_pay_url = fields.Char(
        string="Payment Link",
        compute="_compute_collection_pay_url",
        groups="collections_workflow.collections_workflow_group_advisor",
        help="Pays what remains of this instalment, on the customer's collections page: its "
        "reminders link it.",
    )

    @api.depends("plan_id.amount_paid", "plan_id.instalment_ids.amount", "date", "amount")
    def _compute_payment(self):
        today = fields.Date.context_today(self)
        for plan in self.plan_id:
            paid = plan.amount_paid
            missed = plan._get_missed_instalment(today)
            for instalment in plan.instalment_ids.sorted("date"):
                instalment.amount_paid = min(paid, instalment.amount)
                instalment.amount_due = instalment.amount - instalment.amount_paid
                paid = max(paid - instalment.amount, 0.0)
                if plan.currency_id.compare_amounts(instalment.amount_paid, instalment.amount) >= 0:
                    instalment.state = "paid"
                elif instalment == missed or (plan.state == "broken" and instalment.date < today):
                    instalment.state = "missed"
                else:
                    instalment.state = "due" if instalment.date <= today else "upcoming"
        for instalment in self.filtered(lambda instalment: not instalment.plan_id):
            instalment.amount_paid = 0.0
            instalment.amount_due = instalment.amount
            instalment.state = "upcoming"

    def _compute_collection_pay_url(self):
        Page = self.env["collection.customer.page"]
        for plan, instalments in self.grouped("plan_id").items():
            urls = Page._get_urls(plan.partner_id, plan.company_id) if plan.id else {}
            url = urls.get(plan.partner_id.commercial_partner_id)
            for instalment in instalments:
                instalment.collection_pay_url = (
                    url and instalment.id and f"{url}/instalment/{instalment.id}"
                )

    @api.constrains("amount")
    def _check_amount(self):
        for instalment in self:
            if instalment.currency_id.compare_amounts(instalment.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "Payment plan %(plan)s: each instalment must be more than zero.",
                        plan=instalment.plan_id.display_name,
                    )
                )
