# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "collection.settings.mixin"]

    @api.model
    def get_values(self):
        values = super().get_values()
        values.update(self._get_collection_values())
        return values

    def set_values(self):
        res = super().set_values()
        self._apply_collection_run()
        return res
