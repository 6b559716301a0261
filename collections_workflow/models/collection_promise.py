# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .account_move import CLOSED_PAYMENT_STATES

CHANNELS = [
    ("phone", "Phone Call"),
    ("email", "Email"),
    ("whatsapp", "WhatsApp"),
    ("sms", "SMS"),
    ("meeting", "Meeting"),
    ("portal", "Portal"),
    ("letter", "Letter"),
    ("other", "Other"),
]


class CollectionPromise(models.Model):
    """A customer's promise to pay an amount by a date, for some of its invoices.

    The invoices it covers get no reminder until the promised date plus the strategy's
    grace period. Payments on them keep the promise; once the grace period is over, a
    promise not kept is broken (or partly kept), the advisor gets a task, and the
    strategy resumes at its next level.
    """

    _name = "collection.promise"
    _description = "Promise to Pay"
    _inherit = ["collection.hold.mixin"]
    _order = "promise_date desc, id desc"
    _check_company_auto = True

    invoice_ids = fields.Many2many(
        "account.move",
        "collection_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        f"('state', '=', 'posted'), ('payment_state', 'not in', {CLOSED_PAYMENT_STATES})]",
        help="The invoices the promise covers: none of them is reminded while it is open.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(string="Promised Amount", required=True, tracking=True)
    promise_date = fields.Date(string="Promised Date", required=True, tracking=True)
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="phone",
        help="How the customer made the promise.",
    )
    note = fields.Text()
    grace_until = fields.Date(
        string="Grace Period Until",
        compute="_compute_grace_until",
        store=True,
        index=True,
        help="Promised date plus the strategy's grace period: the promise is broken when it "
        "is not kept by then.",
    )
    residual_at_start = fields.Monetary(
        string="Due When Promised",
        compute="_compute_residual_at_start",
        store=True,
        help="What the covered invoices still owed when the promise was recorded.",
    )
    amount_paid = fields.Monetary(
        string="Paid Since",
        compute="_compute_amount_paid",
        store=True,
        help="What was paid (or credited) on the covered invoices since the promise.",
    )
    paid_at_close = fields.Monetary(string="Paid by the Deadline", readonly=True)
    closed_on = fields.Date(readonly=True, copy=False)
    expired = fields.Boolean(readonly=True, copy=False)
    cancelled = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("partial", "Partly Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    kept_ratio = fields.Float(
        string="Kept (%)",
        compute="_compute_state",
        store=True,
        aggregator="avg",
        help="Share of the promised amount paid by the deadline (so far, while open).",
    )

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The promised amount of %(promise)s must be positive.",
                        promise=promise.display_name,
                    )
                )

    @api.constrains("amount", "invoice_ids")
    def _check_amount_within_due(self):
        for promise in self:
            due = sum(promise.invoice_ids.mapped("amount_residual"))
            if promise.currency_id.compare_amounts(promise.amount, due) > 0:
                raise ValidationError(
                    self.env._(
                        "The promised amount of %(promise)s (%(field)s) is more than its "
                        "invoices owe: %(due)s.",
                        promise=promise.partner_id.name,
                        field=self._fields["amount"].get_description(self.env)["string"],
                        due=promise.currency_id.format(due),
                    )
                )

    @api.constrains("promise_date")
    def _check_promise_date(self):
        today = fields.Date.context_today(self)
        for promise in self:
            if promise.promise_date < today:
                raise ValidationError(
                    self.env._(
                        "The %(field)s of %(promise)s is in the past: a promise is for today "
                        "or later.",
                        field=self._fields["promise_date"].get_description(self.env)["string"],
                        promise=promise.display_name,
                    )
                )

    @api.constrains("invoice_ids")
    def _check_one_open_promise(self):
        # the promises of every user: an invoice is promised once
        others = self.sudo().search(
            [
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("state", "=", "open"),
                ("id", "not in", self.ids),
            ]
        )
        for promise in self:
            taken = promise.invoice_ids & others.invoice_ids
            if taken:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s already has an open promise to pay: change or cancel it "
                        "rather than record another (%(field)s).",
                        invoices=", ".join(taken.mapped("display_name")),
                        field=self._fields["invoice_ids"].get_description(self.env)["string"],
                    )
                )

    @api.constrains("invoice_ids", "partner_id", "currency_id")
    def _check_invoices(self):
        for promise in self:
            strangers = promise._get_foreign_invoices() | promise.invoice_ids.filtered(
                lambda move, promise=promise: move.currency_id != promise.currency_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Promise %(promise)s can only cover posted invoices of %(customer)s in "
                        "%(currency)s, not %(invoices)s.",
                        promise=promise.display_name,
                        customer=promise.partner_id.display_name,
                        currency=promise.currency_id.name,
                        invoices=", ".join(strangers.mapped("display_name")),
                    )
                )

    @api.depends("partner_id", "amount", "currency_id", "promise_date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(customer)s: %(amount)s by %(date)s",
                customer=promise.partner_id.name or "",
                amount=promise.currency_id.format(promise.amount),
                date=promise.promise_date or "",
            )

    @api.depends("promise_date", "invoice_ids.collection_strategy_id.promise_grace_days")
    def _compute_grace_until(self):
        for promise in self:
            grace = max(
                promise.invoice_ids.collection_strategy_id.mapped("promise_grace_days"),
                default=0,
            )
            promise.grace_until = promise.promise_date and promise.promise_date + timedelta(
                days=grace
            )

    @api.depends("invoice_ids")
    def _compute_residual_at_start(self):
        # on "invoice_ids" only: the invoices of a promise never change once recorded
        for promise in self:
            promise.residual_at_start = sum(promise.invoice_ids.mapped("amount_residual"))

    @api.depends("invoice_ids.amount_residual", "residual_at_start")
    def _compute_amount_paid(self):
        for promise in self:
            residual = sum(promise.invoice_ids.mapped("amount_residual"))
            promise.amount_paid = max(promise.residual_at_start - residual, 0.0)

    @api.depends("amount_paid", "amount", "expired", "cancelled", "paid_at_close")
    def _compute_state(self):
        for promise in self:
            paid = promise.paid_at_close if promise.expired else promise.amount_paid
            promise.kept_ratio = min(paid / promise.amount, 1.0) * 100 if promise.amount else 0.0
            # every covered invoice settled keeps a promise of more than they owed
            settled = promise.residual_at_start and (
                promise.currency_id.compare_amounts(paid, promise.residual_at_start) >= 0
            )
            if promise.cancelled:
                promise.state = "cancelled"
            elif settled or promise.currency_id.compare_amounts(paid, promise.amount) >= 0:
                promise.state = "kept"
            elif promise.expired:
                promise.state = "partial" if paid > 0 else "broken"
            else:
                promise.state = "open"

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        promises.invoice_ids._collection_hold(fields.Date.context_today(self))
        promises._log_on_invoices()
        self.env["collection.reply"]._close_from_context(self.env._("Promise to pay recorded."))
        return promises

    def write(self, vals):
        if "invoice_ids" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The invoices of promise %(promise)s cannot change: cancel it and record "
                    "a new one.",
                    promise=self[:1].display_name,
                )
            )
        return super().write(vals)

    def _log_on_invoices(self):
        """Trace the promises' recording or cancelling on their invoices and customers."""
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for promise in self:
            if promise.cancelled:
                body = self.env._(
                    "Promise to pay cancelled: %(promise)s.", promise=promise.display_name
                )
            else:
                body = self.env._(
                    "Promise to pay recorded (%(channel)s): %(promise)s.",
                    channel=channels[promise.channel],
                    promise=promise.display_name,
                )
            if promise.note:
                body = f"{body} {promise.note}"
            promise.invoice_ids._collection_log(body)

    def action_cancel(self):
        """Cancel open promises (made by mistake, or replaced): reminders resume."""
        not_open = self.filtered(lambda promise: promise.state != "open")
        if not_open:
            raise UserError(
                self.env._(
                    "Only an open promise can be cancelled, not %(promise)s.",
                    promise=not_open[0].display_name,
                )
            )
        self.write({"cancelled": True, "closed_on": fields.Date.context_today(self)})
        self._log_on_invoices()

    @api.model
    def _close_expired(self, today):
        """Close the open promises whose grace period ended before ``today``.

        A broken or partly kept promise gives the advisor a task; its invoices resume
        their strategy at the next level (see ``account.move._collection_resume``).
        """
        promises = self.search([("state", "=", "open"), ("grace_until", "<", today)])
        for amount_paid, batch in promises.grouped("amount_paid").items():
            batch.write({"expired": True, "closed_on": today, "paid_at_close": amount_paid})
        broken = promises.filtered(lambda promise: promise.state in ("broken", "partial"))
        broken._notify_broken(today)
        return promises

    def _notify_broken(self, today):
        states = dict(self._fields["state"]._description_selection(self.env))
        self._notify_advisors(
            today,
            {
                promise: self.env._(
                    "Promise %(state)s: %(promise)s",
                    state=states[promise.state],
                    promise=promise.display_name,
                )
                for promise in self
            },
        )

    @api.model
    def _get_one_customer_message(self):
        return self.env._("A promise to pay is made by one customer: select its invoices.")

    @api.model
    def _get_new_action_name(self):
        return self.env._("Record a Promise to Pay")

    @api.model
    def _get_default_vals(self, invoices):
        """Also the amount: what the open invoices, in one currency, still owe."""
        vals, invoices = self._get_open_default_vals(invoices)
        vals["default_amount"] = sum(invoices.mapped("amount_residual"))
        return vals
