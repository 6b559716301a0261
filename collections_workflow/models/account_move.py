# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from urllib.parse import urlencode

from odoo import api, fields, models

CLOSED_PAYMENT_STATES = ("paid", "in_payment", "reversed")


class AccountMove(models.Model):
    _inherit = "account.move"

    collection_advisor_id = fields.Many2one(
        "collection.staff",
        string="Collections Advisor",
        compute="_compute_collection_staff",
        store=True,
        index="btree_not_null",
        help="The customer's advisor in this invoice's company.",
    )
    collection_supervisor_id = fields.Many2one(
        "collection.staff",
        string="Collections Supervisor",
        compute="_compute_collection_staff",
        store=True,
        index="btree_not_null",
    )
    collection_strategy_id = fields.Many2one(
        "collection.strategy",
        compute="_compute_collection_strategy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Strategy this invoice follows; it comes from the customer when the invoice is "
        "posted.",
    )
    collection_status = fields.Selection(
        [
            ("active", "Active"),
            ("paused", "Paused (Promise)"),
            ("disputed", "Disputed"),
            ("excluded", "Excluded"),
            ("handed_over", "Handed Over"),
            ("done", "Done"),
        ],
        compute="_compute_collection_status",
        store=True,
        index=True,
        help="Only active invoices are reminded. Paid invoices are done.",
    )
    collection_paused = fields.Boolean(string="Paused by a Promise", copy=False, tracking=True)
    collection_disputed = fields.Boolean(string="Disputed", copy=False, tracking=True)
    collection_excluded = fields.Boolean(
        string="Excluded from Collections", copy=False, tracking=True
    )
    collection_handover_partner_id = fields.Many2one(
        "res.partner", string="Handed Over To", copy=False, readonly=True, tracking=True
    )
    collection_payment_url = fields.Char(
        string="Online Payment Link",
        compute="_compute_collection_payment_url",
        help="The invoice on the customer portal, where it can be paid online; the link "
        "carries the invoice's access token.",
    )
    collection_payment_qr_url = fields.Char(
        string="Online Payment QR Code",
        compute="_compute_collection_payment_url",
        help="Image of a QR code of the online payment link, for messages and letters.",
    )
    collection_deferred_until = fields.Datetime(
        string="Collection Step Deferred Until",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The next step waits until then: the customer's contact hours, or its weekly "
        "contact limits.",
    )
    collection_last_level_id = fields.Many2one(
        "collection.level",
        string="Last Level",
        compute="_compute_collection_last",
        store=True,
        help="Latest level the daily run reached for this invoice, acted on or skipped.",
    )
    collection_last_date = fields.Date(
        string="Last Level Date", compute="_compute_collection_last", store=True
    )
    collection_next_level_id = fields.Many2one(
        "collection.level",
        string="Next Level",
        compute="_compute_collection_next",
        store=True,
    )
    collection_next_date = fields.Date(
        string="Next Level Date",
        compute="_compute_collection_next",
        store=True,
        index="btree_not_null",
    )
    collection_event_ids = fields.One2many(
        "collection.event", "invoice_id", string="Collection Events"
    )
    collection_advisor_whatsapp_url = fields.Char(
        string="Advisor WhatsApp Link",
        compute="_compute_collection_advisor_whatsapp_url",
        help="Click-to-chat link to the advisor, with a message naming the customer and "
        "this invoice.",
    )
    collection_charge_level_id = fields.Many2one(
        "collection.level",
        string="Late-Payment Charge Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="This draft invoice holds the late-payment charges added by this collection "
        "level, for accounting to check and post.",
    )

    @api.depends(
        "move_type",
        "company_id",
        "commercial_partner_id.collection_advisor_id",
        "commercial_partner_id.collection_advisor_id.supervisor_id",
    )
    def _compute_collection_staff(self):
        sale_moves = self.filtered(lambda move: move.is_sale_document(include_receipts=True))
        (self - sale_moves).collection_advisor_id = False
        (self - sale_moves).collection_supervisor_id = False
        for company, moves in sale_moves.grouped("company_id").items():
            for move in moves.with_company(company):
                advisor = move.commercial_partner_id.collection_advisor_id
                move.collection_advisor_id = advisor
                move.collection_supervisor_id = advisor.supervisor_id

    @api.depends(
        "state",
        "commercial_partner_id.collection_strategy_id",
        "commercial_partner_id.category_id",
    )
    def _compute_collection_strategy_id(self):
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        for company, moves in invoices.grouped("company_id").items():
            by_partner = self.env["collection.strategy"]._get_strategy_by_partner(
                moves.commercial_partner_id, company
            )
            for move in moves:
                move.collection_strategy_id = by_partner[
                    move.commercial_partner_id.with_company(company)
                ]
        (self - invoices).collection_strategy_id = False

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "amount_residual",
        "collection_paused",
        "collection_disputed",
        "collection_excluded",
        "collection_handover_partner_id",
        "commercial_partner_id.collection_excluded",
    )
    def _compute_collection_status(self):
        for move in self:
            move.collection_status = move._get_collection_status()

    def _compute_collection_payment_url(self):
        for move in self:
            if not move.id or not move.is_invoice(include_receipts=True):
                move.collection_payment_url = move.collection_payment_qr_url = False
                continue
            base_url = move.get_base_url()
            url = base_url + move.get_portal_url()
            move.collection_payment_url = url
            move.collection_payment_qr_url = "{}/report/barcode/?{}".format(
                base_url,
                urlencode({"barcode_type": "QR", "value": url, "width": 240, "height": 240}),
            )

    def _get_collection_status(self):
        """The collection status of one invoice; a hook for promises and disputes."""
        self.ensure_one()
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or self.payment_state in CLOSED_PAYMENT_STATES
            or self.currency_id.is_zero(self.amount_residual)
        ):
            return "done"
        if self.collection_handover_partner_id:
            return "handed_over"
        if (
            self.collection_excluded
            or self.commercial_partner_id.with_company(self.company_id).collection_excluded
        ):
            return "excluded"
        if self.collection_disputed:
            return "disputed"
        if self.collection_paused:
            return "paused"
        return "active"

    @api.depends(
        "collection_event_ids.level_id",
        "collection_event_ids.date",
        "collection_event_ids.state",
    )
    def _compute_collection_last(self):
        # the events are the record of what the run did: no write on the invoice itself;
        # a deferred step has not been taken yet
        for move in self:
            events = move.collection_event_ids.filtered(
                lambda event: event.state != "deferred"
            ).sorted(lambda event: (event.level_id.day_offset, event.date))
            move.collection_last_level_id = events[-1:].level_id
            move.collection_last_date = max(events.mapped("date"), default=False)

    @api.depends(
        "collection_status",
        "collection_strategy_id.level_ids.day_offset",
        "collection_last_level_id",
        "invoice_date_due",
    )
    def _compute_collection_next(self):
        for move in self:
            level = move._get_collection_next_level()
            move.collection_next_level_id = level
            move.collection_next_date = (
                move.invoice_date_due + timedelta(days=level.day_offset) if level else False
            )

    def _get_collection_next_level(self):
        self.ensure_one()
        if self.collection_status != "active" or not self.collection_strategy_id:
            return self.env["collection.level"]
        return self._get_collection_levels_after(self.collection_last_level_id)[:1]

    def _get_collection_levels_after(self, level):
        """The strategy's levels that come after ``level`` (all of them without one)."""
        self.ensure_one()
        levels = self.collection_strategy_id._get_levels_in_order()
        if level:
            levels = levels.filtered(lambda other: other.day_offset > level.day_offset)
        return levels

    @api.depends("collection_advisor_id", "name", "partner_id")
    def _compute_collection_advisor_whatsapp_url(self):
        for move in self:
            advisor = move.collection_advisor_id
            if not advisor:
                move.collection_advisor_whatsapp_url = False
                continue
            text = move.with_context(lang=move.partner_id.lang or self.env.lang).env._(
                "Hello %(advisor)s, this is %(customer)s about invoice %(invoice)s.",
                advisor=advisor.first_name,
                customer=move.commercial_partner_id.name,
                invoice=move.name,
            )
            move.collection_advisor_whatsapp_url = advisor.whatsapp_link_with_text(text)

    def action_collection_open_customer(self):
        """Open the invoice's customer, on its Collections tab."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_collection_schedule_call(self):
        """Plan a call to the customer about this invoice, for the current user, today."""
        self.ensure_one()
        self.env["collection.task"]._plan_call_today(
            self, self.env._("Call about %(invoice)s", invoice=self.name)
        )
        return True
