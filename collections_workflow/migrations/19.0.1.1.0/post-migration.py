# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped levels that write to a customer only after an earlier message (their data
is noupdate): the account statement, the formal letter and the legal hand-over."""

from odoo import SUPERUSER_ID, api

LEVELS = (
    "collection_level_standard_statement",
    "collection_level_standard_letter",
    "collection_level_standard_legal",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in LEVELS:
        level = env.ref(f"collections_workflow.{xmlid}", raise_if_not_found=False)
        if level:
            level.requires_contact = True
