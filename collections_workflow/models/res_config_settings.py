# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_contact_calendar_id = fields.Many2one(
        related="company_id.collection_contact_calendar_id", readonly=False
    )
    collection_cap_total = fields.Integer(related="company_id.collection_cap_total", readonly=False)
    collection_cap_email = fields.Integer(related="company_id.collection_cap_email", readonly=False)
    collection_cap_sms = fields.Integer(related="company_id.collection_cap_sms", readonly=False)
    collection_cap_whatsapp = fields.Integer(
        related="company_id.collection_cap_whatsapp", readonly=False
    )
    collection_whatsapp_mode = fields.Selection(
        related="company_id.collection_whatsapp_mode", readonly=False
    )
    collection_whatsapp_phone_number_id = fields.Char(
        related="company_id.collection_whatsapp_phone_number_id", readonly=False
    )
    collection_whatsapp_token = fields.Char(
        related="company_id.collection_whatsapp_token", readonly=False
    )
    collection_dispute_alert_days = fields.Integer(
        related="company_id.collection_dispute_alert_days", readonly=False
    )
    collection_payment_check_user_id = fields.Many2one(
        related="company_id.collection_payment_check_user_id", readonly=False
    )
    collection_payment_check_days = fields.Integer(
        related="company_id.collection_payment_check_days", readonly=False
    )
