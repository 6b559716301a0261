# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError


class CollectionConfig(models.TransientModel):
    """Collections' own settings, for the collections managers who do not administer Odoo
    (Invoicing's settings are for administrators only)."""

    _name = "collection.config"
    _inherit = ["collection.settings.mixin"]
    _description = "Collections Settings"

    def _compute_display_name(self):
        for config in self:
            config.display_name = self.env._("Collections Settings")

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        values.update(self._get_collection_values())
        return values

    @api.model_create_multi
    def create(self, vals_list):
        companies = self.env["res.company"].browse(
            vals["company_id"] for vals in vals_list if vals.get("company_id")
        )
        self.check_access("create")
        self._check_collection_companies(companies)
        # the settings are the company's: a collections manager (the model's access is
        # the managers') writes these fields of its own companies without administering them
        return super(CollectionConfig, self.sudo()).create(vals_list).sudo(False)

    def write(self, vals):
        companies = self.env["res.company"].browse(vals.get("company_id")) | self.company_id
        self.check_access("write")
        self._check_collection_companies(companies)
        return super(CollectionConfig, self.sudo()).write(vals)

    def _check_collection_companies(self, companies):
        foreign = companies - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You cannot change the collections settings of %(companies)s.",
                    companies=", ".join(foreign.mapped("name")),
                )
            )

    def action_save(self):
        self.ensure_one()
        self._apply_collection_run()
        return self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.collection_config_action"
        )
