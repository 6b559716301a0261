# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

ADVISOR_GROUP = "collections_workflow.collections_workflow_group_advisor"
SUPERVISOR_GROUP = "collections_workflow.collections_workflow_group_supervisor"
MANAGER_GROUP = "collections_workflow.collections_workflow_group_manager"


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
