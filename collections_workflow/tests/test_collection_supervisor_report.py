# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from ..report.collection_supervisor_report import CollectionSupervisorReport
from .common import ADVISOR_GROUP, DUE, CollectionRunCase

REPORT = "collections_workflow.action_report_collection_supervisor"
MONDAY = date(2026, 4, 27)


@tagged("post_install", "-at_install")
class TestCollectionSupervisorReport(CollectionRunCase):
    """The supervisor's report shows its team's portfolio, promises, disputes, tasks and
    figures, and nothing outside it; each role prints only its scope; every Monday each
    supervisor gets it by email, in its language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_felipe = new_test_user(
            cls.env, "cw_felipe", groups=ADVISOR_GROUP, company_id=cls.company.id
        )
        cls.felipe = cls.Staff.create(
            {
                "first_name": "Felipe",
                "last_name": "Araya",
                "supervisor_id": cls.ana.id,
                "user_id": cls.user_felipe.id,
            }
        )
        cls.customer_felipe = cls.env["res.partner"].create(
            {"name": "Ferretería Sur", "is_company": True, "customer_rank": 1}
        )
        cls.customer_felipe.collection_advisor_id = cls.felipe

    def _portfolio(self):
        with freeze_time(MONDAY):
            invoices = {
                "bruno": self._invoice(self.customer_bruno, 1000.0, due=DUE),
                "carla": self._invoice(
                    self.customer_carla, 2500.0, due=MONDAY - timedelta(days=20)
                ),
                "felipe": self._invoice(
                    self.customer_felipe, 400.0, due=MONDAY + timedelta(days=10)
                ),
                "elena": self._invoice(self.customer_elena, 9999.0, due=DUE),
            }
            self.promise = self.env["collection.promise"].create(
                {
                    "partner_id": self.customer_bruno.id,
                    "invoice_ids": invoices["bruno"].ids,
                    "amount": 600.0,
                    "promise_date": MONDAY + timedelta(days=3),
                }
            )
            self.customer_felipe.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=MONDAY - timedelta(days=2),
                summary="Call back about the March invoice",
                user_id=self.user_felipe.id,
            )
        with freeze_time(MONDAY - timedelta(days=5)):
            self.dispute = self.env["collection.dispute"].create(
                {
                    "partner_id": self.customer_carla.id,
                    "invoice_ids": invoices["carla"].ids,
                    "reason_id": self.env.ref("collections_workflow.dispute_reason_price").id,
                }
            )
        return invoices

    def _html(self, staff, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        with freeze_time(MONDAY):
            html, __ = Report._render_qweb_html(REPORT, staff.ids)
        return html.decode() if isinstance(html, bytes) else str(html)

    def test_supervisor_report_with_three_advisors(self):
        self._portfolio()
        self.assertEqual(self.ana.advisor_ids, self.bruno | self.carla | self.felipe)
        html = self._html(self.ana, self.user_ana)
        for name in ("Bruno Soto", "Carla Muñoz", "Felipe Araya"):
            self.assertIn(name, html, "each advisor has its row")
        # the worst account first, with its advisor and amount
        self.assertIn("Viña Santa Emilia", html)
        self.assertIn("2,500.00", html)
        self.assertLess(html.index("Viña Santa Emilia"), html.index("Comercial Andes SpA"))
        # the team's receivables: 1000 + 2500 overdue, 400 not due
        self.assertIn("3,900.00", html)
        self.assertIn("3,500.00", html)
        self.assertIn("600.00", html, "the promise due this week")
        self.assertIn(self.dispute.name, html)
        self.assertIn("Call back about the March invoice", html, "the overdue task")
        # a KPI of the team: 3,500 overdue of 3,900 receivables
        self.assertIn("89.7", html)
        self.assertNotIn("Transportes Cordillera", html, "Diego's team stays out")
        self.assertNotIn("9,999.00", html)
        self.assertNotIn("are listed", html)

    def test_long_lists_are_cut(self):
        self._portfolio()
        self.customer_bruno.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=MONDAY - timedelta(days=9),
            summary="Call about the promise",
            user_id=self.user_bruno.id,
        )
        with patch(f"{CollectionSupervisorReport.__module__}.LIST_LIMIT", 1):
            html = self._html(self.ana)
        self.assertIn("Call about the promise", html, "the oldest task first")
        self.assertNotIn("Call back about the March invoice", html)
        self.assertIn("The first 1 of 2 are listed.", html)

    def test_advisor_report_shows_only_the_advisor(self):
        self._portfolio()
        html = self._html(self.bruno, self.user_ana)
        self.assertIn("Comercial Andes SpA", html)
        self.assertIn("600.00", html, "Bruno's promise")
        for stranger in ("Viña Santa Emilia", "Carla Muñoz", "Ferretería Sur", self.dispute.name):
            self.assertNotIn(stranger, html)
        self.assertNotIn("Call back about the March invoice", html)
        self.assertIn("Comercial Andes SpA", self._html(self.bruno, self.user_bruno))

    def test_each_role_prints_only_its_scope(self):
        self._portfolio()
        with self.assertRaisesRegex(AccessError, "Ana Pérez"):
            self._html(self.ana, self.user_bruno)
        with self.assertRaises(AccessError):
            self._html(self.ana, self.user_diego)
        with self.assertRaises(AccessError):
            self._html(self.carla, self.user_bruno)
        with self.assertRaises(AccessError):
            self._html(self.bruno, self.user_diego)
        self.assertIn("Bruno Soto", self._html(self.bruno, self.user_ana))
        self.assertIn("Transportes Cordillera", self._html(self.diego, self.user_manager))

    def test_weekly_email_to_each_supervisor_in_its_language(self):
        self._portfolio()
        self.env["res.lang"]._activate_lang("es_419")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_419"])
        self.user_diego.lang = "es_419"
        self.diego.email = "diego@example.com"
        template = self.env.ref("collections_workflow.mail_template_collection_supervisor_report")
        # the Spanish subject, whatever the translation files say
        template.with_context(lang="es_419").subject = "Cobranza: equipo de {{ object.name }}"
        silent = self.Staff.create(
            [
                {"first_name": "Gonzalo", "last_name": "Vera", "role": "supervisor"},
                {
                    "first_name": "Hilda",
                    "last_name": "Ortiz",
                    "role": "supervisor",
                    "email": "hilda@example.com",
                    "active": False,
                },
            ]
        )
        staff = self.ana | self.diego | silent
        Report = self.registry["ir.actions.report"]
        render_pdf = Report._render_qweb_pdf
        langs = {}

        def spy(report, report_ref, res_ids=None, data=None):
            langs[tuple(res_ids)] = report.env.lang
            return render_pdf(report, report_ref, res_ids=res_ids, data=data)

        cron = self.env.ref("collections_workflow.ir_cron_collection_supervisor_report")
        with (
            freeze_time(MONDAY),
            self.enter_registry_test_mode(),
            patch.object(Report, "_render_qweb_pdf", spy),
        ):
            cron.method_direct_trigger()
        self.env.invalidate_all()
        mails = self.env["mail.mail"].search(
            [("model", "=", "collection.staff"), ("res_id", "in", staff.ids)]
        )
        by_staff = {mail.res_id: mail for mail in mails}
        self.assertEqual(set(by_staff), {self.ana.id, self.diego.id})
        self.assertEqual(len(mails), 2, "one email per supervisor")
        ana_mail, diego_mail = by_staff[self.ana.id], by_staff[self.diego.id]
        self.assertEqual(ana_mail.email_to, "ana@example.com")
        self.assertEqual(diego_mail.email_to, "diego@example.com")
        self.assertEqual(mails.mapped("state"), ["outgoing", "outgoing"], "queued, not sent")
        self.assertTrue(ana_mail.attachment_ids.name.startswith("Collections Report - Ana Pérez"))
        # the file name in Diego's language too
        self.assertTrue(diego_mail.attachment_ids.name.startswith("Informe de cobranza - Diego"))
        self.assertIn("Felipe Araya", ana_mail.attachment_ids.raw.decode())
        self.assertIn("Transportes Cordillera", diego_mail.attachment_ids.raw.decode())
        self.assertIn("Bruno Soto", ana_mail.body_html, "the body names the team")
        self.assertEqual(
            ana_mail.subject, "Collections report, week of 04/27/2026: Ana Pérez's team"
        )
        self.assertEqual(diego_mail.subject, "Cobranza: equipo de Diego Rojas")
        self.assertNotEqual(ana_mail.subject, diego_mail.subject)
        # (the demo data's supervisors get their reports too)
        self.assertEqual(
            {ids: lang for ids, lang in langs.items() if set(ids) & set(staff.ids)},
            {(self.ana.id,): "en_US", (self.diego.id,): "es_419"},
            "each report is rendered in its supervisor's language",
        )
        self.assertEqual((self.ana | self.diego).mapped("weekly_report_date"), [MONDAY] * 2)

        # once a week: a second run that week sends nothing more
        with freeze_time(MONDAY + timedelta(days=2)), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "collection.staff"), ("res_id", "in", staff.ids)]
            ),
            2,
        )
