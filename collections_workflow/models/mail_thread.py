# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        """A customer's reply to an invoice's collection reminder goes to its collections
        file.

        Collection is a conversation with the customer, not with one invoice: the reply
        lands on the customer's collections file (in the invoice's company), where
        ``collection.file.message_update`` records it for the advisor (see
        ``collection.reply``); never on the customer's chatter, which every employee reads.
        """
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        parent = self.env["mail.message"].sudo().browse(message_dict.get("parent_id")).exists()
        reminder = self.env.ref(
            "collections_workflow.mt_collection_reminder", raise_if_not_found=False
        )
        if not parent or parent.subtype_id != reminder or parent.model != "account.move":
            return routes
        invoice = self.env["account.move"].sudo().browse(parent.res_id).exists()
        if not invoice:
            return routes
        file = self.env["collection.file"]._get_files(
            invoice.commercial_partner_id, invoice.company_id
        )[invoice.commercial_partner_id]
        return [
            ("collection.file", file.id, *route[2:])
            if route[0] == "account.move" and route[1] == invoice.id
            else route
            for route in routes
        ]
