# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import CollectionsCommon


@tagged("post_install", "-at_install")
class TestCollectionsTour(CollectionsCommon, HttpCase):
    def test_advisor_reaches_customer_collections_tab(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.start_tour("/odoo", "collections_workflow_advisor_tour", login="cw_bruno")
