# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import DUE, CollectionRunCase

TODAY = DUE + timedelta(days=45)


@tagged("post_install", "-at_install")
class TestAgingReport(CollectionRunCase):
    """The aging report adds up to the invoices' amounts due, bucket by bucket, and
    each role sees its own scope in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aging = cls.env["collection.aging.report"]

    def _portfolio(self):
        invoices = {
            "not_due": self._invoice(self.customer_bruno, 100.0, due=TODAY + timedelta(days=5)),
            "today": self._invoice(self.customer_bruno, 150.0, due=TODAY),
            "1_30": self._invoice(self.customer_bruno, 200.0, due=TODAY - timedelta(days=30)),
            "31_60": self._invoice(self.customer_carla, 300.0, due=TODAY - timedelta(days=31)),
            "61_90": self._invoice(self.customer_carla, 400.0, due=TODAY - timedelta(days=90)),
            "91_120": self._invoice(self.customer_elena, 500.0, due=TODAY - timedelta(days=91)),
            "over_120": self._invoice(self.customer_elena, 600.0, due=TODAY - timedelta(days=200)),
            "paid": self._invoice(self.customer_elena, 700.0, due=TODAY - timedelta(days=10)),
        }
        with freeze_time(TODAY):
            self._register_payment(invoices["paid"], amount=700.0)
            self._register_payment(invoices["1_30"], amount=50.0)
        return invoices

    def test_totals_equal_the_amounts_due(self):
        invoices = self._portfolio()
        open_invoices = self.env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("amount_residual", "!=", 0),
                ("company_id", "=", self.company.id),
            ]
        )
        with freeze_time(TODAY):
            rows = self.Aging.search([("company_id", "=", self.company.id)])
            by_bucket = {
                bucket: amount
                for bucket, amount in self.Aging._read_group(
                    [("company_id", "=", self.company.id)], ["bucket"], ["amount_residual:sum"]
                )
            }
            # the days late are read on the day the report is opened
            rows.fetch()
        self.assertEqual(rows.invoice_id, open_invoices)
        self.assertNotIn(invoices["paid"], rows.invoice_id)
        self.assertAlmostEqual(
            sum(rows.mapped("amount_residual")), sum(open_invoices.mapped("amount_residual_signed"))
        )
        self.assertEqual(
            by_bucket,
            {
                "not_due": 250.0,  # due in 5 days, and due today
                "1_30": 150.0,  # 30 days late, 50 paid
                "31_60": 300.0,
                "61_90": 400.0,
                "91_120": 500.0,
                "over_120": 600.0,
            },
        )
        row = rows.filtered(lambda r: r.invoice_id == invoices["31_60"])
        self.assertEqual(row.days_late, 31)
        self.assertEqual(row.amount_31_60, 300.0)
        self.assertEqual(row.amount_1_30, 0.0)
        self.assertEqual(row.advisor_id, self.carla)
        self.assertEqual(row.supervisor_id, self.ana)
        self.assertEqual(row.strategy_id, self.standard)
        self.assertEqual(row.action_open_invoice()["res_id"], invoices["31_60"].id)

    def test_credit_notes_count_against_the_customer(self):
        self._invoice(self.customer_bruno, 1000.0)
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer_bruno.id,
                "invoice_date": DUE,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Devolución", "quantity": 1, "price_unit": 250.0, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        with freeze_time(TODAY):
            rows = self.Aging.search([("partner_id", "=", self.customer_bruno.id)])
            self.assertEqual(len(rows), 2)
            self.assertAlmostEqual(sum(rows.mapped("amount_residual")), 750.0)
            self.assertEqual(
                rows.filtered(lambda r: r.invoice_id == refund).amount_residual, -250.0
            )

    def test_each_role_sees_its_scope(self):
        self._portfolio()
        with freeze_time(TODAY):
            seen = {
                user.login: set(self.Aging.with_user(user).search([]).partner_id.mapped("name"))
                for user in (self.user_bruno, self.user_ana, self.user_diego, self.user_manager)
            }
        self.assertEqual(seen["cw_bruno"], {"Comercial Andes SpA"})
        self.assertEqual(seen["cw_ana"], {"Comercial Andes SpA", "Viña Santa Emilia"})
        self.assertEqual(seen["cw_diego"], {"Transportes Cordillera"})
        self.assertEqual(
            seen["cw_manager"],
            {"Comercial Andes SpA", "Viña Santa Emilia", "Transportes Cordillera"},
        )


@tagged("post_install", "-at_install")
class TestDashboard(CollectionRunCase):
    """The overview opens on each user's scope."""

    def test_each_role_sees_its_scope(self):
        self._invoice(self.customer_bruno, 1000.0)
        self._invoice(self.customer_carla, 2000.0)
        self._invoice(self.customer_elena, 4000.0)
        with freeze_time(TODAY):
            self.env["collection.kpi.snapshot"]._take(TODAY - timedelta(days=1))
            seen = {}
            for user in (self.user_bruno, self.user_ana, self.user_diego, self.user_manager):
                Dashboard = self.env["collection.dashboard"].with_user(user)
                action = Dashboard.action_open()
                dashboard = Dashboard.browse(action["res_id"])
                seen[user.login] = dashboard
                self.assertIn("Over", dashboard.aging_html)
                self.assertEqual(
                    dashboard.display_name, "Collections Overview", "its breadcrumb's words"
                )
                self.assertIn("<polyline", dashboard.trend_html)
                self.assertEqual(
                    dashboard.action_open_worklist()["res_model"], "collection.worklist"
                )
            self.assertEqual(seen["cw_bruno"].receivables, 1000.0)
            self.assertEqual(seen["cw_bruno"].scope, "Your customers")
            self.assertEqual(seen["cw_ana"].receivables, 3000.0)
            self.assertEqual(seen["cw_ana"].scope, "Your team's customers")
            self.assertEqual(seen["cw_diego"].receivables, 4000.0)
            self.assertEqual(seen["cw_manager"].receivables, 7000.0)
            self.assertEqual(seen["cw_manager"].overdue, 7000.0)
            self.assertEqual(seen["cw_bruno"].worklist_due, 1)
            self.assertEqual(seen["cw_manager"].worklist_due, 3)
