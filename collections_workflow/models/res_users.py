# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _collection_set_home_action(self):
        """Open Collections at login for the users of advisors and supervisors: the
        worklist of their customers (the team's, for a supervisor), in the Invoicing app,
        with the overview one click away.

        Only users without a home action of their own: a user's choice is kept.
        """
        users = self.filtered(lambda user: not user.action_id)
        if users:
            # linking a user to an advisor is a collections manager's act, who may not
            # administer users: the home action is the one field written here
            users.sudo().action_id = self.env.ref(
                "collections_workflow.collection_worklist_action"
            ).id
