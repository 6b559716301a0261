# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CollectionsCommon


@tagged("post_install", "-at_install")
class TestCollectionStaff(CollectionsCommon):
    def test_name_is_first_and_last_name(self):
        self.assertEqual(self.bruno.name, "Bruno Soto")
        self.bruno.last_name = "Soto Vidal"
        self.assertEqual(self.bruno.name, "Bruno Soto Vidal")

    def test_numbers_stored_in_e164_with_company_country(self):
        # "9 6123 4501" is a national Chilean mobile: the company is in Chile
        self.assertEqual(self.bruno.phone, "+56961234501")
        self.assertEqual(self.bruno.whatsapp, "+56961234511")

    def test_numbers_read_against_staff_country(self):
        advisor = self.Staff.create(
            {
                "first_name": "Lucía",
                "last_name": "Flores",
                "phone": "912 345 601",
                "country_id": self.env.ref("base.pe").id,
            }
        )
        self.assertEqual(advisor.phone, "+51912345601")
        advisor.write({"country_id": self.env.ref("base.mx").id, "phone": "55 1234 5678"})
        self.assertEqual(advisor.phone, "+525512345678")

    def test_invalid_number_refused_naming_it(self):
        with self.assertRaisesRegex(ValidationError, r"Gabriel Ortiz.*12ab"):
            self.Staff.create({"first_name": "Gabriel", "last_name": "Ortiz", "phone": "12ab"})
        with self.assertRaisesRegex(ValidationError, r"Bruno Soto.*WhatsApp.*\b123\b"):
            self.bruno.whatsapp = "123"
        self.assertEqual(self.bruno.whatsapp, "+56961234511", "nothing half-written")

    def test_one_click_links(self):
        self.assertEqual(self.bruno.phone_link, "tel:+56961234501")
        self.assertEqual(self.bruno.email_link, "mailto:bruno@example.com")
        self.assertEqual(self.bruno.whatsapp_link, "https://wa.me/56961234511")
        # without a WhatsApp number, customers chat with the phone number
        self.assertEqual(self.carla.whatsapp_link, "https://wa.me/56961234502")
        self.assertFalse(self.carla.email_link)
        self.assertEqual(
            self.bruno.whatsapp_link_with_text("Hola Bruno, factura F/001 & más"),
            "https://wa.me/56961234511?text=Hola%20Bruno%2C%20factura%20F%2F001%20%26%20m%C3%A1s",
        )

    def test_supervisor_rules(self):
        with self.assertRaisesRegex(ValidationError, "not a supervisor"):
            self.carla.supervisor_id = self.bruno
        with self.assertRaisesRegex(ValidationError, "cannot report"):
            self.diego.supervisor_id = self.ana
        with self.assertRaisesRegex(ValidationError, "leads a team"):
            self.ana.role = "advisor"

    @mute_logger("odoo.sql_db")
    def test_same_name_refused_in_company(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Staff.create({"first_name": "BRUNO", "last_name": "soto"})

    def test_same_name_allowed_in_other_company_or_role(self):
        other = self.setup_other_company(name="Empresa Perú")["company"]
        twin = self.Staff.create(
            {"first_name": "Bruno", "last_name": "Soto", "company_id": other.id}
        )
        self.assertEqual(twin.company_id, other)
        supervisor = self.Staff.create(
            {"first_name": "Bruno", "last_name": "Soto", "role": "supervisor"}
        )
        self.assertEqual(supervisor.role, "supervisor")

    def test_customer_counts_and_customers_action(self):
        self.assertEqual(self.bruno.customer_count, 1)
        self.assertEqual(self.ana.customer_count, 2, "a supervisor counts the team's customers")
        self.assertEqual(self.diego.customer_count, 1)
        action = self.ana.action_view_customers()
        customers = self.env["res.partner"].search(action["domain"])
        self.assertEqual(customers, self.customer_bruno | self.customer_carla)

    def test_form_creates_advisor_in_team(self):
        form = Form(self.Staff.with_user(self.user_manager))
        form.first_name = "Rosa"
        form.last_name = "Huamán"
        form.phone = "+51 912 345 603"
        form.supervisor_id = self.ana
        advisor = form.save()
        self.assertEqual(advisor.role, "advisor")
        self.assertEqual(advisor.phone, "+51912345603")
        self.assertIn(advisor, self.ana.advisor_ids)
        self.assertEqual(advisor.company_id, self.company)

    def test_linked_users_open_collections_at_login(self):
        worklist = self.env.ref("collections_workflow.collection_worklist_action")
        self.assertEqual(self.user_bruno.action_id.id, worklist.id)
        self.assertEqual(self.user_ana.action_id.id, worklist.id, "the team's worklist")
        # a user's own home action is kept
        user = new_test_user(
            self.env, "cw_rosa", groups="collections_workflow.collections_workflow_group_advisor"
        )
        invoices = self.env.ref("account.action_move_out_invoice_type")
        user.action_id = invoices.id
        form = Form(self.Staff.with_user(self.user_manager))
        form.first_name = "Rosa"
        form.last_name = "Huamán"
        form.user_id = user
        form.supervisor_id = self.ana
        form.save()
        self.assertEqual(user.action_id.id, invoices.id)
