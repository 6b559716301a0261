# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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
    collection_advisor_whatsapp_url = fields.Char(
        string="Advisor WhatsApp Link",
        compute="_compute_collection_advisor_whatsapp_url",
        help="Click-to-chat link to the advisor, with a message naming the customer and "
        "this invoice.",
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
