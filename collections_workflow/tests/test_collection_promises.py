# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionPromises(CollectionRunCase):
    """Promises to pay: they hold their invoices' reminders, close themselves when paid,
    and when broken give the advisor a task and resume the strategy at its next level."""

    def _promise(self, invoice, amount, promise_date, user=None, day=None):
        """Record a promise as the advisor does, from the invoice's button."""
        user = user or self.user_bruno
        with freeze_time(day or DUE + timedelta(days=4)):
            action = invoice.with_user(user).action_collection_record_promise()
            form = Form(
                self.env[action["res_model"]].with_user(user).with_context(**action["context"])
            )
            form.amount = amount
            form.promise_date = promise_date
            form.channel = "phone"
            form.note = "Paga el viernes con transferencia"
            return form.save().sudo(False)

    def _pay(self, invoice, amount, day):
        with freeze_time(day):
            self._register_payment(invoice, amount=amount, payment_date=day)

    def _events(self, invoice, **values):
        return self.Event.search([("invoice_id", "=", invoice.id)]).filtered_domain(
            [(key, "=", value) for key, value in values.items()]
        )

    def test_promise_holds_reminders_and_closes_itself_when_paid(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        promise = self._promise(invoice, 1000.0, DUE + timedelta(days=10))
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.grace_until, DUE + timedelta(days=13))
        self.assertEqual(promise.advisor_id, self.bruno)
        self.assertEqual(invoice.collection_status, "promised")
        self.assertFalse(invoice.collection_next_date)
        self.assertIn("Promise to pay recorded (Phone Call)", invoice.message_ids[0].body)
        self.assertIn("Paga el viernes", self._thread(self.customer_bruno).message_ids[0].body)
        # level 7 would have fired on day 7: nothing while the promise is open
        self.assertFalse(self._run_days(DUE + timedelta(days=5), DUE + timedelta(days=8)))
        self._pay(invoice, 1000.0, DUE + timedelta(days=9))
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.amount_paid, 1000.0)
        self.assertEqual(promise.kept_ratio, 100.0)
        self.assertEqual(invoice.collection_status, "done")
        self.assertFalse(self._run_days(DUE + timedelta(days=9), DUE + timedelta(days=40)))
        self.assertEqual(promise.state, "kept", "a kept promise stays kept")
        self.assertEqual(self.customer_bruno.collection_promise_ids, promise)
        self.assertEqual(self.customer_bruno.collection_promise_kept_ratio, 100.0)

    def test_promise_partly_kept_resumes_at_the_next_level(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        promise = self._promise(invoice, 1000.0, DUE + timedelta(days=10))
        self._pay(invoice, 400.0, DUE + timedelta(days=8))
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.amount_paid, 400.0)
        self.assertFalse(self._run_days(DUE + timedelta(days=9), DUE + timedelta(days=13)))
        # the grace period ended on day 13: on day 14 the promise is partly kept
        by_day = self._run_days(DUE + timedelta(days=14), DUE + timedelta(days=14))
        self.assertEqual(promise.state, "partial")
        self.assertEqual(promise.kept_ratio, 40.0)
        self.assertEqual(promise.paid_at_close, 400.0)
        task = self._activities(self.customer_bruno)
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertIn("Partly Kept", task.summary)
        # the strategy resumes at its next level (7), today, and keeps its spacing
        self.assertEqual(by_day[DUE + timedelta(days=14)].level_id, self.level[7])
        self.assertEqual(invoice.collection_delay_days, 7)
        self.assertEqual(invoice.collection_next_level_id, self.level[15])
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=22))
        # a payment after the deadline does not turn the promise into a kept one
        self._pay(invoice, 600.0, DUE + timedelta(days=16))
        self.assertEqual(promise.state, "partial")
        self.assertEqual(self.customer_bruno.collection_promise_kept_ratio, 0.0)

    def test_promise_broken_notifies_the_advisor_and_resumes(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        promise = self._promise(invoice, 1000.0, DUE + timedelta(days=20))
        self.assertFalse(self._run_days(DUE + timedelta(days=4), DUE + timedelta(days=23)))
        by_day = self._run_days(DUE + timedelta(days=24), DUE + timedelta(days=24))
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.kept_ratio, 0.0)
        self.assertEqual(promise.closed_on, DUE + timedelta(days=24))
        self.assertIn("Broken", self._activities(self.customer_bruno).summary)
        self.assertIn("Broken", promise.message_ids[0].body)
        # levels 7 and 15 are both past their day: the next level (7) comes first, and
        # level 15 keeps its 8 days of spacing instead of firing the same day
        events = by_day[DUE + timedelta(days=24)]
        self.assertEqual(events.level_id, self.level[7])
        self.assertEqual(events.state, "done")
        self.assertFalse(self._events(invoice, state="skipped", level_id=self.level[7].id))
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=32))
        resumed = invoice.message_ids.filtered(lambda m: "Collections resume at level" in m.body)
        self.assertIn("2026-04-03", resumed.body)
        by_day = self._run_days(DUE + timedelta(days=25), DUE + timedelta(days=32))
        self.assertEqual(list(by_day), [DUE + timedelta(days=32)])
        self.assertEqual(by_day[DUE + timedelta(days=32)].level_id, self.level[15])

    def test_promise_cancelled_resumes_at_the_next_run(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        promise = self._promise(invoice, 500.0, DUE + timedelta(days=30))
        with freeze_time(DUE + timedelta(days=10)):
            promise.with_user(self.user_bruno).action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertEqual(invoice.collection_status, "active")
        self.assertIn("Promise to pay cancelled", invoice.message_ids[0].body)
        with self.assertRaises(UserError):
            promise.action_cancel()
        by_day = self._run_days(DUE + timedelta(days=11), DUE + timedelta(days=11))
        self.assertEqual(by_day[DUE + timedelta(days=11)].level_id, self.level[7])
        # a cancelled promise counts neither as kept nor as broken
        self.assertEqual(self.customer_bruno.collection_promise_kept_ratio, 0.0)

    def test_blocked_invoice_is_open_everywhere(self):
        """A blocked payment is still owed: reminded, and promised like any open invoice."""
        invoice = self._invoice(self.customer_bruno)
        invoice.action_toggle_block_payment()
        self.assertEqual(invoice.payment_state, "blocked")
        self.assertEqual(invoice.collection_status, "active")
        self.assertTrue(self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3)))
        self.assertIn(invoice, self.customer_bruno.collection_open_invoice_ids)
        promise = self._promise(invoice, 1000.0, DUE + timedelta(days=10))
        self.assertEqual(promise.invoice_ids, invoice)
        self.assertEqual(invoice.collection_status, "promised")

    def test_promise_is_checked(self):
        invoice = self._invoice(self.customer_bruno)
        other = self._invoice(self.customer_carla)
        with self.assertRaisesRegex(ValidationError, "must be positive"), self.env.cr.savepoint():
            self._promise(invoice, 0.0, DUE + timedelta(days=10))
        with (
            self.assertRaisesRegex(ValidationError, "can only cover posted invoices"),
            freeze_time(DUE),
            self.env.cr.savepoint(),
        ):
            self.env["collection.promise"].create(
                {
                    "partner_id": self.customer_bruno.id,
                    "invoice_ids": (invoice | other).ids,
                    "amount": 100.0,
                    "promise_date": DUE,
                }
            )
        with self.assertRaisesRegex(UserError, "one customer"):
            (invoice | other).action_collection_record_promise()
        # an advisor records promises for its own customers only
        with self.assertRaises(AccessError):
            self._promise(other, 100.0, DUE + timedelta(days=10), user=self.user_bruno)
        promise = self._promise(invoice, 100.0, DUE + timedelta(days=10))
        with self.assertRaisesRegex(UserError, "cannot change"):
            promise.with_user(self.user_bruno).write({"invoice_ids": [(4, other.id)]})
        self.assertFalse(promise.with_user(self.user_carla).search([("id", "=", promise.id)]))
        self.assertTrue(promise.with_user(self.user_ana).search([("id", "=", promise.id)]))

    def test_a_promise_must_be_one_the_customer_can_keep(self):
        invoice = self._invoice(self.customer_bruno, amount=2343.75)
        Promise = self.env["collection.promise"].with_user(self.user_bruno)
        # assertRaisesRegex keeps no savepoint of its own: what failed is rolled back here
        with (
            self.assertRaisesRegex(ValidationError, "more than its invoices owe: .*2,343.75"),
            self.env.cr.savepoint(),
        ):
            self._promise(invoice, 1e15, DUE + timedelta(days=10))
        with (
            self.assertRaisesRegex(ValidationError, "Promised Date of .* is in the past"),
            self.env.cr.savepoint(),
        ):
            self._promise(invoice, 100.0, DUE + timedelta(days=1), day=DUE + timedelta(days=4))
        with (
            self.assertRaisesRegex(ValidationError, "needs at least one invoice: .*Invoices"),
            self.env.cr.savepoint(),
        ):
            Promise.create(
                {"partner_id": self.customer_bruno.id, "amount": 1.0, "promise_date": DUE}
            )
        self._promise(invoice, 1000.0, DUE + timedelta(days=10))
        with (
            self.assertRaisesRegex(ValidationError, "already has an open promise"),
            self.env.cr.savepoint(),
        ):
            self._promise(invoice, 500.0, DUE + timedelta(days=12))
        paid = self._invoice(self.customer_bruno, amount=80.0)
        self._pay(paid, 80.0, DUE)
        with (
            self.assertRaisesRegex(ValidationError, "is paid, cancelled or not a posted"),
            freeze_time(DUE),
        ):
            Promise.create(
                {
                    "partner_id": self.customer_bruno.id,
                    "invoice_ids": paid.ids,
                    "amount": 80.0,
                    "promise_date": DUE + timedelta(days=3),
                }
            )
        self.assertEqual(len(self.env["collection.promise"].search([])), 1, "nothing else")

    def test_promise_from_the_worklist_and_the_event(self):
        invoice = self._invoice(self.customer_bruno, amount=700.0)
        self._invoice(self.customer_bruno, amount=300.0)
        events = self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        event = events[DUE + timedelta(days=3)].filtered(
            lambda e: e.invoice_id == invoice and e.state == "done"
        )
        action = event.with_user(self.user_bruno).action_record_promise()
        self.assertEqual(action["context"]["default_invoice_ids"], invoice.ids)
        row = self.env["collection.worklist"].with_user(self.user_bruno).search([])
        action = row.action_record_promise()
        self.assertEqual(len(action["context"]["default_invoice_ids"]), 2)
        self.assertEqual(action["context"]["default_amount"], 1000.0)


@tagged("post_install", "-at_install")
class TestCollectionDisputes(CollectionRunCase):
    """Disputes hold their invoices, have an aging and a resolution, and alert the
    supervisor when they last too long."""

    def _dispute(self, invoices, user=None, day=None):
        user = user or self.user_bruno
        with freeze_time(day or DUE + timedelta(days=4)):
            action = invoices.with_user(user).action_collection_open_dispute()
            form = Form(
                self.env[action["res_model"]].with_user(user).with_context(**action["context"])
            )
            form.reason_id = self.env.ref("collections_workflow.dispute_reason_quantity")
            form.note = "<p>Llegaron 8 cajas, no 10</p>"
            return form.save().sudo(False)

    def _resolve(self, dispute, outcome, level=None, day=None, user=None):
        with freeze_time(day or DUE + timedelta(days=20)):
            action = dispute.with_user(user or self.user_bruno).action_open_resolve()
            form = Form(
                self.env[action["res_model"]]
                .with_user(user or self.user_bruno)
                .with_context(**action["context"])
            )
            form.outcome = outcome
            if level:
                form.level_id = level
            form.note = "Revisado con bodega"
            form.save().action_resolve()

    def test_no_dispute_on_a_paid_invoice_or_without_one(self):
        paid = self._invoice(self.customer_bruno, amount=80.0)
        with freeze_time(DUE):
            self._register_payment(paid, amount=80.0, payment_date=DUE)
        Dispute = self.env["collection.dispute"].with_user(self.user_bruno)
        reason = self.env.ref("collections_workflow.dispute_reason_quantity")
        with self.assertRaisesRegex(ValidationError, "is paid, cancelled or not a posted"):
            Dispute.create(
                {
                    "partner_id": self.customer_bruno.id,
                    "invoice_ids": paid.ids,
                    "reason_id": reason.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "needs at least one invoice"):
            Dispute.create({"partner_id": self.customer_bruno.id, "reason_id": reason.id})

    def test_shipped_reasons(self):
        reasons = self.env["collection.dispute.reason"].search([])
        self.assertEqual(
            reasons.mapped("name"),
            ["Price", "Quantity", "Quality", "Not Received", "Duplicate Invoice", "Other"],
        )

    def test_new_dispute_is_named_new_not_slash(self):
        # the dialog's heading, the breadcrumbs and the browser tab read the display name
        invoice = self._invoice(self.customer_bruno)
        action = invoice.with_user(self.user_bruno).action_collection_open_dispute()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_bruno)
            .with_context(**action["context"])
        )
        self.assertEqual(form.display_name, "New Dispute")
        self.assertEqual(action["name"], "Open a Dispute")
        dispute = self._dispute(invoice)
        self.assertTrue(dispute.display_name.startswith("DISP/"))
        self.assertEqual(dispute.display_name, dispute.name)

    def test_dispute_holds_then_resumes_at_the_chosen_level(self):
        invoice = self._invoice(self.customer_bruno)
        self._run_days(DUE + timedelta(days=3), DUE + timedelta(days=3))
        dispute = self._dispute(invoice)
        self.assertTrue(dispute.name.startswith("DISP/"))
        self.assertEqual(dispute.state, "open")
        self.assertEqual(invoice.collection_status, "disputed")
        self.assertEqual(dispute.amount_disputed, 1000.0)
        self.assertIn("Quantity", invoice.message_ids[0].body)
        with freeze_time(DUE + timedelta(days=14)):
            self.assertEqual(dispute.age_days, 10)
        self.assertFalse(self._run_days(DUE + timedelta(days=4), DUE + timedelta(days=19)))
        self._resolve(dispute, "company", level=self.level[15])
        self.assertEqual(dispute.state, "company")
        self.assertEqual(dispute.date_closed, DUE + timedelta(days=20))
        self.assertEqual(dispute.age_days, 16)
        self.assertEqual(invoice.collection_status, "active")
        skipped = self.Event.search(
            [
                ("invoice_id", "=", invoice.id),
                ("state", "=", "skipped"),
                ("level_id", "=", self.level[7].id),
            ]
        )
        self.assertEqual(skipped.date, DUE + timedelta(days=20))
        self.assertIn("Revisado con bodega", skipped.note or "")
        self.assertEqual(invoice.collection_next_level_id, self.level[15])
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=20))
        by_day = self._run_days(DUE + timedelta(days=20), DUE + timedelta(days=20))
        self.assertEqual(by_day[DUE + timedelta(days=20)].level_id, self.level[15])
        # the later levels keep their spacing: level 30 fifteen days after level 15
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=35))

    def test_dispute_resolved_for_the_customer_waits_for_the_credit_note(self):
        invoice = self._invoice(self.customer_bruno)
        dispute = self._dispute(invoice)
        self._resolve(dispute, "customer")
        self.assertEqual(dispute.state, "customer")
        self.assertEqual(invoice.collection_status, "disputed")
        task = dispute.activity_ids
        self.assertEqual(task.summary, "Issue the credit note")
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertFalse(self._run_days(DUE + timedelta(days=20), DUE + timedelta(days=40)))
        invoice._reverse_moves([{"invoice_date": DUE + timedelta(days=41)}], cancel=True)
        self.assertEqual(invoice.collection_status, "done")

    def test_dispute_cancelled_resumes_at_the_next_level(self):
        invoice = self._invoice(self.customer_bruno)
        dispute = self._dispute(invoice)
        with freeze_time(DUE + timedelta(days=9)):
            dispute.with_user(self.user_bruno).action_cancel()
        self.assertEqual(dispute.state, "cancelled")
        with self.assertRaisesRegex(UserError, "closed already"):
            dispute.action_open_resolve()
        by_day = self._run_days(DUE + timedelta(days=10), DUE + timedelta(days=10))
        # no run had reached the invoice: it resumes where the dispute stopped it, at
        # level 3 (due on day 3), not at level 7 (due on day 7)
        self.assertEqual(by_day[DUE + timedelta(days=10)].level_id, self.level[3])
        self.assertEqual(
            self.Event.search(
                [("invoice_id", "=", invoice.id), ("state", "=", "skipped")]
            ).level_id,
            self.level[-3] | self.level[0],
        )
        self.assertEqual(invoice.collection_next_date, DUE + timedelta(days=14))

    def test_old_dispute_alerts_the_supervisor_once(self):
        self.company.collection_dispute_alert_days = 30
        invoice = self._invoice(self.customer_bruno)
        dispute = self._dispute(invoice, day=DUE + timedelta(days=1))
        self._run_days(DUE + timedelta(days=30), DUE + timedelta(days=30))
        self.assertFalse(dispute.activity_ids)
        self._run_days(DUE + timedelta(days=31), DUE + timedelta(days=33))
        self.assertTrue(dispute.supervisor_alerted)
        self.assertEqual(dispute.activity_ids.user_id, self.user_ana)
        self.assertIn("open for 30 days", dispute.activity_ids.summary)

    def test_dispute_scope(self):
        invoice = self._invoice(self.customer_bruno)
        with self.assertRaises(AccessError):
            self._dispute(invoice, user=self.user_elena)
        dispute = self._dispute(invoice)
        Dispute = self.env["collection.dispute"]
        self.assertEqual(Dispute.with_user(self.user_ana).search([]), dispute)
        self.assertFalse(Dispute.with_user(self.user_diego).search([]))
        self.assertFalse(Dispute.with_user(self.user_carla).search([]))
        self.assertEqual(Dispute.with_user(self.user_manager).search([]), dispute)
