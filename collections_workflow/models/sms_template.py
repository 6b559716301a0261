# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    def write(self, vals):
        result = super().write(vals)
        if "body" in vals:
            # a template a collection level sends must keep naming the company and advisor
            self.env["collection.level"]._check_templates_in_use(self)
        return result
