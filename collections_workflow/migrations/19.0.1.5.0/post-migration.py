# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Receipts are new: the invoices paid before the upgrade are not thanked."""

from odoo import SUPERUSER_ID, api, fields


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    paid = env["account.move"].search([("collection_receipt_pending", "=", True)])
    paid.write({"collection_receipt_on": fields.Date.context_today(paid)})
