# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CollectionWhatsappTemplate(models.Model):
    """A WhatsApp message template approved by Meta, for one level and one language.

    In automatic mode the level's WhatsApp messages are sent through the WhatsApp Business
    Cloud API with the template of the customer's language (else the company's, else the
    first one). Its body takes five parameters, in this order: the customer, the company,
    the amount due, the advisor, the advisor's phone.
    """

    _name = "collection.whatsapp.template"
    _description = "Collections WhatsApp Template"
    _order = "level_id, id"

    level_id = fields.Many2one("collection.level", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="level_id.company_id", store=True)
    lang = fields.Selection(
        selection="_get_languages",
        string="Language",
        required=True,
        help="Customers reading this language receive this template.",
    )
    template_name = fields.Char(
        required=True, help="Name of the template approved in WhatsApp Manager."
    )
    language_code = fields.Char(
        required=True,
        help="Language code of the approved template in WhatsApp Manager, e.g. es_MX or en_US.",
    )

    _level_lang_uniq = models.Constraint(
        "UNIQUE(level_id, lang)",
        "A level has one WhatsApp template per language.",
    )

    @api.model
    def _get_languages(self):
        return self.env["res.lang"].get_installed()

    @api.onchange("lang")
    def _onchange_lang(self):
        for template in self:
            if template.lang and not template.language_code:
                template.language_code = template.lang
