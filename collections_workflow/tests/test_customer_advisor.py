# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import quote_plus

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import CollectionsCommon


@tagged("post_install", "-at_install")
class TestCustomerAdvisor(CollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.customer_bruno, amounts=[1500.0], post=True
        )
        cls.template = cls.env.ref("collections_workflow.mail_template_collection_reminder_sample")

    def test_supervisor_follows_advisor(self):
        self.assertEqual(self.customer_bruno.collection_supervisor_id, self.ana)
        self.customer_bruno.collection_advisor_id = self.elena
        self.assertEqual(self.customer_bruno.collection_supervisor_id, self.diego)

    def test_advisor_per_company(self):
        other = self.setup_other_company(name="Empresa México")["company"]
        mx_advisor = self.Staff.create(
            {
                "first_name": "Alejandro",
                "last_name": "García",
                "company_id": other.id,
                "country_id": self.env.ref("base.mx").id,
                "phone": "33 1234 5601",
            }
        )
        self.customer_bruno.with_company(other).collection_advisor_id = mx_advisor
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.bruno)
        self.assertEqual(self.customer_bruno.with_company(other).collection_advisor_id, mx_advisor)
        other_invoice = self.init_invoice(
            "out_invoice", partner=self.customer_bruno, amounts=[10.0], company=other
        )
        self.assertEqual(other_invoice.collection_advisor_id, mx_advisor)
        self.assertEqual(self.invoice.collection_advisor_id, self.bruno)

    def test_invoice_stores_advisor_and_supervisor(self):
        self.assertEqual(self.invoice.collection_advisor_id, self.bruno)
        self.assertEqual(self.invoice.collection_supervisor_id, self.ana)
        self.customer_bruno.collection_advisor_id = self.elena
        self.assertEqual(self.invoice.collection_advisor_id, self.elena)
        self.assertEqual(self.invoice.collection_supervisor_id, self.diego)

    def test_team_change_follows_on_invoices(self):
        self.bruno.supervisor_id = self.diego
        self.assertEqual(self.invoice.collection_supervisor_id, self.diego)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("id", "=", self.invoice.id), ("collection_supervisor_id", "=", self.diego.id)]
            ),
            1,
            "the stored value changed in the database too",
        )

    def test_vendor_bill_has_no_advisor(self):
        bill = self.init_invoice("in_invoice", partner=self.customer_bruno, amounts=[100.0])
        self.assertFalse(bill.collection_advisor_id)
        self.assertFalse(bill.collection_supervisor_id)

    def test_payment_link_and_its_qr_code(self):
        url = self.invoice.collection_payment_url
        self.assertIn(f"/my/invoices/{self.invoice.id}?", url)
        self.assertIn("access_token=", url)
        self.assertIn("barcode_type=QR", self.invoice.collection_payment_qr_url)
        self.assertIn(quote_plus(url), self.invoice.collection_payment_qr_url)

    def test_contact_person_follows_company_advisor(self):
        contact = self.env["res.partner"].create(
            {"name": "María Contreras", "parent_id": self.customer_bruno.id}
        )
        self.assertEqual(contact.collection_advisor_id, self.bruno)
        invoice = self.init_invoice("out_invoice", partner=contact, amounts=[50.0])
        self.assertEqual(invoice.collection_advisor_id, self.bruno)

    def test_group_invoices_and_customers_by_advisor_and_supervisor(self):
        self.init_invoice("out_invoice", partner=self.customer_carla, amounts=[200.0], post=True)
        self.init_invoice("out_invoice", partner=self.customer_elena, amounts=[300.0], post=True)
        Move = self.env["account.move"]
        by_supervisor = dict(
            Move._read_group(
                [("collection_supervisor_id", "!=", False)],
                ["collection_supervisor_id"],
                ["amount_total:sum"],
            )
        )
        self.assertEqual(by_supervisor, {self.ana: 1700.0, self.diego: 300.0})
        customers = dict(
            self.env["res.partner"]._read_group(
                [("collection_advisor_id", "!=", False)], ["collection_supervisor_id"], ["__count"]
            )
        )
        self.assertEqual(customers, {self.ana: 2, self.diego: 1})
        fields = self.env["res.partner"].fields_get(["collection_supervisor_id"], ["groupable"])
        self.assertTrue(fields["collection_supervisor_id"]["groupable"])

    def test_partner_whatsapp_link_names_customer(self):
        self.assertEqual(
            self.customer_bruno.collection_advisor_whatsapp_url,
            "https://wa.me/56961234511?text=Hello%20Bruno%2C%20this%20is%20Comercial%20Andes"
            "%20SpA%20about%20my%20account.",
        )
        self.assertFalse(self.customer_none.collection_advisor_whatsapp_url)
        self.assertEqual(self.customer_bruno.collection_advisor_phone, "+56961234501")
        self.assertEqual(
            self.customer_bruno.collection_advisor_mailto_link("Factura"),
            "mailto:bruno@example.com?subject=Factura",
        )

    def test_invoice_whatsapp_link_names_customer_and_invoice(self):
        url = self.invoice.collection_advisor_whatsapp_url
        self.assertTrue(url.startswith("https://wa.me/56961234511?text=Hello%20Bruno"))
        self.assertIn("Comercial%20Andes%20SpA", url)
        self.assertIn(self.invoice.name.replace("/", "%2F"), url)

    def test_sample_template_in_english(self):
        body = self.template._render_field("body_html", self.invoice.ids)[self.invoice.id]
        self.assertIn("Bruno Soto", body)
        self.assertIn('href="tel:+56961234501"', body)
        self.assertIn('href="mailto:bruno@example.com"', body)
        self.assertIn('href="https://wa.me/56961234511?text=Hello%20Bruno', body)
        self.assertIn("Ana Pérez", body, "the supervisor is named too")
        self.assertIn("1,500.00", body)

    def test_sample_template_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_CL")
        self.env["ir.module.module"]._load_module_terms(
            ["collections_workflow"], ["es_CL"], overwrite=True
        )
        self.customer_bruno.lang = "es_CL"
        body = self.template._render_field("body_html", self.invoice.ids, compute_lang=True)[
            self.invoice.id
        ]
        subject = self.template._render_field("subject", self.invoice.ids, compute_lang=True)[
            self.invoice.id
        ]
        self.assertIn("Su asesor", body)
        self.assertIn("Hola%20Bruno%2C%20le%20escribe%20Comercial%20Andes%20SpA", body)
        self.assertIn("vence", subject)

    def test_form_assigns_advisor_as_supervisor(self):
        partner = self.customer_none.with_user(self.user_manager)
        with Form(partner) as form:
            form.collection_advisor_id = self.carla
        self.assertEqual(self.customer_none.collection_supervisor_id, self.ana)

    def test_new_customer_with_advisor(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Nueva Cliente SpA",
                "collection_advisor_id": self.elena.id,
                "child_ids": [Command.create({"name": "Contacto"})],
            }
        )
        self.assertEqual(partner.collection_supervisor_id, self.diego)
        self.assertEqual(partner.child_ids.collection_advisor_id, self.elena)
