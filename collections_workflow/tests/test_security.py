# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ADVISOR_GROUP, CollectionsCommon


@tagged("post_install", "-at_install")
class TestCollectionsSecurity(CollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_bruno = cls.init_invoice(
            "out_invoice", partner=cls.customer_bruno, amounts=[100.0], post=True
        )
        cls.invoice_carla = cls.init_invoice(
            "out_invoice", partner=cls.customer_carla, amounts=[200.0], post=True
        )
        cls.invoice_elena = cls.init_invoice(
            "out_invoice", partner=cls.customer_elena, amounts=[300.0], post=True
        )
        cls.invoice_none = cls.init_invoice(
            "out_invoice", partner=cls.customer_none, amounts=[400.0], post=True
        )
        cls.customers = (
            cls.customer_bruno | cls.customer_carla | cls.customer_elena | cls.customer_none
        )
        cls.invoices = cls.invoice_bruno | cls.invoice_carla | cls.invoice_elena | cls.invoice_none

    def _portfolio(self, user):
        return (
            self.env["res.partner"]
            .with_user(user)
            .search([("collection_in_portfolio", "=", True), ("id", "in", self.customers.ids)])
        )

    def _invoices(self, user):
        return self.env["account.move"].with_user(user).search([("id", "in", self.invoices.ids)])

    def test_advisor_portfolio_is_own_customers(self):
        self.assertEqual(self._portfolio(self.user_bruno), self.customer_bruno)
        self.assertTrue(self.customer_bruno.with_user(self.user_bruno).collection_in_portfolio)
        self.assertFalse(self.customer_carla.with_user(self.user_bruno).collection_in_portfolio)

    def test_supervisor_portfolio_is_team(self):
        self.assertEqual(self._portfolio(self.user_ana), self.customer_bruno | self.customer_carla)
        self.assertEqual(self._portfolio(self.user_diego), self.customer_elena)

    def test_manager_portfolio_is_everything(self):
        self.assertEqual(self._portfolio(self.user_manager), self.customers)

    def test_advisor_reads_only_own_invoices(self):
        self.assertEqual(self._invoices(self.user_bruno), self.invoice_bruno)
        self.assertEqual(self.invoice_bruno.with_user(self.user_bruno).amount_total, 100.0)
        with self.assertRaises(AccessError):
            self.invoice_carla.with_user(self.user_bruno).read(["amount_total"])
        lines = (
            self.env["account.move.line"]
            .with_user(self.user_bruno)
            .search([("move_id", "in", self.invoices.ids)])
        )
        self.assertEqual(lines.move_id, self.invoice_bruno)

    def test_advisor_reads_the_payments_of_own_customers(self):
        # the invoice's form shows its payments: without them it does not open
        payments = (
            self.env["account.payment"]
            .sudo()
            .create(
                [
                    {"partner_id": customer.id, "amount": 50.0, "payment_type": "inbound"}
                    for customer in (self.customer_bruno, self.customer_carla)
                ]
            )
        )
        self.assertEqual(
            self.env["account.payment"]
            .with_user(self.user_bruno)
            .search([("id", "in", payments.ids)]),
            payments[0],
        )
        self.assertEqual(
            self.env["account.payment"]
            .with_user(self.user_ana)
            .search([("id", "in", payments.ids)]),
            payments,
            "a supervisor reads her team's",
        )
        self.invoice_bruno.with_user(self.user_bruno).read(["matched_payment_ids"])

    def test_supervisor_reads_team_invoices(self):
        self.assertEqual(self._invoices(self.user_ana), self.invoice_bruno | self.invoice_carla)
        self.assertEqual(self._invoices(self.user_diego), self.invoice_elena)

    def test_manager_reads_all_invoices(self):
        self.assertEqual(self._invoices(self.user_manager), self.invoices)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_advisor_cannot_write_invoices(self):
        with self.assertRaises(AccessError):
            self.invoice_bruno.with_user(self.user_bruno).ref = "changed"

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_advisor_edits_only_own_customers(self):
        # advisors are not contact managers by default: give them that right to see the rule
        self.user_bruno.group_ids += self.env.ref("base.group_partner_manager")
        self.customer_bruno.with_user(self.user_bruno).phone = "+56 2 2345 6789"
        self.assertEqual(self.customer_bruno.phone, "+56 2 2345 6789")
        with self.assertRaises(AccessError):
            self.customer_carla.with_user(self.user_bruno).phone = "+56 2 2345 6789"

    def test_advisor_cannot_reassign_customers(self):
        self.user_bruno.group_ids += self.env.ref("base.group_partner_manager")
        with self.assertRaisesRegex(AccessError, "Comercial Andes SpA"):
            self.customer_bruno.with_user(self.user_bruno).collection_advisor_id = self.carla
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.bruno)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_supervisor_assigns_within_team_only(self):
        self.user_ana.group_ids += self.env.ref("base.group_partner_manager")
        self.customer_bruno.with_user(self.user_ana).collection_advisor_id = self.carla
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.carla)
        with self.assertRaises(AccessError):
            self.customer_elena.with_user(self.user_ana).collection_advisor_id = self.carla

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_supervisor_cannot_give_a_customer_to_another_team(self):
        with self.assertRaisesRegex(AccessError, "Elena .* not in your team"):
            self.customer_bruno.with_user(self.user_ana).collection_advisor_id = self.elena
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.bruno)
        self.customer_bruno.with_user(self.user_manager).collection_advisor_id = self.elena
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.elena)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_contacts_of_another_teams_customer_stay_out_of_reach(self):
        self.assertTrue(self.user_ana.has_group("base.group_partner_manager"))
        Partner = self.env["res.partner"].with_user(self.user_ana)
        vals = {"name": "Cobranzas", "type": "invoice", "email": "x@evil.test"}
        with self.assertRaises(AccessError):
            Partner.create(dict(vals, parent_id=self.customer_elena.id))
        self.assertFalse(self.customer_elena.child_ids, "nothing created")
        contact = self.env["res.partner"].create(
            {"name": "Pagos Cordillera", "parent_id": self.customer_elena.id}
        )
        with self.assertRaises(AccessError):
            contact.with_user(self.user_ana).email = "x@evil.test"
        with self.assertRaises(AccessError):
            contact.with_user(self.user_ana).unlink()
        # the team's customers' contacts, and new customers, are the supervisor's to edit
        own = Partner.create(dict(vals, parent_id=self.customer_bruno.id))
        own.email = "pagos2@andes.example.com"
        self.assertTrue(Partner.create({"name": "Nuevo Cliente SpA", "is_company": True}))

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_only_managers_link_users_to_staff(self):
        with self.assertRaisesRegex(AccessError, "Only a collections manager links a user"):
            self.bruno.with_user(self.user_ana).user_id = self.user_ana
        with self.assertRaises(AccessError):
            self.ana.with_user(self.user_ana).user_id = self.user_diego
        self.assertEqual(self.bruno.user_id, self.user_bruno)
        self.bruno.with_user(self.user_ana).phone = "+56 9 6123 4598"
        self.bruno.with_user(self.user_manager).user_id = self.user_carla
        self.assertEqual(self.bruno.user_id, self.user_carla)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_assignment_of_promises_disputes_and_replies_is_a_managers_act(self):
        promise = self.env["collection.promise"].create(
            {
                "partner_id": self.customer_bruno.id,
                "invoice_ids": [(6, 0, self.invoice_bruno.ids)],
                "promise_date": self.invoice_bruno.invoice_date_due,
                "amount": 50.0,
            }
        )
        dispute = self.env["collection.dispute"].create(
            {
                "partner_id": self.customer_bruno.id,
                "invoice_ids": [(6, 0, self.invoice_bruno.ids)],
                "reason_id": self.env["collection.dispute.reason"].search([], limit=1).id,
                "user_id": self.user_bruno.id,
            }
        )
        reply = self.env["collection.reply"].create(
            {
                "partner_id": self.customer_bruno.id,
                "company_id": self.company.id,
                "advisor_id": self.bruno.id,
                "supervisor_id": self.ana.id,
                "subject": "Re: factura",
            }
        )
        self.assertEqual(promise.advisor_id, self.bruno)
        for record, vals in (
            (promise, {"advisor_id": self.carla.id}),
            (promise, {"supervisor_id": self.diego.id}),
            (promise, {"partner_id": self.customer_carla.id}),
            (dispute, {"user_id": self.user_carla.id}),
            (dispute, {"advisor_id": self.elena.id}),
            (reply, {"advisor_id": self.carla.id}),
            (reply, {"partner_id": self.customer_carla.id}),
        ):
            with self.assertRaisesRegex(AccessError, "Only a collections manager may change"):
                record.with_user(self.user_bruno).write(vals)
        self.assertEqual(promise.advisor_id, self.bruno)
        self.assertEqual(dispute.user_id, self.user_bruno)
        self.assertEqual(reply.advisor_id, self.bruno)
        promise.with_user(self.user_bruno).note = "Llamó para confirmar"
        dispute.with_user(self.user_manager).user_id = self.user_ana
        self.assertEqual(dispute.user_id, self.user_ana)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_staff_rights_per_role(self):
        Staff = self.env["collection.staff"]
        # everybody in collections reads the staff: names appear on every customer
        self.assertIn(self.elena, Staff.with_user(self.user_bruno).search([]))
        with self.assertRaises(AccessError):
            self.bruno.with_user(self.user_bruno).phone = "+56 9 6123 4599"
        with self.assertRaises(AccessError):
            Staff.with_user(self.user_ana).create({"first_name": "X", "last_name": "Y"})
        self.bruno.with_user(self.user_ana).phone = "+56 9 6123 4599"
        self.assertEqual(self.bruno.phone, "+56961234599")
        with self.assertRaises(AccessError):
            self.elena.with_user(self.user_ana).phone = "+56 9 6123 4599"
        created = Staff.with_user(self.user_manager).create(
            {"first_name": "Rosa", "last_name": "Huamán", "supervisor_id": self.diego.id}
        )
        created.with_user(self.user_manager).unlink()
        self.assertFalse(created.exists())

    def test_staff_multi_company(self):
        other = self.setup_other_company(name="Empresa Perú")["company"]
        foreign = self.Staff.create(
            {"first_name": "Lucía", "last_name": "Flores", "company_id": other.id}
        )
        self.assertNotIn(
            foreign, self.env["collection.staff"].with_user(self.user_bruno).search([])
        )
        both = new_test_user(
            self.env,
            "cw_both",
            groups=ADVISOR_GROUP,
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | other).ids)],
        )
        visible = (
            self.env["collection.staff"]
            .with_user(both)
            .with_context(allowed_company_ids=(self.company | other).ids)
            .search([])
        )
        self.assertIn(foreign, visible)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_only_managers_import_the_customer_file(self):
        Wizard = self.env["res.partner.collection.import"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_ana).create({"file": b"", "file_name": "x.csv"})
        self.assertTrue(Wizard.with_user(self.user_manager).create({"file_name": "x.csv"}))

    def test_menus_per_role(self):
        root = self.env.ref("collections_workflow.collections_workflow_menu_root")
        config = self.env.ref("collections_workflow.collections_workflow_menu_configuration")
        finance = self.env.ref("account.menu_finance")
        advisor_menus = self.env["ir.ui.menu"].with_user(self.user_bruno)._visible_menu_ids()
        self.assertIn(finance.id, advisor_menus)
        self.assertIn(root.id, advisor_menus)
        self.assertNotIn(config.id, advisor_menus)
        self.assertNotIn(
            self.env.ref("account.menu_finance_payables").id, advisor_menus, "no vendors' bills"
        )
        today = self.env.ref("collections_workflow.collection_run_preview_menu")
        self.assertNotIn(today.id, advisor_menus)
        self.assertIn(
            today.id,
            self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids(),
            "Today's Collections, in the Collections menu",
        )
        manager_menus = self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids()
        self.assertIn(config.id, manager_menus)
