# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import CollectionRunCase

INVOICE_URL = "/odoo/action-account.action_move_out_invoice_type/%s"


@tagged("post_install", "-at_install")
class TestCollectionsTourFlows(CollectionRunCase, HttpCase):
    """Disputes, promises from the invoice, the KPI report, the overview and the
    customer's Collections tab, clicked through by each role."""

    def _speak_spanish(self, user):
        self.env["res.lang"]._activate_lang("es_CL")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_CL"])
        user.lang = "es_CL"

    def test_advisor_opens_a_dispute_from_the_invoice_in_spanish(self):
        self._speak_spanish(self.user_bruno)
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        self.start_tour(
            INVOICE_URL % invoice.id, "collections_workflow_dispute_open_tour", login="cw_bruno"
        )
        dispute = invoice.collection_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.partner_id, self.customer_bruno)
        self.assertEqual(
            dispute.reason_id,
            self.env["collection.dispute.reason"].search([], limit=1),
            "the first reason proposed",
        )
        self.assertIn("Faltan 3 cajas", dispute.note)
        self.assertEqual(dispute.user_id, self.user_bruno)
        self.assertTrue(dispute.name.startswith("DISP/"))
        self.assertEqual(invoice.collection_status, "disputed")

    def test_supervisor_resolves_a_dispute_of_the_team(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        dispute = self.env["collection.dispute"].create(
            {
                "partner_id": self.customer_bruno.id,
                "invoice_ids": [invoice.id],
                "reason_id": self.env.ref("collections_workflow.dispute_reason_quantity").id,
                "user_id": self.user_bruno.id,
            }
        )
        self.assertEqual(dispute.supervisor_id, self.ana)
        self.start_tour("/odoo", "collections_workflow_dispute_resolve_tour", login="cw_ana")
        self.assertEqual(dispute.state, "company")
        self.assertEqual(dispute.resolution_note, "Las cajas se entregaron")
        self.assertEqual(invoice.collection_status, "active", "the reminders resume")

    def test_advisor_records_a_promise_from_the_invoice_tab(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True
        )
        self.start_tour(
            INVOICE_URL % invoice.id, "collections_workflow_invoice_promise_tour", login="cw_bruno"
        )
        promise = invoice.collection_promise_ids
        self.assertEqual(len(promise), 1)
        self.assertEqual(promise.invoice_ids, invoice, "only the invoice it was recorded from")
        self.assertEqual(promise.amount, 900.0)
        self.assertEqual(str(promise.promise_date), "2026-12-24")
        self.assertEqual(promise.note, "Paga antes de Navidad")
        self.assertEqual(invoice.collection_status, "promised")

    def test_supervisor_computes_the_kpi_report(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.init_invoice("out_invoice", partner=self.customer_elena, amounts=[700.0], post=True)
        self.start_tour("/odoo", "collections_workflow_kpi_report_tour", login="cw_ana")
        report = self.env["collection.kpi.report"].search([("create_uid", "=", self.user_ana.id)])
        self.assertEqual(len(report), 1)
        self.assertEqual(str(report.date_from), "2026-09-01")
        self.assertEqual(str(report.date_to), "2026-11-30")
        self.assertNotIn(
            "Elena Flores", report.line_ids.mapped("name"), "the other team is not reported"
        )

    def test_supervisor_opens_the_overview(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.init_invoice("out_invoice", partner=self.customer_carla, amounts=[400.0], post=True)
        self.init_invoice("out_invoice", partner=self.customer_elena, amounts=[700.0], post=True)
        self.start_tour("/odoo", "collections_workflow_supervisor_dashboard_tour", login="cw_ana")

    def test_supervisor_gives_a_team_customer_to_another_advisor(self):
        self.init_invoice("out_invoice", partner=self.customer_bruno, amounts=[900.0], post=True)
        self.start_tour("/odoo", "collections_workflow_supervisor_customer_tour", login="cw_ana")
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.carla)

    def test_advisor_sees_no_vendors_menu(self):
        self.start_tour("/odoo", "collections_workflow_advisor_menus_tour", login="cw_bruno")
