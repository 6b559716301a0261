# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestReceipts(CollectionRunCase):
    """A strategy thanks the customer once a reminded invoice is paid in full: one
    message per customer and day, never twice for an invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipt = cls.env["collection.level"].create(
            {
                "strategy_id": cls.standard.id,
                "name": "Thank you",
                "trigger": "receipt",
                "day_offset": 0,
                "use_email": True,
                "email_template_id": cls.env.ref(
                    "collections_workflow.mail_template_collection_receipt_customer"
                ).id,
            }
        )

    def _receipts(self, customer):
        return self._mails(customer).filtered(
            lambda mail: "thank you for your payment" in (mail.subject or "")
        )

    def _pay(self, invoice, day, amount=None):
        with freeze_time(day):
            self._register_payment(
                invoice, amount=amount or invoice.amount_residual, payment_date=day
            )

    def test_receipt_once_per_customer_and_day_for_reminded_invoices(self):
        first, second, third, partly = (
            self._invoice(self.customer_bruno, amount) for amount in (100.0, 200.0, 300.0, 400.0)
        )
        never_reminded = self._invoice(self.customer_carla, 500.0, DUE + timedelta(days=30))
        self.assertNotIn(self.receipt, self.standard.level_ids, "not a step of the escalation")
        self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=2))
        self.assertTrue(first.collection_last_level_id)
        self._pay(never_reminded, DUE + timedelta(days=3))
        self._pay(first, DUE + timedelta(days=3))
        self._pay(second, DUE + timedelta(days=3))
        self._pay(partly, DUE + timedelta(days=3), amount=100.0)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        receipts = self._receipts(self.customer_bruno)
        self.assertEqual(len(receipts), 1)
        self.assertIn(first.name, receipts.body_html)
        self.assertIn(second.name, receipts.body_html)
        self.assertNotIn(partly.name, receipts.body_html)
        self.assertNotIn(third.name, receipts.body_html)
        events = (first | second).collection_event_ids.filtered(
            lambda event: event.level_id == self.receipt
        )
        self.assertEqual(events.mapped("state"), ["done", "done"])
        self.assertEqual(events.filtered("sent_email").partner_id, self.customer_bruno)
        self.assertEqual(
            first.collection_last_level_id.trigger, "due", "the receipt is no escalation step"
        )
        # paid later the same day: thanked the next day, in a message of its own
        self._pay(third, DUE + timedelta(days=3))
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        self.assertEqual(len(self._receipts(self.customer_bruno)), 1)
        self._run_days(DUE + timedelta(days=4), DUE + timedelta(days=6))
        receipts = self._receipts(self.customer_bruno)
        self.assertEqual(len(receipts), 2)
        self.assertIn(third.name, receipts[0].body_html)
        self.assertNotIn(first.name, receipts[0].body_html)
        self.assertFalse(self._receipts(self.customer_carla), "never reminded: no receipt")
        self.assertFalse(
            (first | second | third | never_reminded).filtered("collection_receipt_pending")
        )

    def test_no_receipt_level_marks_paid_invoices_handled(self):
        invoice = self._invoice(self.customer_bruno, 100.0)
        self.receipt.unlink()
        self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=2))
        self._pay(invoice, DUE + timedelta(days=3))
        self.assertTrue(invoice.collection_receipt_pending)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        self.assertEqual(invoice.collection_receipt_on, DUE + timedelta(days=3))
        # a receipt level added later thanks only what is paid from then on
        self.env["collection.level"].create(
            {
                "strategy_id": self.standard.id,
                "name": "Thank you",
                "trigger": "receipt",
                "day_offset": 0,
                "use_email": True,
                "email_template_id": self.env.ref(
                    "collections_workflow.mail_template_collection_receipt_customer"
                ).id,
            }
        )
        self._run_days(DUE + timedelta(days=4), DUE + timedelta(days=5))
        self.assertFalse(self._receipts(self.customer_bruno))

    def test_receipt_waits_for_the_contact_hours(self):
        invoice = self._invoice(self.customer_bruno, 100.0)
        self._run_days(DUE - timedelta(days=5), DUE + timedelta(days=2))
        self._pay(invoice, DUE + timedelta(days=3))
        self.assertTrue(invoice.collection_receipt_pending)
        self.company.collection_contact_calendar_id = self.env.ref(
            "collections_workflow.resource_calendar_collection_contact_hours"
        )
        self.customer_bruno.write({"tz": False, "country_id": self.env.ref("base.cl").id})
        # Friday 13 March, 04:00 UTC: 01:00 in Santiago, closed
        with freeze_time("2026-03-13 04:00:00"):
            self.Run._run()
        waiting = invoice.collection_event_ids.filtered(lambda e: e.level_id == self.receipt)
        self.assertEqual(waiting.state, "deferred")
        self.assertIn("contact hours", waiting.note)
        self.assertFalse(self._receipts(self.customer_bruno))
        self.assertTrue(invoice.collection_receipt_pending, "still to thank")
        # 12:30 UTC, 09:30 in Santiago: thanked, the wait noted on its event
        with freeze_time("2026-03-13 12:30:00"):
            self.Run._run()
        sent = invoice.collection_event_ids.filtered(lambda e: e.level_id == self.receipt)
        self.assertEqual(sent.state, "done")
        self.assertIn("Waited until", sent.note)
        self.assertEqual(len(self._receipts(self.customer_bruno)), 1)
