# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily run's second worker is new: switched on where the run is."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    run = env["collection.run"]
    run._get_worker_cron().active = run._is_automatic()
