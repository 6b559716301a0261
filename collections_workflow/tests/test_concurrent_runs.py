# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from ..models.collection_run import CUSTOMER_LOCK_KEY

DUE = date(2026, 4, 20)


@tagged("post_install", "-at_install")
class TestConcurrentRuns(BaseCase):
    """Two workers run the same day at once, on two real database connections.

    The data is committed (each worker must see it), so the test removes it at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            # the check is about workers, not about the clock: no contact hours here,
            # neither the company's nor those of the country profiles (the strict default
            # closes in the evening, when CI may run)
            self.calendar_id = company.collection_contact_calendar_id.id
            self.use_profiles = company.collection_use_contact_profiles
            company.write(
                {
                    "collection_contact_calendar_id": False,
                    "collection_use_contact_profiles": False,
                }
            )
            strategy = env["collection.strategy"].create(
                {
                    "name": "Concurrency check",
                    "company_id": company.id,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Overdue",
                                "day_offset": 3,
                                "use_email": True,
                                "email_template_id": env.ref(
                                    "collections_workflow.mail_template_collection_overdue"
                                ).id,
                            }
                        )
                    ],
                }
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent customer {index}",
                        "email": f"concurrent{index}@example.com",
                        "collection_strategy_id": strategy.id,
                    }
                    for index in range(4)
                ]
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": DUE - timedelta(days=30),
                        "invoice_date_due": DUE,
                        "invoice_line_ids": [
                            Command.create({"name": "Servicio", "price_unit": 100.0, "tax_ids": []})
                        ],
                    }
                    for partner in partners
                ]
            )
            invoices.action_post()
            self.strategy_id, self.partner_ids, self.invoice_ids = (
                strategy.id,
                partners.ids,
                invoices.ids,
            )
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            invoices = env["account.move"].browse(self.invoice_ids).exists()
            for model, ids in (("account.move", invoices.ids), ("res.partner", self.partner_ids)):
                env["mail.mail"].search([("model", "=", model), ("res_id", "in", ids)]).unlink()
                env["mail.message"].search([("model", "=", model), ("res_id", "in", ids)]).unlink()
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["collection.strategy"].browse(self.strategy_id).unlink()
            env.ref("base.main_company").write(
                {
                    "collection_contact_calendar_id": self.calendar_id,
                    "collection_use_contact_profiles": self.use_profiles,
                }
            )

    def _assert_one_event_per_invoice(self, msg=None):
        """What the workers committed, read afresh: one event per invoice, in all."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            per_invoice = env["collection.event"]._read_group(
                [("invoice_id", "in", self.invoice_ids)], ["invoice_id"], ["__count"]
            )
            self.assertEqual(
                {invoice.id: count for invoice, count in per_invoice},
                dict.fromkeys(self.invoice_ids, 1),
                msg,
            )

    def test_two_workers_never_act_twice(self):
        today = DUE + timedelta(days=3)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            run_a = api.Environment(cr_a, api.SUPERUSER_ID, {})["collection.run"]
            run_b = api.Environment(cr_b, api.SUPERUSER_ID, {})["collection.run"]
            # were B to wait for a row A holds, fail instead of hanging the test run
            cr_b.execute("SET lock_timeout = '10s'")
            # worker A takes two customers and holds their invoices, not yet committed
            events_a = run_a._run(today=today, batch_size=2, max_batches=1)
            self.assertEqual(len(events_a.partner_id), 2)
            # worker B, meanwhile, leaves A's invoices alone and does the rest
            events_b = run_b._run(today=today)
            self.assertEqual(len(events_b.partner_id), 2)
            self.assertFalse(events_a.invoice_id & events_b.invoice_id)
            cr_b.commit()
            cr_a.commit()
            # a third pass finds nothing left to do
            self.assertFalse(run_a._run(today=today))
            self.assertFalse(run_b._run(today=today))
        self._assert_one_event_per_invoice("one event per invoice, in all")
        with self.registry.cursor() as cr:
            mails = api.Environment(cr, api.SUPERUSER_ID, {})["mail.mail"].search_count(
                [("model", "=", "account.move"), ("res_id", "in", self.invoice_ids)]
            )
            self.assertEqual(mails, 4, "one email per invoice, in all")

    def test_a_worker_sees_what_the_other_committed_meanwhile(self):
        """Workers that commit their batches, as the scheduled job does: B read the
        portfolio before A committed its batch, and still never acts twice."""
        today = DUE + timedelta(days=3)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            run_a = api.Environment(cr_a, api.SUPERUSER_ID, {})["collection.run"]
            run_b = api.Environment(cr_b, api.SUPERUSER_ID, {})["collection.run"]
            cr_b.execute("SET lock_timeout = '10s'")
            # B's view of the database starts now, before A's batch
            cr_b.execute("SELECT COUNT(*) FROM account_move")
            events_a = run_a._run(today=today, batch_size=2, max_batches=1, commit=True)
            self.assertEqual(len(events_a.partner_id), 2)
            events_b = run_b._run(today=today, commit=True)
            self.assertEqual(len(events_b.partner_id), 2)
            self.assertFalse(events_a.invoice_id & events_b.invoice_id)
            self.assertEqual(set(events_a.mapped("state") + events_b.mapped("state")), {"done"})
        self._assert_one_event_per_invoice()

    def test_a_customer_held_by_another_worker_is_left_whole(self):
        """Another worker holds a customer (its batch not committed yet): this worker
        leaves every invoice of it, even one the other has not locked."""
        today = DUE + timedelta(days=3)
        held = self.partner_ids[0]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            second = (
                env["account.move"]
                .browse(self.invoice_ids[0])
                .copy({"invoice_date_due": DUE, "invoice_date": DUE - timedelta(days=30)})
            )
            second.action_post()
            self.invoice_ids.append(second.id)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_a.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CUSTOMER_LOCK_KEY, held])
            run_b = api.Environment(cr_b, api.SUPERUSER_ID, {})["collection.run"]
            events_b = run_b._run(today=today)
            self.assertEqual(len(events_b.partner_id), 3)
            self.assertNotIn(held, events_b.partner_id.ids)
            cr_b.commit()
            cr_a.rollback()
            # let go, the customer is taken on the next pass, both invoices at once
            events = run_b._run(today=today)
            self.assertEqual(events.partner_id.ids, [held])
            self.assertEqual(len(events.invoice_id), 2)
            cr_b.commit()

    def test_two_runs_started_together_both_end(self):
        today = DUE + timedelta(days=3)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            # a pause that ends today: each run's start would end it
            env["account.move"].browse(self.invoice_ids[:2]).write(
                {"collection_paused_until": today}
            )
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            run_a = api.Environment(cr_a, api.SUPERUSER_ID, {})["collection.run"]
            run_b = api.Environment(cr_b, api.SUPERUSER_ID, {})["collection.run"]
            cr_b.execute("SET lock_timeout = '5s'")
            # A has ended the pauses and holds its first batch, not yet committed
            events_a = run_a._run(today=today, batch_size=1, max_batches=1)
            # B starts meanwhile: it leaves the holds to A and does what it can
            events_b = run_b._run(today=today)
            self.assertFalse(events_a.invoice_id & events_b.invoice_id)
            cr_b.commit()
            cr_a.commit()
            run_a._run(today=today)
            cr_a.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            invoices = env["account.move"].browse(self.invoice_ids)
            self.assertFalse(any(invoices.mapped("collection_paused_until")))
        self._assert_one_event_per_invoice("every invoice acted on once, in all")
