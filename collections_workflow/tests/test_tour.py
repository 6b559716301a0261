# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionsTour(CollectionRunCase, HttpCase):
    def test_advisor_reaches_customer_collections_tab(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.start_tour("/odoo", "collections_workflow_advisor_tour", login="cw_bruno")

    def test_advisor_works_the_worklist(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.init_invoice("out_invoice", partner=self.customer_carla, amounts=[400.0], post=True)
        self.start_tour("/odoo", "collections_workflow_worklist_tour", login="cw_bruno")
        call = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer_bruno.id)]
        )
        self.assertEqual(call.user_id, self.user_bruno, "the call planned from the worklist")

    def test_advisor_records_a_promise_from_the_worklist(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        self.start_tour("/odoo", "collections_workflow_promise_tour", login="cw_bruno")
        promise = self.env["collection.promise"].search(
            [("partner_id", "=", self.customer_bruno.id)]
        )
        self.assertEqual(promise.invoice_ids, invoice)
        self.assertEqual(promise.amount, 900.0)
        self.assertEqual(str(promise.promise_date), "2026-12-31")
        self.assertEqual(promise.note, "Paga a fin de mes")
        self.assertEqual(invoice.collection_status, "promised")
