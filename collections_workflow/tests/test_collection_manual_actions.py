# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import DUE, CollectionRunCase

TODAY = DUE + timedelta(days=5)


@tagged("post_install", "-at_install")
class TestCollectionManualActions(CollectionRunCase):
    """What advisors and supervisors do by hand, each with a reason, for the roles that
    should: advisors send now, pause and resume; supervisors also skip, exclude and
    reassign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["collection.manual.action"]

    def _apply(self, user, records, action, **values):
        with freeze_time(TODAY):
            wizard = (
                self.Wizard.with_user(user)
                .with_context(active_model=records._name, active_ids=records.ids)
                .create({"action": action, "reason": "Pedido del cliente", **values})
            )
            return wizard.action_apply()

    def _notes(self, record):
        return self._thread(record).message_ids.filtered(
            lambda m: "Pedido del cliente" in (m.body or "")
        )

    def test_roles(self):
        """Each action, for each role: allowed, or refused with the role it takes."""
        matrix = {
            "send_now": (self.user_bruno, {}),
            "pause": (self.user_bruno, {"pause_until": TODAY + timedelta(days=10)}),
            "resume": (self.user_bruno, {}),
            "skip": (self.user_ana, {"level_id": self.level[30].id}),
            "exclude": (self.user_ana, {}),
            "reassign": (self.user_ana, {"advisor_id": self.carla.id}),
        }
        for action, (least, values) in matrix.items():
            with self.subTest(action=action):
                invoice = self._invoice(self.customer_bruno)
                self.customer_bruno.collection_advisor_id = self.bruno
                invoice.invalidate_recordset()
                if least == self.user_ana:
                    with self.assertRaisesRegex(AccessError, "Supervisor"):
                        self._apply(self.user_bruno, invoice, action, **values)
                    self.assertFalse(self._notes(invoice))
                users = [least, self.user_ana, self.user_manager]
                for user in dict.fromkeys(users):
                    self._apply(user, invoice, action, **values)
                    self.customer_bruno.collection_advisor_id = self.bruno
                    invoice.invalidate_recordset()
                    invoice.sudo().write(
                        {"collection_excluded": False, "collection_paused_until": False}
                    )
                # the reason is on the customer's chatter (and the invoice's, but for a
                # reassignment, which concerns the customer)
                self.assertTrue(self._notes(self.customer_bruno))
                invoice.button_draft()
                invoice.button_cancel()

    def test_no_collections_role(self):
        """A billing user without a collections role does none of it."""
        billing = self.env["res.users"].create(
            {
                "name": "Facturación",
                "login": "cw_billing",
                "group_ids": [(6, 0, self.env.ref("account.group_account_invoice").ids)],
            }
        )
        invoice = self._invoice(self.customer_bruno)
        for action in ("send_now", "pause", "resume", "skip", "exclude", "reassign"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                self._apply(billing, invoice, action)
        self.assertEqual(invoice.collection_status, "active")

    def test_scope(self):
        """An advisor acts on its own customers only; a supervisor on its team's."""
        invoice = self._invoice(self.customer_elena)
        with self.assertRaises(AccessError):
            self._apply(self.user_bruno, invoice, "pause", pause_until=TODAY + timedelta(days=9))
        with self.assertRaises(AccessError):
            self._apply(self.user_ana, invoice, "exclude")
        self._apply(self.user_diego, invoice, "exclude")
        self.assertEqual(invoice.collection_status, "excluded")
        self.assertEqual(invoice.collection_exclusion_reason, "Pedido del cliente")

    def test_send_now(self):
        invoice = self._invoice(self.customer_bruno, due=TODAY + timedelta(days=20))
        action = self._apply(self.user_bruno, invoice, "send_now")
        events = self.Event.browse(action["domain"][0][2])
        self.assertEqual(events.level_id, self.level[-3])
        self.assertEqual(events.state, "done")
        self.assertTrue(self._mails(invoice))
        # never twice: the next level is now level 0
        self.assertEqual(invoice.collection_next_level_id, self.level[0])
        self.assertFalse(self._run_days(TODAY, TODAY + timedelta(days=16)))

    def test_pause_until_a_date_then_resume_at_the_next_level(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        with self.assertRaisesRegex(ValidationError, "after today"):
            self._apply(self.user_bruno, invoice, "pause", pause_until=TODAY)
        self._apply(self.user_bruno, invoice, "pause", pause_until=DUE + timedelta(days=20))
        self.assertEqual(invoice.collection_status, "paused")
        self.assertTrue(self._notes(invoice))
        self.assertFalse(self._run_days(TODAY, DUE + timedelta(days=19)))
        by_day = self._run_days(DUE + timedelta(days=20), DUE + timedelta(days=20))
        self.assertEqual(by_day[DUE + timedelta(days=20)].level_id, self.level[7])
        self.assertFalse(invoice.collection_paused_until)

    def test_resume_an_excluded_invoice_takes_a_supervisor(self):
        invoice = self._invoice(self.customer_bruno)
        self._apply(self.user_ana, invoice, "exclude")
        with self.assertRaisesRegex(AccessError, "excluded"):
            self._apply(self.user_bruno, invoice, "resume")
        self.assertEqual(invoice.collection_status, "excluded")
        self._apply(self.user_ana, invoice, "resume")
        self.assertEqual(invoice.collection_status, "active")
        self.assertEqual(invoice.collection_next_date, TODAY)

    def test_skip_to_a_level(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        self._apply(self.user_ana, invoice, "skip", level_id=self.level[30].id)
        skipped = self.Event.search(
            [("invoice_id", "=", invoice.id), ("state", "=", "skipped"), ("date", "=", TODAY)]
        )
        self.assertEqual(skipped.level_id, self.level[7] | self.level[15])
        self.assertIn("Pedido del cliente", skipped[0].note)
        self.assertEqual(invoice.collection_next_level_id, self.level[30])
        self.assertEqual(invoice.collection_next_date, TODAY)
        # not back to a level already reached
        with self.assertRaisesRegex(UserError, "cannot go to level"):
            self._apply(self.user_ana, invoice, "skip", level_id=self.level[3].id)

    def test_on_hold_invoices_are_refused(self):
        invoice = self._invoice(self.customer_bruno)
        self._apply(self.user_bruno, invoice, "pause", pause_until=TODAY + timedelta(days=5))
        with self.assertRaisesRegex(UserError, "Paused"):
            self._apply(self.user_bruno, invoice, "send_now")

    def test_from_the_worklist_and_the_customer(self):
        first = self._invoice(self.customer_bruno)
        second = self._invoice(self.customer_bruno, amount=500.0)
        with freeze_time(TODAY):
            row = self.env["collection.worklist"].with_user(self.user_bruno).search([])
        self._apply(self.user_bruno, row, "pause", pause_until=TODAY + timedelta(days=3))
        self.assertEqual((first | second).mapped("collection_status"), ["paused", "paused"])
        self._apply(self.user_ana, self.customer_bruno, "reassign", advisor_id=self.carla.id)
        self.assertEqual(self.customer_bruno.collection_advisor_id, self.carla)
        self.assertEqual(first.collection_advisor_id, self.carla)
