# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_strategy_id = fields.Many2one(
        "collection.strategy",
        string="Default Collection Strategy",
        domain="[('company_id', '=', id)]",
        help="Strategy followed by customers without one of their own or a matching tag.",
    )
