# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from datetime import timedelta

from lxml import (
    etree,
    html as lxml_html,
)

from odoo import fields
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from .common import DUE, CollectionRunCase

TODAY = DUE + timedelta(days=45)
SUPERVISOR_REPORT = "report.collections_workflow.report_collection_supervisor"
STATEMENT = "collections_workflow.action_report_collection_statement"


@tagged("post_install", "-at_install")
class TestCollectionNumbers(CollectionRunCase):
    """The same figure wherever it shows: the receivables (open credit notes included)
    in the overview, the KPIs and the aging; the DSO of a scope in the overview, the KPI
    report and the supervisor report; "n/a" for a ratio without a denominator; amounts
    of two currencies each with its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clp = cls.setup_other_currency("CLP", rates=[("2016-01-01", 950.0)])
        cls.Kpi = cls.env["collection.kpi"]
        cls.Aging = cls.env["collection.aging.report"]

    def _move(self, move_type, partner, amount, invoice_date, due=None, currency=None):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due or invoice_date,
                "currency_id": (currency or self.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Servicio", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _dashboard(self, user, company=None):
        Dashboard = self.env["collection.dashboard"].with_user(user)
        if company:
            Dashboard = Dashboard.with_company(company)
        return Dashboard.browse(Dashboard.action_open()["res_id"])

    def _kpi_lines(self, group_by, user=None, company=None):
        """The KPI report on its default period, by name."""
        Report = self.env["collection.kpi.report"]
        if user:
            Report = Report.with_user(user)
        if company:
            Report = Report.with_company(company)
        report = Report.create({"group_by": group_by})
        report.action_compute()
        return {line.name: line for line in report.line_ids}

    def _supervisor_values(self, staff):
        return self.env[SUPERVISOR_REPORT]._get_report_values(staff.ids)["reports"][staff.id]

    def _aging_total(self, user=None, company=None):
        Aging = self.Aging.with_user(user) if user else self.Aging
        company = company or self.company
        [(total,)] = Aging.with_company(company)._read_group(
            [("company_id", "=", company.id)], aggregates=["amount_residual:sum"]
        )
        return total or 0.0

    def test_receivables_agree_with_an_open_credit_note(self):
        invoice = self._move(
            "out_invoice",
            self.customer_bruno,
            1000.0,
            TODAY - timedelta(days=40),
            TODAY - timedelta(days=10),
        )
        self._move(
            "out_invoice",
            self.customer_carla,
            2000.0,
            TODAY - timedelta(days=25),
            TODAY + timedelta(days=5),
        )
        refund = self._move("out_refund", self.customer_bruno, 250.0, TODAY - timedelta(days=5))
        with freeze_time(TODAY):
            self._register_payment(invoice, amount=300.0, payment_date=TODAY)
            # 700 + 2,000 - the open credit note of 250
            expected = 2450.0
            manager = self._dashboard(self.user_manager)
            self.assertAlmostEqual(self._aging_total(), expected)
            self.assertAlmostEqual(manager.receivables, expected)
            period = self.Kpi._get_period(TODAY)
            kpis = self.Kpi._compute_one(*period, "company", self.company.id)
            self.assertAlmostEqual(kpis["ar_end"], expected)
            self.assertAlmostEqual(self._kpi_lines("company")[self.company.name].ar_end, expected)
            # the credit note lowers the bucket of its due date, as a negative amount
            buckets = dict(self.Aging._read_group([], ["bucket"], ["amount_residual:sum"]))
            self.assertEqual(buckets, {"not_due": 2000.0, "1_30": 450.0})
            row = self.Aging.search([("invoice_id", "=", refund.id)])
            self.assertAlmostEqual(row.amount_1_30, -250.0)
            self.assertAlmostEqual(manager.overdue, 450.0)
            # an advisor's, and the supervisor report's
            bruno = self._dashboard(self.user_bruno)
            self.assertAlmostEqual(bruno.receivables, 450.0)
            self.assertAlmostEqual(self._aging_total(self.user_bruno), 450.0)
            team = self._supervisor_values(self.ana)
            self.assertAlmostEqual(team["receivables"], expected)
            self.assertAlmostEqual(team["kpi_total"]["ar_end"], expected)
            self.assertAlmostEqual(dict(team["kpi_rows"])[self.bruno]["ar_end"], 450.0)
            self.assertAlmostEqual(self._dashboard(self.user_ana).receivables, expected)

    def test_receivables_agree_on_the_demo_company(self):
        admin = self.env.ref("base.user_admin")
        advisor = self.env.ref(
            "collections_workflow.user_advisor_cl1_demo", raise_if_not_found=False
        )
        if not advisor:
            self.skipTest("The demo data is not installed.")
        company = advisor.company_id
        supervisor = self.env.ref("collections_workflow.user_supervisor_cl_demo")
        for user in (admin, supervisor, advisor):
            dashboard = self._dashboard(user, company)
            aging = self._aging_total(user, company)
            self.assertAlmostEqual(dashboard.receivables, aging, places=2, msg=user.login)
            Kpi = self.Kpi.with_user(user).with_company(company)
            group, key = dashboard._get_kpi_scope()
            today = fields.Date.context_today(Kpi)
            kpis = Kpi._compute_one(*Kpi._get_period(today), group, key)
            self.assertAlmostEqual(dashboard.receivables, kpis["ar_end"], places=2, msg=user.login)
            self.assertEqual(dashboard.dso, Kpi._format_ratio(kpis["dso"]), user.login)
        # the advisor's DSO in the KPI report and in her collections report
        staff = self.env.ref("collections_workflow.collection_staff_advisor_cl1_demo")
        line = self._kpi_lines("advisor", advisor, company)[staff.display_name]
        self.assertEqual(line.dso, self._dashboard(advisor, company).dso)
        values = self.env[SUPERVISOR_REPORT].with_company(company)._get_report_values(staff.ids)
        [(__, row)] = values["reports"][staff.id]["kpi_rows"]
        self.assertEqual(self.Kpi._format_ratio(row["dso"]), line.dso)
        self.assertAlmostEqual(row["ar_end"], values["reports"][staff.id]["receivables"], 2)

    def test_ratios_without_sales_read_na(self):
        # Carla's customer bought nothing in the period: an old invoice, still owed
        self._move(
            "out_invoice",
            self.customer_carla,
            800.0,
            TODAY - timedelta(days=200),
            TODAY - timedelta(days=170),
        )
        self._move("out_invoice", self.customer_bruno, 500.0, TODAY - timedelta(days=10))
        with freeze_time(TODAY):
            self.assertEqual(self._dashboard(self.user_carla).dso, "n/a")
            kpis = self.Kpi._compute_one(*self.Kpi._get_period(TODAY), "advisor", self.carla.id)
            self.assertIsNone(kpis["dso"])
            self.assertIsNone(kpis["best_dso"])
            self.assertIsNone(kpis["add"])
            self.assertIsNone(kpis["promise_kept_ratio"])
            self.assertEqual(self._dashboard(self.user_carla).dso, "n/a")
            self.assertEqual(self._dashboard(self.user_carla).promise_kept_ratio, "n/a")
            line = self._kpi_lines("advisor")[self.carla.display_name]
            self.assertEqual((line.dso, line.best_dso, line.add), ("n/a", "n/a", "n/a"))
            self.assertAlmostEqual(line.ar_end, 800.0)
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                "collections_workflow.action_report_collection_supervisor", self.carla.ids
            )
        cells = lxml_html.fromstring(html).xpath("//table[@name='kpis']//tbody//td")
        self.assertIn("n/a", [cell.text_content().strip() for cell in cells])
        # an empty portfolio has no ratio either
        empty = self.Kpi._compute_one(*self.Kpi._get_period(TODAY), "advisor", self.elena.id)
        self.assertIsNone(empty["dso"])
        self.assertIsNone(empty["overdue_ratio"])

    def test_same_dso_for_the_same_scope_everywhere(self):
        self._move(
            "out_invoice",
            self.customer_bruno,
            1000.0,
            TODAY - timedelta(days=100),
            TODAY - timedelta(days=70),
        )
        self._move(
            "out_invoice",
            self.customer_bruno,
            500.0,
            TODAY - timedelta(days=20),
            TODAY + timedelta(days=10),
        )
        self._move(
            "out_invoice",
            self.customer_carla,
            300.0,
            TODAY - timedelta(days=60),
            TODAY - timedelta(days=30),
        )
        with freeze_time(TODAY):
            # Bruno: 1,500 owed, 500 sold in the 90 days
            bruno = self._dashboard(self.user_bruno)
            self.assertEqual(bruno.dso, "270.0")
            self.assertEqual(self._kpi_lines("advisor")[self.bruno.display_name].dso, bruno.dso)
            self.assertEqual(
                self._kpi_lines("advisor", self.user_bruno)[self.bruno.display_name].dso,
                bruno.dso,
            )
            team = self._supervisor_values(self.ana)
            row = dict(team["kpi_rows"])[self.bruno]
            self.assertEqual(self.Kpi._format_ratio(row["dso"]), bruno.dso)
            # Ana's team: 1,800 owed, 800 sold
            ana = self._dashboard(self.user_ana)
            self.assertEqual(ana.dso, "202.5")
            self.assertEqual(self._kpi_lines("supervisor")[self.ana.display_name].dso, ana.dso)
            self.assertEqual(self.Kpi._format_ratio(team["kpi_total"]["dso"]), ana.dso)
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                "collections_workflow.action_report_collection_supervisor", self.ana.ids
            )
        cells = lxml_html.fromstring(html).xpath("//table[@name='kpis']//tbody//td")
        texts = [cell.text_content().strip() for cell in cells]
        self.assertIn("270.0", texts)
        self.assertIn("202.5", texts)

    def test_statement_groups_two_currencies(self):
        self._move(
            "out_invoice",
            self.customer_bruno,
            1315.79,
            TODAY - timedelta(days=30),
            TODAY - timedelta(days=10),
        )
        self._move(
            "out_invoice",
            self.customer_bruno,
            1250000.0,
            TODAY - timedelta(days=20),
            TODAY + timedelta(days=10),
            currency=self.clp,
        )
        with freeze_time(TODAY):
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                STATEMENT, self.customer_bruno.ids
            )
        document = lxml_html.fromstring(html)

        def text(node):
            return " ".join(node.text_content().replace("\xa0", " ").split())

        totals = [text(row) for row in document.xpath("//tr[@name='currency_total']")]
        self.assertEqual(len(totals), 2, totals)
        usd, clp = self.company.currency_id, self.clp
        expected = {
            f"Total {usd.name} {usd.format(1315.79)}".replace("\xa0", " "),
            f"Total {clp.name} {clp.format(1250000.0)}".replace("\xa0", " "),
        }
        self.assertEqual(set(totals), expected)
        currencies = sorted((usd, clp), key=lambda currency: currency.name)
        for total, currency in zip(sorted(totals), currencies, strict=True):
            self.assertIn(currency.symbol, total)
        headers = [text(row) for row in document.xpath("//tr[@name='currency']")]
        self.assertEqual(len(headers), 2)
        # every line under the header of its currency, with its symbol
        groups = document.xpath("//table[contains(@class, 'o_main_table')]/tbody")
        self.assertEqual(len(groups), 2)
        for group in groups:
            self.assertEqual(len(group.xpath("./tr")), 3)

    def test_promise_form_shows_the_currencies(self):
        invoice = self._move(
            "out_invoice",
            self.customer_bruno,
            1250000.0,
            TODAY - timedelta(days=40),
            TODAY - timedelta(days=10),
            currency=self.clp,
        )
        Promise = self.env["collection.promise"].with_user(self.user_bruno)
        context = invoice.with_user(self.user_bruno).action_collection_record_promise()["context"]
        with freeze_time(TODAY):
            form = Form(Promise.with_context(**context))
            self.assertEqual(form.currency_id, self.clp)
            self.assertAlmostEqual(form.amount, invoice.amount_residual)
            form.promise_date = TODAY + timedelta(days=7)
            promise = form.save()
        self.assertEqual(promise.currency_id, self.clp)
        # every amount of the form, and of its invoices, has its currency at hand
        arch = etree.fromstring(Promise.get_views([(False, "form")])["views"]["form"]["arch"])
        checked = 0
        for node in arch.iter("field"):
            outer = next(node.iterancestors("field"), None)
            model = self.env["account.move"] if outer is not None else Promise
            field = model._fields[node.get("name")]
            if field.type != "monetary":
                continue
            options = ast.literal_eval(node.get("options") or "{}")
            currency_field = options.get("currency_field") or field.get_currency_field(model)
            scope = next(node.iterancestors("list"), None) if outer is not None else arch
            names = {
                other.get("name")
                for other in scope.iter("field")
                if (next(other.iterancestors("field"), None) is None) == (outer is None)
            }
            self.assertIn(currency_field, names, f"the currency of {field.name}")
            checked += 1
        self.assertGreaterEqual(checked, 4)
