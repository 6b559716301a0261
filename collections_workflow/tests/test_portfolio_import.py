# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
import re
import zipfile
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CollectionsCommon

HEADER = (
    "name,reference,vat,email,phone,city,country,"
    "advisor first name,advisor last name,advisor phone,"
    "supervisor first name,supervisor last name"
)
GOOD_ROWS = [
    "Ferretería Prueba Norte Ltda.,TST-0001,76111111-1,pagos@elroble.example.com,"
    "+56 2 2345 6701,Santiago,CL,Valentina,Soto,9 6123 4601,Carolina,Fuentes",
    "Agrícola Prueba Sur S.A.,TST-0002,76222222-2,,+56 2 2345 6702,Talca,Chile,"
    "Matías,Muñoz,9 6123 4602,Carolina,Fuentes",
    "Camila Prueba,TST-0003,,camila@example.com,,Temuco,,Valentina,Soto,9 6123 4601,"
    "Carolina,Fuentes",
]


def csv_file(*rows, header=HEADER, encoding="utf-8"):
    return "\n".join([header, *rows]).encode(encoding)


@tagged("post_install", "-at_install")
class TestPortfolioImport(CollectionsCommon):
    def _wizard(self, content, file_name="clientes.csv"):
        return (
            self.env["res.partner.collection.import"]
            .with_user(self.user_manager)
            .create({"file": base64.b64encode(content), "file_name": file_name})
        )

    def _preview(self, content, file_name="clientes.csv"):
        wizard = self._wizard(content, file_name)
        wizard.action_preview()
        return wizard

    def _counts(self):
        return (
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["collection.staff"].with_context(active_test=False).search_count([]),
        )

    def test_preview_writes_nothing(self):
        before = self._counts()
        wizard = self._preview(csv_file(*GOOD_ROWS))
        self.assertEqual(self._counts(), before)
        self.assertEqual((wizard.create_count, wizard.update_count, wizard.refuse_count), (3, 0, 0))
        self.assertEqual(wizard.staff_create_count, 3, "Valentina, Matías and Carolina")
        self.assertEqual(wizard.line_ids.mapped("line_number"), [2, 3, 4])
        self.assertEqual(wizard.line_ids[0].advisor_name, "Valentina Soto")
        self.assertEqual(wizard.line_ids[0].supervisor_name, "Carolina Fuentes")

    def test_import_creates_customers_advisors_supervisors(self):
        wizard = self._preview(csv_file(*GOOD_ROWS))
        action = wizard.action_import()
        partners = self.env["res.partner"].search(action["domain"])
        self.assertEqual(len(partners), 3)
        roble = partners.filtered(lambda p: p.ref == "TST-0001")
        self.assertEqual(roble.name, "Ferretería Prueba Norte Ltda.")
        self.assertEqual(roble.vat, "76111111-1")
        self.assertEqual(roble.country_id, self.env.ref("base.cl"))
        self.assertEqual(roble.collection_advisor_id.name, "Valentina Soto")
        self.assertEqual(roble.collection_advisor_id.phone, "+56961234601")
        self.assertEqual(roble.collection_supervisor_id.name, "Carolina Fuentes")
        self.assertEqual(roble.collection_supervisor_id.role, "supervisor")
        valle = partners.filtered(lambda p: p.ref == "TST-0002")
        self.assertEqual(valle.country_id, self.env.ref("base.cl"), "country by name")
        self.assertEqual(valle.collection_advisor_id.name, "Matías Muñoz")
        camila = partners.filtered(lambda p: p.ref == "TST-0003")
        self.assertEqual(camila.collection_advisor_id, roble.collection_advisor_id)
        self.assertFalse(camila.is_company)
        self.assertEqual(
            self.Staff.search_count([("last_name", "=", "Soto"), ("first_name", "=", "Valentina")]),
            1,
        )

    def test_spanish_headers_in_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(
            [
                "Razón Social",
                "Código",
                "RUT",
                "Teléfono",
                "Nombre Asesor",
                "Apellido Asesor",
                "Teléfono Asesor",
                "Nombre Supervisor",
                "Apellido Supervisor",
            ]
        )
        sheet.append(
            [
                "Textil Prueba SpA",
                "TST-0100",
                "76333333-3",
                "+56 2 2345 6703",
                "Bruno",
                "Soto",
                "+56 9 6123 4501",
                "Ana",
                "Pérez",
            ]
        )
        sheet.append(["Hotel Prueba S.A.", "TST101", None, None, "bruno", "SOTO", None, None, None])
        content = io.BytesIO()
        workbook.save(content)
        wizard = self._preview(content.getvalue(), "cartera.xlsx")
        self.assertEqual((wizard.create_count, wizard.refuse_count), (2, 0))
        self.assertEqual(wizard.staff_create_count, 0, "Bruno and Ana already exist")
        wizard.action_import()
        hotel = self.env["res.partner"].search([("ref", "=", "TST101")])
        self.assertEqual(hotel.collection_advisor_id, self.bruno, "matched ignoring case")
        self.assertEqual(
            self.env["res.partner"].search([("ref", "=", "TST-0100")]).collection_supervisor_id,
            self.ana,
        )

    def test_file_without_advisor_columns(self):
        content = csv_file(
            "Panadería Prueba SpA,TST-0200,76444444-4,,,Santiago,CL",
            header="name,reference,vat,email,phone,city,country",
        )
        staff_before = self._counts()[1]
        wizard = self._preview(content)
        self.assertEqual((wizard.create_count, wizard.staff_create_count), (1, 0))
        wizard.action_import()
        partner = self.env["res.partner"].search([("ref", "=", "TST-0200")])
        self.assertEqual(partner.name, "Panadería Prueba SpA")
        self.assertEqual(partner.customer_rank, 1)
        self.assertFalse(partner.collection_advisor_id)
        self.assertEqual(self._counts()[1], staff_before)

    def test_updates_existing_customers_by_reference_and_vat(self):
        self.customer_none.write({"ref": "TST-0001"})
        by_vat = self.env["res.partner"].create(
            {"name": "Agrícola Prueba Sur", "vat": "76222222-2", "is_company": True}
        )
        wizard = self._preview(csv_file(*GOOD_ROWS))
        self.assertEqual((wizard.create_count, wizard.update_count), (1, 2))
        updated = wizard.line_ids.filtered(lambda line: line.action == "update")
        self.assertEqual(updated.partner_id, self.customer_none | by_vat)
        wizard.action_import()
        self.assertEqual(self.customer_none.name, "Ferretería Prueba Norte Ltda.")
        self.assertEqual(self.customer_none.collection_advisor_id.name, "Valentina Soto")
        self.assertEqual(by_vat.collection_advisor_id.name, "Matías Muñoz")

    def test_existing_advisor_gets_file_phone_and_team(self):
        self.customer_bruno.ref = "TST-ANDES"
        row = "Comercial Andes SpA,TST-ANDES,,,,,,Bruno,Soto,+56 9 6123 4777,Diego,Rojas"
        wizard = self._preview(csv_file(row))
        self.assertEqual((wizard.update_count, wizard.staff_create_count), (1, 0))
        wizard.action_import()
        self.assertEqual(self.bruno.phone, "+56961234777")
        self.assertEqual(self.bruno.supervisor_id, self.diego)
        self.assertEqual(self.customer_bruno.collection_supervisor_id, self.diego)

    def _assert_refused(self, content, *messages, file_name="clientes.csv"):
        before = self._counts()
        wizard = self._preview(content, file_name)
        refused = wizard.line_ids.filtered(lambda line: line.action == "refuse")
        self.assertTrue(refused)
        text = "\n".join(refused.mapped("message"))
        for message in messages:
            self.assertIn(message, text)
        with self.assertRaisesRegex(UserError, "nothing was imported"):
            wizard.action_import()
        self.assertEqual(self._counts(), before, "an error anywhere writes nothing")
        return wizard

    def test_bad_phone_refused_with_line_and_column(self):
        bad = GOOD_ROWS[1].replace("9 6123 4602", "12345")
        wizard = self._assert_refused(
            csv_file(GOOD_ROWS[0], bad, GOOD_ROWS[2]),
            "Line 3, column Advisor Phone: the number 12345 is not valid",
        )
        self.assertEqual((wizard.create_count, wizard.refuse_count), (2, 1))

    def test_missing_name_refused(self):
        self._assert_refused(
            csv_file(GOOD_ROWS[0], ",TST-0009,,,,,,,,,,"),
            "Line 3, column Name: the customer name is missing.",
        )

    def test_duplicate_rows_refused(self):
        self._assert_refused(
            csv_file(GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]),
            "Line 4: the same customer is already on line 2.",
        )

    def test_incomplete_advisor_and_unknown_country_refused(self):
        self._assert_refused(
            csv_file(
                "Café Prueba,PE-1,,,,,Narnia,,,,,",
                "Textiles Prueba,PE-2,,,,,PE,Lucía,,912 345 601,,",
            ),
            "Line 2, column Country: unknown country Narnia.",
            "Line 3, column Advisor Last Name: the advisor needs a first and a last name.",
        )

    def test_unknown_encoding_refused(self):
        content = csv_file(*GOOD_ROWS).decode().encode("utf-16-le")
        with self.assertRaisesRegex(UserError, "encoding of clientes.csv is not recognised"):
            self._preview(content)

    def test_latin_american_excel_csv(self):
        content = csv_file(
            *(row.replace(",", ";") for row in GOOD_ROWS),
            header=HEADER.replace(",", ";"),
            encoding="cp1252",
        )
        wizard = self._preview(content)
        self.assertEqual((wizard.create_count, wizard.refuse_count), (3, 0))
        self.assertEqual(wizard.line_ids[1].name, "Agrícola Prueba Sur S.A.")

    def test_empty_and_broken_files_refused(self):
        for content, name in (
            (b"", "vacio.csv"),
            (HEADER.encode(), "solo_encabezado.csv"),
            (b"PK\x03\x04 not really a workbook", "roto.xlsx"),
            (b"foo,bar\n1,2", "sin_nombre.csv"),
        ):
            with self.subTest(name=name), self.assertRaises(UserError):
                self._preview(content, name)

    def test_unknown_columns_are_reported_and_ignored(self):
        wizard = self._preview(csv_file("Librería Prueba,TST-7", header="name,reference,notes"))
        self.assertEqual(wizard.ignored_columns, "notes")
        self.assertEqual(wizard.create_count, 1)

    def test_fifty_thousand_rows(self):
        rows = [
            f"Cliente {index:05d} SpA,R{index:05d},,,,,CL,Asesor{index % 40},Apellido,"
            f"9 6123 {4000 + index % 40:04d},Super{index % 3},Visor"
            for index in range(50000)
        ]
        before = self._counts()
        # checked in the request only when an administrator allows that many rows
        self._set_limits(max_rows=50000)
        wizard = self._preview(csv_file(*rows))
        self.assertEqual((wizard.create_count, wizard.refuse_count), (50000, 0))
        self.assertEqual(wizard.staff_create_count, 43)
        self.assertEqual(len(wizard.line_ids), 50000)
        self.assertEqual(self._counts(), before)

    def test_users_and_companies_are_not_customers(self):
        admin = self.env.ref("base.partner_admin")
        # shared by every company, as on most databases
        admin.company_id = False
        admin_email = admin.email
        company_partner = self.company.partner_id
        company_partner.vat = "76999999-9"
        ana = self.user_ana.partner_id
        rows = [
            f"{admin.name},,,pirata@example.com,,,,Bruno,Soto,,,",
            "Otra Razón Social,,76999999-9,pirata@example.com,,,,Bruno,Soto,,,",
            f"{ana.name},,,pirata@example.com,,,,Bruno,Soto,,,",
        ]
        wizard = self._assert_refused(
            csv_file(*rows),
            f"Line 2: {admin.name} is the contact of an Odoo user or of a company",
            "Line 3:",
            "Line 4:",
        )
        self.assertEqual(wizard.refuse_count, 3)
        self.assertFalse(wizard.line_ids.partner_id, "no user's or company's partner shown")
        self.assertEqual(admin.email, admin_email)
        self.assertFalse((admin | company_partner | ana).collection_advisor_id)

    def test_customer_named_like_a_user_with_its_own_reference(self):
        ana = self.user_ana.partner_id
        wizard = self._preview(csv_file(f"{ana.name},TST-ANA,,ana.cliente@example.com,,,,,,,,"))
        self.assertEqual((wizard.create_count, wizard.refuse_count), (1, 0))
        wizard.action_import()
        self.assertNotEqual(ana.email, "ana.cliente@example.com")
        customer = self.env["res.partner"].search([("ref", "=", "TST-ANA")])
        self.assertEqual(customer.name, ana.name)

    def _assert_file_refused(self, content, file_name, message):
        before = self._counts()
        wizard = self._wizard(content, file_name)
        with self.assertRaises(UserError) as caught:
            wizard.action_preview()
        self.assertIn(file_name, str(caught.exception))
        self.assertIn(message, str(caught.exception))
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self._counts(), before)

    def test_damaged_workbooks_refused_naming_the_file(self):
        workbook = openpyxl.Workbook()
        workbook.active.append(["Nombre"])
        workbook.active.append(["Textil Prueba SpA"])
        content = io.BytesIO()
        workbook.save(content)

        def rewrite(member, change):
            out = io.BytesIO()
            with (
                zipfile.ZipFile(io.BytesIO(content.getvalue())) as zin,
                zipfile.ZipFile(out, "w") as zout,
            ):
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    zout.writestr(item, change(data) if item.filename == member else data)
            return out.getvalue()

        self._assert_file_refused(
            rewrite("xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2]),
            "hoja_cortada.xlsx",
            "cannot be read as an XLSX workbook",
        )
        self._assert_file_refused(
            rewrite("xl/workbook.xml", lambda data: data[:50]),
            "libro_roto.xlsx",
            "cannot be read as an XLSX workbook",
        )
        self._assert_file_refused(
            rewrite(
                "xl/workbook.xml",
                lambda data: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data),
            ),
            "sin_hojas.xlsx",
            "has no worksheet",
        )

    def test_files_in_other_encodings_refused(self):
        for encoding, name in (("koi8-r", "Иванов Сергей"), ("shift_jis", "株式会社テスト")):
            with self.subTest(encoding=encoding):
                self._assert_file_refused(
                    csv_file(f"{name},TST-9,,,,,,,,,,,").decode().encode(encoding),
                    f"clientes_{encoding}.csv",
                    "Save it as CSV UTF-8 or as XLSX",
                )

    def test_formulas_stored_as_text(self):
        content = io.StringIO()
        writer = csv.writer(content)
        writer.writerow(HEADER.split(","))
        writer.writerow(
            [
                '=HYPERLINK("http://pago.example.com/x","Pagar")',
                "+SUM(1;2)",
                "-76111111-1",
                "pagos@formula.example.com",
                "+56 2 2345 6701",
                "@Santiago",
                "CL",
                "=cmd|' /C calc'!A0",
                "-Soto",
                "+56 9 6123 4601",
                "\t=1+1",
                "Fuentes",
            ]
        )
        wizard = self._preview(content.getvalue().encode())
        self.assertEqual((wizard.create_count, wizard.refuse_count), (1, 0))
        wizard.action_import()
        partner = self.env["res.partner"].search([("email", "=", "pagos@formula.example.com")])
        self.assertEqual(partner.name, '\'=HYPERLINK("http://pago.example.com/x","Pagar")')
        self.assertEqual(partner.ref, "'+SUM(1;2)")
        self.assertEqual(partner.vat, "'-76111111-1")
        self.assertEqual(partner.city, "'@Santiago")
        self.assertEqual(partner.phone, "+56223456701", "a phone stays a phone")
        advisor = partner.collection_advisor_id
        self.assertEqual((advisor.first_name, advisor.last_name), ("'=cmd|' /C calc'!A0", "'-Soto"))
        self.assertEqual(advisor.phone, "+56961234601")
        self.assertEqual(partner.collection_supervisor_id.first_name, "'=1+1")

    def test_formula_in_email_refused(self):
        self._assert_refused(
            csv_file('Correo Prueba,TST-E1,,=HYPERLINK("http://x")@example.com,,,,,,,,'),
            'Line 2, column Email: =HYPERLINK("http://x")@example.com is not an email address.',
        )
        self._assert_refused(
            csv_file("Correo Prueba,TST-E2,,=1+1@example.com,,,,,,,,"),
            "Line 2, column Email: =1+1@example.com is not an email address.",
        )

    def _set_limits(self, **limits):
        for key, value in limits.items():
            self.env["ir.config_parameter"].set_param(f"collections_workflow.import_{key}", value)

    def _rows(self, count):
        return [
            f"Cliente {index:05d} SpA,R{index:05d},,,,,CL,Valentina,Soto,9 6123 4601,,"
            for index in range(count)
        ]

    def test_file_over_the_size_limit_refused(self):
        content = csv_file(*self._rows(90000))
        self.assertGreater(len(content), 5 * 1024 * 1024)
        self._assert_file_refused(content, "grande.csv", "more than the 5 MB a customer file")

    def test_rows_over_the_limits_without_background(self):
        self._set_limits(max_rows=2, max_rows_background=0)
        self.assertEqual(self._wizard(b"").limits_note, "Files of up to 5 MB and 2 customers.")
        self._assert_file_refused(
            csv_file(*GOOD_ROWS), "clientes.csv", "holds more than 2 customers, the most"
        )

    def _run_import_cron(self):
        cron = self.env.ref("collections_workflow.ir_cron_collection_import")
        with self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        self.assertFalse(isinstance(result, dict) and result.get("type") == "ir.actions.client")

    def _result_message(self, job):
        # sudo: a notification is only the recipient's to read
        message = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", job._name),
                    ("res_id", "=", job.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        self.assertEqual(message.partner_ids, self.user_manager.partner_id)
        return message

    def test_longer_file_imported_in_the_background(self):
        wizard = self._wizard(csv_file(*self._rows(5001)))
        self.assertIn("Up to 5,000 customers are checked here", wizard.limits_note)
        self.assertIn("up to 20,000 customers, are imported in the background", wizard.limits_note)
        wizard.action_preview()
        self.assertEqual(wizard.state, "background", "5,000 rows at most in a request")
        self.assertIn("more than 5,000 customers", wizard.background_note)
        self.assertFalse(wizard.line_ids)
        before = self._counts()
        cron = self.env.ref("collections_workflow.ir_cron_collection_import")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        wizard.action_import_background()
        self.assertEqual(self._counts(), before, "nothing written in the request")
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        job = self.env["collection.import.job"].search([("user_id", "=", self.user_manager.id)])
        self.assertEqual(job.state, "queued")
        self._run_import_cron()
        self.assertEqual((job.state, job.create_count, job.update_count), ("done", 5001, 0))
        partner = self.env["res.partner"].search([("ref", "=", "R05000")])
        self.assertEqual(partner.collection_advisor_id.name, "Valentina Soto")
        self.assertEqual(partner.create_uid, self.user_manager, "imported as its user")
        self.assertIn("5001 customers created, 0 updated", self._result_message(job).body)

    def test_background_import_refused_writes_nothing(self):
        self._set_limits(max_rows=1, max_rows_background=10)
        bad = GOOD_ROWS[1].replace("9 6123 4602", "12345")
        wizard = self._preview(csv_file(GOOD_ROWS[0], bad, GOOD_ROWS[2]))
        self.assertEqual(wizard.state, "background")
        before = self._counts()
        wizard.action_import_background()
        self._run_import_cron()
        job = self.env["collection.import.job"].search([("user_id", "=", self.user_manager.id)])
        self.assertEqual(self._counts(), before)
        self.assertEqual((job.state, job.refuse_count), ("refused", 1))
        body = self._result_message(job).body
        self.assertIn("1 rows of clientes.csv are refused, so nothing was imported", body)
        self.assertIn("Line 3, column Advisor Phone: the number 12345 is not valid", body)

    def test_background_import_over_the_hard_limit(self):
        self._set_limits(max_rows=1, max_rows_background=2)
        before = self._counts()
        self._preview(csv_file(*GOOD_ROWS)).action_import_background()
        self._run_import_cron()
        job = self.env["collection.import.job"].search([("user_id", "=", self.user_manager.id)])
        self.assertEqual((job.state, self._counts()), ("refused", before))
        self.assertIn("holds more than 2 customers, the most", self._result_message(job).body)

    def test_background_import_interrupted_is_reported(self):
        self._set_limits(max_rows=1, max_rows_background=10)
        self._preview(csv_file(*GOOD_ROWS)).action_import_background()
        job = self.env["collection.import.job"].search([("user_id", "=", self.user_manager.id)])
        job.sudo().state = "running"  # as a worker killed in the middle of it leaves it
        self._run_import_cron()
        self.assertEqual(job.state, "failed")
        self.assertIn("was interrupted", self._result_message(job).body)

    def test_background_import_unexpected_error_reported(self):
        self._set_limits(max_rows=1, max_rows_background=10)
        self._preview(csv_file(*GOOD_ROWS)).action_import_background()
        Wizard = type(self.env["res.partner.collection.import"])
        before = self._counts()
        original_apply = Wizard._apply

        def apply_then_fail(wizard, plan):
            original_apply(wizard, plan)
            raise ZeroDivisionError

        with (
            patch.object(Wizard, "_apply", apply_then_fail),
            self.assertLogs("odoo.addons.collections_workflow.models.collection_import_job"),
        ):
            self._run_import_cron()
        job = self.env["collection.import.job"].search([("user_id", "=", self.user_manager.id)])
        self.assertEqual((job.state, self._counts()), ("failed", before), "all undone")
        self.assertIn("unexpected error (ZeroDivisionError)", self._result_message(job).body)
