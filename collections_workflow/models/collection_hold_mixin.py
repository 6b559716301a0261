# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

MANAGER = "collections_workflow.collections_workflow_group_manager"


def check_assignment_write(records, vals, fnames):
    """Refuse a change of whose record it is (customer, advisor, supervisor, responsible)
    by anyone but a collections manager: the record rules and the KPIs read them."""
    changed = [fname for fname in fnames if fname in vals]
    if changed and not records.env.su and not records.env.user.has_group(MANAGER):
        raise AccessError(
            records.env._(
                "Only a collections manager may change %(fields)s of %(records)s.",
                fields=", ".join(
                    records._fields[fname].get_description(records.env)["string"]
                    for fname in changed
                ),
                records=", ".join(records.mapped("display_name")),
            )
        )


class CollectionHoldMixin(models.AbstractModel):
    """What a customer says that holds some of its invoices: a promise, a dispute.

    The customer and the company, the advisor and the supervisor the record rules read
    (those of the invoices), the check that the invoices are the customer's posted ones,
    and the form of a new one filled from invoices. The inheriting model declares
    ``invoice_ids``.
    """

    _name = "collection.hold.mixin"
    _description = "Collections Hold"
    _inherit = ["mail.thread"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    advisor_id = fields.Many2one(
        "collection.staff", compute="_compute_staff", store=True, index="btree_not_null"
    )
    supervisor_id = fields.Many2one(
        "collection.staff", compute="_compute_staff", store=True, index="btree_not_null"
    )

    # whose record it is: set when it is created, changed by collections managers only
    _collection_assignment_fields = ("partner_id", "advisor_id", "supervisor_id")

    page_request = fields.Selection(
        [("requested", "To Approve"), ("accepted", "Accepted"), ("declined", "Declined")],
        string="Customer Request",
        readonly=True,
        copy=False,
        index=True,
        help="Asked by the customer on its collections page beyond the strategy's limits. "
        "It holds the reminders, as an agreed one does, until the advisor accepts or "
        "declines it.",
    )

    @api.depends("invoice_ids.collection_advisor_id")
    def _compute_staff(self):
        for hold in self:
            advisor = hold.invoice_ids[:1].collection_advisor_id
            hold.advisor_id = advisor
            hold.supervisor_id = advisor.supervisor_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            invoices = vals.get("invoice_ids")
            if invoices is None:
                # the invoices given as a default (the form of an invoice's action, over RPC)
                invoices = self.default_get(["invoice_ids"]).get("invoice_ids", [])
            self._check_new_invoices(self.new({"invoice_ids": invoices}))
        return super().create(vals_list)

    def write(self, vals):
        check_assignment_write(self, vals, self._collection_assignment_fields)
        return super().write(vals)

    @api.model
    def _check_new_invoices(self, new):
        """A new record needs invoices still to be paid, before anything is written (the
        record rules read its advisor from them)."""
        label = self._fields["invoice_ids"].get_description(self.env)["string"]
        if not new.invoice_ids:
            raise ValidationError(
                self.env._(
                    "A %(record)s needs at least one invoice: choose it in %(field)s.",
                    record=self._description,
                    field=label,
                )
            )
        closed = new.invoice_ids.filtered(lambda move: not move._is_collection_open())
        if closed:
            raise ValidationError(
                self.env._(
                    "%(invoices)s is paid, cancelled or not a posted customer invoice: a "
                    "%(record)s cannot cover it (%(field)s).",
                    invoices=", ".join(closed.mapped("display_name")),
                    record=self._description,
                    field=label,
                )
            )

    def _get_foreign_invoices(self):
        """The invoices of this record that are not posted invoices of its customer."""
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda move: move.commercial_partner_id != self.partner_id
            or move.move_type != "out_invoice"
            or move.state != "posted"
        )

    @api.model
    def _get_default_vals(self, invoices):
        """Defaults of a new record for ``invoices``, posted invoices of one customer."""
        return self._get_customer_default_vals(invoices)

    @api.model
    def _get_customer_default_vals(self, invoices):
        """The customer, company and invoices of a new record for ``invoices``."""
        invoices = invoices.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        customers = invoices.commercial_partner_id
        if len(customers) != 1:
            raise UserError(self._get_one_customer_message())
        return {
            "default_partner_id": customers.id,
            "default_company_id": invoices[:1].company_id.id,
            "default_invoice_ids": invoices.ids,
        }

    @api.model
    def _get_open_default_vals(self, invoices):
        """``_get_default_vals`` for the open invoices of ``invoices`` in the currency of
        the first: a promise's or a plan's amounts are in one currency. Returns the
        defaults and those invoices."""
        invoices = invoices.filtered(lambda move: move._is_collection_open())
        vals = self._get_customer_default_vals(invoices)
        invoices = invoices.browse(vals["default_invoice_ids"])
        currency = invoices[:1].currency_id
        invoices = invoices.filtered(lambda move: move.currency_id == currency)
        vals.update(default_currency_id=currency.id, default_invoice_ids=invoices.ids)
        return vals, invoices

    def _notify_advisors(self, today, summaries):
        """A to-do for each record's advisor (else its supervisor) on the customer's
        collections file, which the portfolio rules guard, listing the invoices; and
        ``summaries`` (``{record: text}``) logged on the records."""
        Task = self.env["collection.task"]
        todo = self.env.ref("mail.mail_activity_data_todo")
        activity_vals = []
        for company, records in self.grouped("company_id").items():
            files = self.env["collection.file"]._get_files(records.partner_id, company)
            for record in records:
                advisor = record.advisor_id
                user = advisor.user_id or advisor.supervisor_id.user_id
                if user:
                    activity_vals.append(
                        Task._prepare_activity_vals(
                            files[record.partner_id],
                            todo,
                            summaries[record],
                            today,
                            user,
                            Task._invoice_list_html(record.invoice_ids),
                        )
                    )
        self._message_log_batch(bodies={record.id: summaries[record] for record in self})
        self.env["mail.activity"].sudo().create(activity_vals)

    def action_accept_request(self):
        """Accept what the customer asked on its page: it holds as agreed."""
        self._check_requested()
        self.write({"page_request": "accepted"})
        for record in self:
            record.invoice_ids._collection_log(
                self.env._("Customer request accepted: %(record)s.", record=record.display_name)
            )

    def action_decline_request(self):
        """Decline what the customer asked on its page: the reminders resume."""
        self._check_requested()
        self.action_cancel()
        self.write({"page_request": "declined"})

    def _check_requested(self):
        waiting = self.filtered(
            lambda record: record.page_request == "requested" and record.state == "open"
        )
        if self - waiting:
            raise UserError(
                self.env._(
                    "%(record)s is not a customer request waiting for an answer.",
                    record=(self - waiting)[0].display_name,
                )
            )

    @api.model
    def _get_one_customer_message(self):
        raise NotImplementedError()

    @api.model
    def _get_new_action_name(self):
        raise NotImplementedError()

    @api.model
    def _action_new(self, invoices, extra_context=None):
        """The form of a new record for ``invoices``, ready to complete."""
        return {
            "type": "ir.actions.act_window",
            "name": self._get_new_action_name(),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {**self._get_default_vals(invoices), **(extra_context or {})},
        }
