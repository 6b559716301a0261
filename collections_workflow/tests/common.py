# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import date, timedelta

from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

ADVISOR_GROUP = "collections_workflow.collections_workflow_group_advisor"
SUPERVISOR_GROUP = "collections_workflow.collections_workflow_group_supervisor"
MANAGER_GROUP = "collections_workflow.collections_workflow_group_manager"
DUE = date(2026, 3, 10)


class CollectionsCommon(AccountTestInvoicingCommon):
    """A Chilean company with two teams: supervisor Ana (advisors Bruno and Carla) and
    supervisor Diego (advisor Elena), each with an Odoo user, and their customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the accountant running the tests administers collections too
        cls.env.user.group_ids += cls.env.ref(MANAGER_GROUP)
        cls.company.country_id = cls.env.ref("base.cl")
        # the company's own rules only; the country profiles have tests of their own
        cls.company.collection_use_contact_profiles = False
        # the messages' links as the templates write them; tracking has tests of its own
        cls.company.collection_tracking = False
        cls.Staff = cls.env["collection.staff"]
        cls.user_manager = new_test_user(
            cls.env, "cw_manager", groups=MANAGER_GROUP, company_id=cls.company.id
        )
        cls.user_ana = new_test_user(
            cls.env, "cw_ana", groups=SUPERVISOR_GROUP, company_id=cls.company.id
        )
        cls.user_diego = new_test_user(
            cls.env, "cw_diego", groups=SUPERVISOR_GROUP, company_id=cls.company.id
        )
        cls.user_bruno = new_test_user(
            cls.env, "cw_bruno", groups=ADVISOR_GROUP, company_id=cls.company.id
        )
        cls.user_carla = new_test_user(
            cls.env, "cw_carla", groups=ADVISOR_GROUP, company_id=cls.company.id
        )
        cls.user_elena = new_test_user(
            cls.env, "cw_elena", groups=ADVISOR_GROUP, company_id=cls.company.id
        )
        cls.ana, cls.diego = cls.Staff.create(
            [
                {
                    "first_name": "Ana",
                    "last_name": "Pérez",
                    "role": "supervisor",
                    "phone": "+56 9 8765 4321",
                    "email": "ana@example.com",
                    "user_id": cls.user_ana.id,
                },
                {
                    "first_name": "Diego",
                    "last_name": "Rojas",
                    "role": "supervisor",
                    "phone": "+56 9 8765 4322",
                    "user_id": cls.user_diego.id,
                },
            ]
        )
        cls.bruno, cls.carla, cls.elena = cls.Staff.create(
            [
                {
                    "first_name": "Bruno",
                    "last_name": "Soto",
                    "phone": "9 6123 4501",
                    "whatsapp": "+56 9 6123 4511",
                    "email": "bruno@example.com",
                    "supervisor_id": cls.ana.id,
                    "user_id": cls.user_bruno.id,
                },
                {
                    "first_name": "Carla",
                    "last_name": "Muñoz",
                    "phone": "+56 9 6123 4502",
                    "supervisor_id": cls.ana.id,
                    "user_id": cls.user_carla.id,
                },
                {
                    "first_name": "Elena",
                    "last_name": "Flores",
                    "phone": "+56 9 6123 4503",
                    "supervisor_id": cls.diego.id,
                    "user_id": cls.user_elena.id,
                },
            ]
        )
        cls.customer_bruno, cls.customer_carla, cls.customer_elena, cls.customer_none = cls.env[
            "res.partner"
        ].create(
            [
                {"name": "Comercial Andes SpA", "is_company": True, "customer_rank": 1},
                {"name": "Viña Santa Emilia", "is_company": True, "customer_rank": 1},
                {"name": "Transportes Cordillera", "is_company": True, "customer_rank": 1},
                {"name": "Sin Asesor Ltda.", "is_company": True, "customer_rank": 1},
            ]
        )
        cls.customer_bruno.collection_advisor_id = cls.bruno
        cls.customer_carla.collection_advisor_id = cls.carla
        cls.customer_elena.collection_advisor_id = cls.elena


class CollectionRunCase(CollectionsCommon):
    """Customers with contacts, the shipped strategies copied into the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["collection.run"]
        cls.Event = cls.env["collection.event"]
        # the shipped strategies belong to the main company: copy them into the test company
        cls.standard = cls._copy_strategy("collection_strategy_standard")
        cls.strategic = cls._copy_strategy("collection_strategy_strategic")
        cls.company.collection_strategy_id = cls.standard
        # contact hours and weekly limits have their own tests (test_contact_rules)
        cls.company.write({"collection_contact_calendar_id": False, "collection_cap_total": 0})
        cls.level = {level.day_offset: level for level in cls.standard.level_ids}
        cls.customer_bruno.write({"email": "pagos@andes.example.com", "phone": "+56 2 2345 6701"})
        cls.customer_carla.write({"email": "pagos@emilia.example.com", "phone": "+56 2 2345 6702"})
        cls.customer_elena.write({"email": "pagos@cordillera.example.com"})

    # most tests follow one invoice's messages: they run the shipped strategies with one
    # message per invoice (the shipped templates per invoice); the shipped grouping has
    # its own tests (TestShippedGrouping)
    per_invoice = True

    @classmethod
    def _copy_strategy(cls, xmlid):
        shipped = cls.env.ref(f"collections_workflow.{xmlid}").sudo()
        strategy = shipped.copy({"company_id": cls.company.id, "partner_category_ids": False})
        if cls.per_invoice:
            for level in strategy.level_ids.filtered("group_invoices"):
                level.write(cls._per_invoice_vals(level))
        return strategy.sudo(False)

    @classmethod
    def _per_invoice_vals(cls, level):
        vals = {"group_invoices": False}
        for fname in level._channel_template_fields().values():
            template_xmlid = level[fname].get_external_id().get(level[fname].id, "")
            if template_xmlid.endswith("_customer"):
                vals[fname] = cls.env.ref(template_xmlid.removesuffix("_customer")).id
        return vals

    def _invoice(self, partner, amount=1000.0, due=DUE):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Servicio", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, due)
        return invoice

    def _run_days(self, first, last):
        """Run the daily job each day from ``first`` to ``last``; events by day."""
        by_day = defaultdict(lambda: self.Event)
        day = first
        while day <= last:
            with freeze_time(day):
                events = self.Run._run()
            if events:
                by_day[day] = events
            day += timedelta(days=1)
        return by_day

    def _thread(self, record):
        """Where collections writes about ``record``: an invoice's chatter, a customer's
        collections file."""
        if record._name != "res.partner":
            return record
        return self.env["collection.file"].search(
            [
                ("partner_id", "=", record.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
            ]
        )

    def _mails(self, record):
        """Emails queued to the customer (not the task notifications sent to users)."""
        thread = self._thread(record)
        return self.env["mail.mail"].search(
            [
                ("model", "=", thread._name),
                ("res_id", "in", thread.ids),
                ("recipient_ids", "in", record.commercial_partner_id.ids),
            ]
        )

    def _activities(self, record):
        thread = self._thread(record)
        return self.env["mail.activity"].search(
            [("res_model", "=", thread._name), ("res_id", "in", thread.ids)]
        )
