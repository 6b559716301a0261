# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import CollectionRunCase

START, END = date(2026, 3, 1), date(2026, 3, 30)


@tagged("post_install", "-at_install")
class TestCollectionKpis(CollectionRunCase):
    """The KPIs of a small portfolio, against figures computed by hand (README, "KPIs").

    Period: 1 to 30 March 2026 (30 days). Bruno's customer:
      A: invoiced 1 Feb, due 3 Mar, 1,000, paid in full on 13 Mar;
      B: invoiced 5 Mar, due 4 Apr, 2,000, unpaid;
      C: invoiced 10 Mar, due 20 Mar, 500, 200 paid on 25 Mar.
    Carla's customer:
      D: invoiced 15 Feb, due 25 Feb, 800, unpaid, disputed from 10 Mar.
    """

    def _make(self, partner, invoice_date, due, amount):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Servicio", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount, day):
        with freeze_time(day):
            self._register_payment(invoice, amount=amount, payment_date=day)

    def _portfolio(self):
        a = self._make(self.customer_bruno, date(2026, 2, 1), date(2026, 3, 3), 1000.0)
        b = self._make(self.customer_bruno, date(2026, 3, 5), date(2026, 4, 4), 2000.0)
        c = self._make(self.customer_bruno, date(2026, 3, 10), date(2026, 3, 20), 500.0)
        d = self._make(self.customer_carla, date(2026, 2, 15), date(2026, 2, 25), 800.0)
        self._run_days(date(2026, 3, 6), date(2026, 3, 6))
        with freeze_time(date(2026, 3, 10)):
            self.env["collection.dispute"].create(
                {
                    "partner_id": self.customer_carla.id,
                    "invoice_ids": d.ids,
                    "reason_id": self.env.ref("collections_workflow.dispute_reason_price").id,
                }
            )
        self._pay(a, 1000.0, date(2026, 3, 13))
        for day in (date(2026, 3, 17), date(2026, 3, 20), date(2026, 3, 23)):
            self._run_days(day, day)
        self._pay(c, 200.0, date(2026, 3, 25))
        return a, b, c, d

    def _kpis(self, group="advisor", user=None):
        Kpi = self.env["collection.kpi"]
        if user:
            Kpi = Kpi.with_user(user)
        return Kpi._compute(START, END, group)

    def test_receivable_kpis_by_hand(self):
        self._portfolio()
        kpis = self._kpis()
        bruno, carla = kpis[self.bruno.id], kpis[self.carla.id]
        # Bruno: sales 2,500 (B, C); receivables 1,000 at the start (A), 2,300 at the end
        # (B 2,000 not due + C 300 overdue); collected 1,200
        self.assertAlmostEqual(bruno["sales"], 2500.0)
        self.assertAlmostEqual(bruno["ar_begin"], 1000.0)
        self.assertAlmostEqual(bruno["ar_end"], 2300.0)
        self.assertAlmostEqual(bruno["current_end"], 2000.0)
        self.assertAlmostEqual(bruno["collected"], 1200.0)
        self.assertAlmostEqual(bruno["dso"], 2300 / 2500 * 30)  # 27.6
        self.assertAlmostEqual(bruno["best_dso"], 2000 / 2500 * 30)  # 24.0
        self.assertAlmostEqual(bruno["add"], 3.6)
        self.assertAlmostEqual(bruno["cei"], (1000 + 2500 - 2300) / (1000 + 2500 - 2000) * 100)
        self.assertAlmostEqual(bruno["overdue_ratio"], 300 / 2300 * 100)
        # only A was paid in full in the period: 40 days after its date, 10 after its due
        self.assertAlmostEqual(bruno["days_to_pay"], 40.0)
        self.assertAlmostEqual(bruno["days_late"], 10.0)
        # Carla: no sale, 800 overdue all along, nothing collected: no DSO (n/a), a CEI of 0
        self.assertIsNone(carla["dso"])
        self.assertIsNone(carla["best_dso"])
        self.assertIsNone(carla["days_to_pay"])
        self.assertAlmostEqual(carla["cei"], 0.0)
        self.assertAlmostEqual(carla["overdue_ratio"], 100.0)
        self.assertEqual(carla["disputes_open"], 1)
        self.assertAlmostEqual(carla["dispute_age"], 20.0)
        # the company: everything together
        company = self._kpis("company")[self.company.id]
        self.assertAlmostEqual(company["ar_end"], 3100.0)
        self.assertAlmostEqual(company["dso"], 3100 / 2500 * 30)  # 37.2
        self.assertAlmostEqual(company["cei"], 1200 / 2300 * 100)
        supervisor = self._kpis("supervisor")[self.ana.id]
        self.assertAlmostEqual(supervisor["ar_end"], 3100.0)
        strategy = self._kpis("strategy")[self.standard.id]
        self.assertAlmostEqual(strategy["collected"], 1200.0)

    def test_channel_kpis_by_hand(self):
        self._portfolio()
        bruno = self._kpis()[self.bruno.id]
        # emails: A on 6 Mar (paid 13 Mar: within 7 days), C on 17 Mar (next payment on
        # 25 Mar: 8 days), C on 20 Mar and 23 Mar (paid 25 Mar: within 7 days)
        self.assertEqual(bruno["sent_email"], 4)
        self.assertEqual(bruno["paid7_email"], 3)
        self.assertAlmostEqual(bruno["paid7_ratio_email"], 75.0)
        # the SMS of level 0 on 20 Mar
        self.assertEqual(bruno["sent_sms"], 1)
        self.assertAlmostEqual(bruno["paid7_ratio_sms"], 100.0)

    def test_promise_kpis_by_hand(self):
        x = self._make(self.customer_bruno, date(2026, 2, 1), date(2026, 3, 1), 1000.0)
        y = self._make(self.customer_bruno, date(2026, 2, 1), date(2026, 3, 1), 600.0)
        z = self._make(self.customer_bruno, date(2026, 2, 1), date(2026, 3, 1), 300.0)
        Promise = self.env["collection.promise"]
        with freeze_time(date(2026, 3, 2)):
            kept, broken, later = Promise.create(
                [
                    {
                        "partner_id": self.customer_bruno.id,
                        "invoice_ids": invoice.ids,
                        "amount": amount,
                        "promise_date": promise_date,
                    }
                    for invoice, amount, promise_date in (
                        (x, 1000.0, date(2026, 3, 10)),
                        (y, 600.0, date(2026, 3, 12)),
                        (z, 300.0, date(2026, 4, 20)),
                    )
                ]
            )
        self._pay(x, 1000.0, date(2026, 3, 9))
        Promise._close_expired(date(2026, 3, 16))
        self.assertEqual((kept | broken | later).mapped("state"), ["kept", "broken", "open"])
        bruno = self._kpis()[self.bruno.id]
        self.assertEqual(bruno["promises_closed"], 2)
        self.assertAlmostEqual(bruno["promise_kept_ratio"], 50.0)

    def test_each_role_sees_its_scope(self):
        self._portfolio()
        self.assertEqual(set(self._kpis(user=self.user_bruno)), {self.bruno.id})
        self.assertEqual(set(self._kpis(user=self.user_ana)), {self.bruno.id, self.carla.id})
        self.assertFalse(self._kpis(user=self.user_diego))
        self.assertEqual(set(self._kpis(user=self.user_manager)), {self.bruno.id, self.carla.id})
        # the report screen, as the advisor
        report = (
            self.env["collection.kpi.report"]
            .with_user(self.user_bruno)
            .create({"date_from": START, "date_to": END, "group_by": "advisor"})
        )
        report.action_compute()
        self.assertEqual(report.line_ids.mapped("name"), [self.bruno.display_name])
        self.assertEqual(report.line_ids.dso, "27.6")

    def test_snapshot_is_idempotent_per_day(self):
        self._portfolio()
        Snapshot = self.env["collection.kpi.snapshot"]
        with freeze_time(date(2026, 3, 31)):
            Snapshot._cron_snapshot()
            first = Snapshot.search([("date", "=", END)])
            values = sorted(first.mapped(lambda s: (s.advisor_id.id, s.receivables, s.dso)))
            Snapshot._cron_snapshot()
        again = Snapshot.search([("date", "=", END)])
        self.assertEqual(
            sorted(again.mapped(lambda s: (s.advisor_id.id, s.receivables, s.dso))), values
        )
        self.assertEqual(len(again), len(first))
        bruno = again.filtered(lambda s: s.advisor_id == self.bruno)
        self.assertEqual(bruno.supervisor_id, self.ana)
        self.assertAlmostEqual(bruno.receivables, 2300.0)
        # the 90-day window from 1 January: sales 3,500 (A, B, C); 2,300 due at the end
        self.assertAlmostEqual(bruno.dso, 2300 / 3500 * 90, places=1)
        carla = again.filtered(lambda s: s.advisor_id == self.carla)
        self.assertEqual(carla.disputes_open, 1)
        # a day with a payment: what was collected that day
        Snapshot._take(date(2026, 3, 25))
        day = Snapshot.search(
            [("date", "=", date(2026, 3, 25)), ("advisor_id", "=", self.bruno.id)]
        )
        self.assertAlmostEqual(day.collected, 200.0)
        # each role sees its own rows
        self.assertEqual(Snapshot.with_user(self.user_bruno).search([]).advisor_id, self.bruno)
        self.assertEqual(
            Snapshot.with_user(self.user_ana).search([]).advisor_id, self.bruno | self.carla
        )
        self.assertFalse(Snapshot.with_user(self.user_diego).search([]))
