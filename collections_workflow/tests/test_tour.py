# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
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
        file = self.env["collection.file"].search([("partner_id", "=", self.customer_bruno.id)])
        call = self.env["mail.activity"].search(
            [("res_model", "=", "collection.file"), ("res_id", "=", file.id)]
        )
        self.assertEqual(call.user_id, self.user_bruno, "the call planned from the worklist")
        self.assertEqual(len(call), 1, "on the customer's collections file, once")

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

    def test_manual_action_from_the_invoice_tab(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "collections_workflow_invoice_action_tour",
            login="cw_bruno",
        )
        self.assertEqual(str(invoice.collection_paused_until), "2026-12-20")
        self.assertEqual(invoice.collection_status, "paused")

    def test_manual_action_from_the_worklist_menu(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        self.start_tour("/odoo", "collections_workflow_worklist_action_tour", login="cw_bruno")
        events = self.env["collection.event"].search([("invoice_id", "=", invoice.id)])
        self.assertEqual(
            events.filtered(lambda event: event.state == "done").level_id,
            invoice.collection_last_level_id,
            "sent now, from the worklist's Actions menu",
        )

    def test_manager_goes_live_from_todays_collections_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_CL")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_CL"])
        self.user_manager.lang = "es_CL"
        self.env["collection.run.log"].search([]).unlink()
        invoice = self._invoice(self.customer_bruno, due=fields.Date.today() - timedelta(days=90))
        self.start_tour("/odoo", "collections_workflow_go_live_tour", login="cw_manager")
        self.assertTrue(self.env["collection.run"]._is_automatic())
        self.assertFalse(invoice.collection_event_ids, "switching on sends nothing by itself")
        self.assertTrue(self.env["collection.run"]._is_catch_up_day(fields.Date.today()))
