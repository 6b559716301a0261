# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CollectionDisputeReason(models.Model):
    _name = "collection.dispute.reason"
    _description = "Dispute Reason"
    _order = "sequence, id"

    # price, quantity, quality, not received, duplicate, other: shipped, editable

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
