# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestPaymentPlans(CollectionRunCase):
    """A plan holds the ordinary reminders while its instalments are paid on time."""

    def _plan(self, invoices, instalments, day, user=None):
        with freeze_time(day):
            return (
                self.env["collection.payment.plan"]
                .with_user(user or self.user_bruno)
                .create(
                    {
                        "partner_id": invoices[:1].commercial_partner_id.id,
                        "invoice_ids": [Command.set(invoices.ids)],
                        "currency_id": invoices.currency_id.id,
                        "instalment_ids": [
                            Command.create({"date": date, "amount": amount})
                            for date, amount in instalments
                        ],
                    }
                )
            )

    @contextmanager
    def _refused(self, exception, pattern):
        # assertRaises rolls back to a savepoint: nothing of the refused plan stays
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def _pay(self, invoice, amount, day):
        with freeze_time(day):
            self._register_payment(invoice, amount=amount, payment_date=day)

    def _sent(self, invoice):
        # the ordinary reminders: the plan's own instalment reminders have tests of their own
        return invoice.collection_event_ids.filtered(
            lambda event: event.state == "done" and event.level_id.trigger == "due"
        )

    def test_plan_holds_reminders_and_is_kept_when_paid(self):
        first, second = (
            self._invoice(self.customer_bruno, 600.0),
            self._invoice(self.customer_bruno, 400.0),
        )
        start = DUE + timedelta(days=1)
        plan = self._plan(
            first | second,
            [(start + timedelta(days=10), 500.0), (start + timedelta(days=40), 500.0)],
            start,
        )
        self.assertEqual(plan.state, "open")
        self.assertEqual((first | second).mapped("collection_status"), ["plan", "plan"])
        self.assertIn("Payment plan agreed", " ".join(first.message_ids.mapped("body")))
        # a month of daily runs, the first instalment paid on time: no ordinary reminder
        self._run_days(start, start + timedelta(days=8))
        self._pay(first, 500.0, start + timedelta(days=9))
        self._run_days(start + timedelta(days=9), start + timedelta(days=30))
        self.assertFalse(self._sent(first | second))
        self.assertEqual(plan.state, "open")
        with freeze_time(start + timedelta(days=30)):
            self.assertEqual(
                plan.instalment_ids.sorted("date").mapped("state"), ["paid", "upcoming"]
            )
        self._pay(first, 100.0, start + timedelta(days=35))
        self._pay(second, 400.0, start + timedelta(days=38))
        self.assertEqual(plan.state, "kept")
        self.assertEqual((first | second).mapped("collection_status"), ["done", "done"])

    def test_missed_instalment_breaks_the_plan_and_the_strategy_resumes(self):
        invoice = self._invoice(self.customer_bruno, 1000.0)
        start = DUE + timedelta(days=1)
        plan = self._plan(
            invoice,
            [(start + timedelta(days=5), 300.0), (start + timedelta(days=35), 700.0)],
            start,
        )
        self._pay(invoice, 300.0, start + timedelta(days=5))
        # the second instalment is not paid: its date plus the 3 days' grace, then broken
        self._run_days(start, start + timedelta(days=38))
        self.assertEqual(plan.state, "open")
        self.assertFalse(self._sent(invoice))
        self._run_days(start + timedelta(days=39), start + timedelta(days=39))
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.broken_on, start + timedelta(days=39))
        self.assertEqual(plan.instalment_ids.sorted("date").mapped("state"), ["paid", "missed"])
        task = self.env["mail.activity"].search(
            [("res_model", "=", "collection.file"), ("summary", "like", "Payment plan broken")]
        )
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertIn("700.00", task.summary)
        # the strategy resumed where it left off, that very day
        self.assertEqual(invoice.collection_status, "active")
        resumed = invoice.collection_event_ids.filtered(
            lambda event: event.date == start + timedelta(days=39)
        )
        self.assertTrue(resumed, "the strategy resumes the day the plan breaks")

    def test_a_plan_covers_what_is_owed_from_today(self):
        invoice = self._invoice(self.customer_bruno, 1000.0)
        start = DUE + timedelta(days=1)
        with self._refused(ValidationError, "add up to .*900.00.*owe .*1,000.00"):
            self._plan(invoice, [(start + timedelta(days=5), 900.0)], start)
        with self._refused(ValidationError, "cannot be before today"):
            self._plan(invoice, [(start - timedelta(days=1), 1000.0)], start)
        with self._refused(ValidationError, "same date"):
            self._plan(
                invoice,
                [(start + timedelta(days=5), 500.0), (start + timedelta(days=5), 500.0)],
                start,
            )
        other = self._invoice(self.customer_carla, 200.0)
        # a manager sees both customers: still one customer's invoices per plan
        with self._refused(ValidationError, "only cover posted invoices of"):
            self._plan(
                invoice | other, [(start + timedelta(days=5), 1200.0)], start, self.user_manager
            )
        plan = self._plan(invoice, [(start + timedelta(days=5), 1000.0)], start)
        with self._refused(UserError, "cannot change"):
            plan.instalment_ids = [Command.create({"date": start, "amount": 1.0})]
        plan.with_user(self.user_bruno).action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertEqual(invoice.collection_status, "active")

    def test_proposed_from_the_invoice_and_kept_to_the_advisor(self):
        invoice = self._invoice(self.customer_bruno, 1000.0)
        action = invoice.with_user(self.user_bruno).action_collection_propose_plan()
        self.assertEqual(action["res_model"], "collection.payment.plan")
        with (
            freeze_time(DUE),
            Form(
                self.env["collection.payment.plan"]
                .with_user(self.user_bruno)
                .with_context(**action["context"])
            ) as form,
        ):
            for date, amount in ((DUE + timedelta(days=7), 400.0), (DUE + timedelta(30), 600.0)):
                with form.instalment_ids.new() as line:
                    line.date = date
                    line.amount = amount
        plan = form.record
        self.assertEqual(plan.partner_id, self.customer_bruno)
        self.assertEqual(plan.advisor_id, self.bruno)
        # over RPC, the invoices may come as the action's defaults, as in the form
        with freeze_time(DUE):
            other = (
                self.env["collection.payment.plan"]
                .with_user(self.user_bruno)
                .with_context(
                    **self._invoice(self.customer_bruno, 300.0).action_collection_propose_plan()[
                        "context"
                    ]
                )
                .create([{"instalment_ids": [Command.create({"date": DUE, "amount": 300.0})]}])
            )
        self.assertEqual(other.state, "open")
        # another advisor's customer is out of reach
        with self.assertRaises(AccessError):
            plan.with_user(self.user_carla).check_access("read")
        self.assertFalse(
            self.env["collection.payment.plan.instalment"]
            .with_user(self.user_carla)
            .search([("plan_id", "=", plan.id)])
        )

    def test_plans_kept_and_broken_count_in_the_kpis(self):
        start = DUE + timedelta(days=1)
        kept_invoice = self._invoice(self.customer_bruno, 500.0)
        broken_invoice = self._invoice(self.customer_bruno, 800.0)
        kept = self._plan(kept_invoice, [(start + timedelta(days=10), 500.0)], start)
        broken = self._plan(broken_invoice, [(start + timedelta(days=10), 800.0)], start)
        self._pay(kept_invoice, 500.0, start + timedelta(days=9))
        self._run_days(start + timedelta(days=14), start + timedelta(days=14))
        self.assertEqual((kept | broken).mapped("state"), ["kept", "broken"])
        kpis = self.env["collection.kpi"]._compute(start, start + timedelta(days=30))
        self.assertEqual(kpis[self.company.id]["plans_closed"], 2)
        self.assertEqual(kpis[self.company.id]["plan_kept_ratio"], 50.0)
        # an advisor's KPIs read its own customers' plans only
        others = (
            self.env["collection.kpi"]
            .with_user(self.user_carla)
            ._compute(start, start + timedelta(days=30))
        )
        self.assertFalse(others.get(self.company.id, {}).get("plans_closed"))
