# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

HOLDING_STATES = ("open", "customer")


class CollectionDispute(models.Model):
    """A customer's objection to some of its invoices, with its own conversation.

    Disputed invoices get no reminder while the dispute is open, nor once it is
    resolved in the customer's favour (a credit note is expected). Resolved in the
    company's favour, the invoices resume their strategy at a chosen level.
    """

    _name = "collection.dispute"
    _description = "Invoice Dispute"
    _inherit = ["collection.hold.mixin", "mail.activity.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True
    _collection_assignment_fields = ("partner_id", "advisor_id", "supervisor_id", "user_id")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    invoice_ids = fields.Many2many(
        "account.move",
        "collection_dispute_account_move_rel",
        "dispute_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
    )
    reason_id = fields.Many2one("collection.dispute.reason", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    note = fields.Html()
    state = fields.Selection(
        [
            ("open", "Open"),
            ("customer", "Resolved for the Customer"),
            ("company", "Resolved for Us"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
        help="Resolved for the customer: a credit note is expected and the invoices stay "
        "without reminders. Resolved for us: the invoices resume their strategy.",
    )
    date_open = fields.Date(
        string="Opened On",
        required=True,
        readonly=True,
        index=True,
        default=fields.Date.context_today,
    )
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False)
    age_days = fields.Integer(
        string="Age (Days)",
        compute="_compute_age_days",
        help="Days since the dispute was opened, until it was closed.",
    )
    resolution_note = fields.Text(readonly=True, tracking=True)
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    supervisor_alerted = fields.Boolean(readonly=True, copy=False)

    @api.constrains("invoice_ids", "partner_id")
    def _check_invoices(self):
        for dispute in self:
            strangers = dispute._get_foreign_invoices()
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Dispute %(dispute)s can only cover posted invoices of %(customer)s, "
                        "not %(invoices)s.",
                        dispute=dispute.name,
                        customer=dispute.partner_id.display_name,
                        invoices=", ".join(strangers.mapped("display_name")),
                    )
                )

    @api.depends("name")
    def _compute_display_name(self):
        # a dispute gets its reference from the sequence when it is saved: until then its
        # name is the placeholder "/", which the dialog, the breadcrumbs and the browser
        # tab showed as the new dispute's title
        for dispute in self:
            if dispute.name and dispute.name != "/":
                dispute.display_name = dispute.name
            else:
                dispute.display_name = self.env._("New Dispute")

    @api.depends("date_open", "date_closed")
    def _compute_age_days(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            end = dispute.date_closed or today
            dispute.age_days = (end - dispute.date_open).days if dispute.date_open else 0

    # not stored, read afresh by each request: depending on the invoices' amounts due would
    # make every payment of any invoice walk this dependency, for nothing (bench/invoicing)
    @api.depends("invoice_ids")
    def _compute_amount_disputed(self):
        for dispute in self:
            dispute.amount_disputed = sum(dispute.invoice_ids.mapped("amount_residual_signed"))

    def _holds_invoices(self):
        self.ensure_one()
        return self.state in HOLDING_STATES

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("collection.dispute") or "/"
        disputes = super().create(vals_list)
        disputes.invoice_ids._collection_hold(fields.Date.context_today(self))
        for dispute in disputes:
            dispute.invoice_ids._collection_log(
                self.env._(
                    "Dispute %(dispute)s opened: %(reason)s.",
                    dispute=dispute.name,
                    reason=dispute.reason_id.name,
                )
            )
        self.env["collection.reply"]._close_from_context(self.env._("Dispute opened."))
        return disputes

    def write(self, vals):
        if "invoice_ids" in vals and self.filtered(lambda dispute: dispute.state != "open"):
            raise UserError(self.env._("The invoices of a closed dispute cannot change."))
        return super().write(vals)

    def _check_open(self):
        closed = self.filtered(lambda dispute: dispute.state != "open")
        if closed:
            raise UserError(
                self.env._("Dispute %(dispute)s is closed already.", dispute=closed[0].name)
            )

    def _resolve(self, outcome, note, level=None):
        """Close the disputes with ``outcome`` (a state) and ``note``.

        For the customer: the responsible gets a task to issue the credit note. For us:
        the invoices resume their strategy at ``level`` (else at their next level).
        Cancelled: the invoices resume at their next level.
        """
        self._check_open()
        today = fields.Date.context_today(self)
        self.write({"state": outcome, "date_closed": today, "resolution_note": note})
        label = dict(self._fields["state"]._description_selection(self.env))[outcome]
        for dispute in self:
            body = self.env._(
                "Dispute %(dispute)s: %(outcome)s.", dispute=dispute.name, outcome=label
            )
            if note:
                body = f"{body} {note}"
            dispute.invoice_ids._collection_log(body)
        if outcome == "customer":
            for dispute in self:
                dispute.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=self.env._("Issue the credit note"),
                    user_id=dispute.user_id.id,
                )
        elif outcome == "company":
            released = self.invoice_ids.filtered(
                lambda move: move._get_collection_status() == "active"
            )
            released._collection_resume(today, level=level, note=note)

    def action_cancel(self):
        self._resolve("cancelled", False)

    def action_open_resolve(self):
        """The resolution wizard."""
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve the Dispute"),
            "res_model": "collection.dispute.resolve",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_ids": self.ids},
        }

    @api.model
    def _alert_supervisors(self, today):
        """A task for the supervisor of each dispute open for longer than the company's
        limit, once."""
        Task = self.env["collection.task"]
        warning = self.env.ref("mail.mail_activity_data_warning")
        activity_vals = []
        alerted = self.browse()
        for company in self.env["res.company"].search([]):
            limit = company.collection_dispute_alert_days
            if limit <= 0:
                continue
            disputes = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("supervisor_alerted", "=", False),
                    ("date_open", "<=", today - timedelta(days=limit)),
                ]
            )
            for dispute in disputes:
                user = dispute.supervisor_id.user_id or dispute.user_id
                activity_vals.append(
                    Task._prepare_activity_vals(
                        dispute,
                        warning,
                        self.env._(
                            "Dispute open for %(days)s days: %(dispute)s",
                            days=(today - dispute.date_open).days,
                            dispute=dispute.name,
                        ),
                        today,
                        user,
                        dispute.note or "",
                    )
                )
            alerted |= disputes
        alerted.write({"supervisor_alerted": True})
        self.env["mail.activity"].sudo().create(activity_vals)
        return alerted

    @api.model
    def _get_one_customer_message(self):
        return self.env._("A dispute concerns the invoices of one customer: select them.")

    @api.model
    def _get_new_action_name(self):
        return self.env._("Open a Dispute")
