# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The country contact profiles are new: their calendars named in the company's language."""

from odoo import SUPERUSER_ID, api

from odoo.addons.collections_workflow.hooks import name_profile_calendars


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    lang = env.company.partner_id.lang or env.lang
    name_profile_calendars(env(context=dict(env.context, lang=lang)))
