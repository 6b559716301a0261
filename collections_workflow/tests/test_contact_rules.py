# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from odoo.tests import freeze_time, tagged

from ..hooks import post_init_hook
from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestContactRules(CollectionRunCase):
    """Contact hours in each customer's time zone, holidays, weekly limits, opt-outs.

    The shipped calendar opens Monday to Friday 9:00-19:00 and Saturday 9:00-13:00. DUE
    (10 March 2026) is a Tuesday: Santiago is then at UTC-3 (summer time until 5 April),
    Lima at UTC-5, Mexico City at UTC-6.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref(
            "collections_workflow.resource_calendar_collection_contact_hours"
        )
        cls.company.write(
            {"collection_contact_calendar_id": cls.calendar.id, "collection_cap_total": 4}
        )
        # Santiago by its phone number, Lima by its country, Mexico City by its own zone
        cls.customer_bruno.write({"tz": False, "country_id": cls.env.ref("base.cl").id})
        cls.customer_carla.write(
            {
                "tz": False,
                "phone": False,
                "country_id": cls.env.ref("base.pe").id,
            }
        )
        cls.customer_elena.write(
            {"tz": "America/Mexico_City", "country_id": cls.env.ref("base.mx").id}
        )

    def _events(self, invoice):
        return invoice.collection_event_ids.filtered(lambda event: event.state != "skipped")

    def test_shipped_calendar_named_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("es_CL")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_CL"])
        self.company.partner_id.lang = "es_CL"
        post_init_hook(self.env)
        self.assertEqual(self.calendar.name, "Horario de contacto de cobranza")
        self.assertEqual(self.calendar.attendance_ids.sorted("dayofweek")[0].name, "Lunes")
        legal = self.env.ref("collections_workflow.res_partner_collection_legal_counsel")
        self.assertEqual(legal.name, "Asesoría legal (cobranza)")

    def test_due_today_message_deferred_past_the_due_date_is_not_sent(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Feriado",
                "calendar_id": self.calendar.id,
                # Friday 13 March in Santiago (UTC-3)
                "date_from": datetime(2026, 3, 13, 3, 0),
                "date_to": datetime(2026, 3, 14, 2, 59, 59),
            }
        )
        invoice = self._invoice(self.customer_bruno, due=date(2026, 3, 13))
        # due on a public holiday, a closed day: the step waits for Saturday
        with freeze_time("2026-03-13 15:00:00"):
            self.Run._run()
        waiting = invoice.collection_event_ids.filtered(lambda e: e.state == "deferred")
        self.assertEqual(waiting.level_id, self.level[0])
        # on Saturday the invoice is late: "due today" would be false, so it is not sent
        with freeze_time("2026-03-14 12:30:00"):
            self.Run._run()
        step = invoice.collection_event_ids.filtered(lambda e: e.level_id == self.level[0])
        self.assertEqual(step.state, "skipped")
        self.assertIn("past its due date", step.note)
        self.assertFalse(self._mails(invoice), "no 'due today' for an invoice due yesterday")
        self.assertEqual(invoice.collection_next_level_id, self.level[3])

    def test_three_time_zones_at_the_same_instant(self):
        santiago = self._invoice(self.customer_bruno)
        lima = self._invoice(self.customer_carla)
        mexico = self._invoice(self.customer_elena)
        # Friday 13 March, 12:30 UTC: 9:30 in Santiago, 7:30 in Lima, 6:30 in Mexico City
        with freeze_time("2026-03-13 12:30:00"):
            self.Run._run()
        self.assertEqual(self._events(santiago).state, "done")
        self.assertEqual(len(self._mails(santiago)), 1)
        for invoice, zone, opens in (
            (lima, "America/Lima", datetime(2026, 3, 13, 14, 0)),
            (mexico, "America/Mexico_City", datetime(2026, 3, 13, 15, 0)),
        ):
            event = self._events(invoice)
            self.assertEqual(event.state, "deferred")
            self.assertEqual(event.scheduled_at, opens, "9:00 in the customer's time zone")
            self.assertIn(zone, event.note)
            self.assertEqual(invoice.collection_deferred_until, opens)
            self.assertFalse(self._mails(invoice), "not sent early")
            self.assertEqual(invoice.collection_next_level_id, self.level[3], "not dropped")
        with freeze_time("2026-03-13 14:05:00"):
            self.Run._run()
        self.assertEqual(self._events(lima).state, "done")
        self.assertIn("Waited until 2026-03-13 14:00:00", self._events(lima).note)
        self.assertEqual(len(self._mails(lima)), 1)
        self.assertFalse(lima.collection_deferred_until)
        self.assertEqual(self._events(mexico).state, "deferred", "still before 9:00 there")
        with freeze_time("2026-03-13 15:00:00"):
            self.Run._run()
        self.assertEqual(self._events(mexico).state, "done")
        self.assertEqual(len(self._mails(mexico)), 1)
        self.assertEqual(len(self._mails(santiago)), 1, "never twice")

    def test_daylight_saving_change_in_santiago(self):
        before = self._invoice(self.customer_bruno, due=date(2026, 3, 30))
        after = self._invoice(self.customer_bruno, due=date(2026, 4, 6))
        # the same 12:30 UTC on two Mondays: 9:30 in Santiago before the change (UTC-3)
        # on 5 April, 8:30 after it (UTC-4)
        with freeze_time("2026-03-30 12:30:00"):
            self.Run._run()
        self.assertEqual(self._events(before).filtered("sent_email").state, "done")
        with freeze_time("2026-04-06 12:30:00"):
            self.Run._run()
        event = self._events(after).filtered(lambda event: event.level_id == self.level[0])
        self.assertEqual(event.state, "deferred")
        self.assertEqual(event.scheduled_at, datetime(2026, 4, 6, 13, 0))

    def test_public_holiday_is_a_closed_day(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Feriado",
                "calendar_id": self.calendar.id,
                # Friday 13 March in Santiago (UTC-3)
                "date_from": datetime(2026, 3, 13, 3, 0),
                "date_to": datetime(2026, 3, 14, 2, 59, 59),
            }
        )
        invoice = self._invoice(self.customer_bruno)
        with freeze_time("2026-03-13 15:00:00"):
            self.Run._run()
        event = self._events(invoice)
        self.assertEqual(event.state, "deferred")
        self.assertEqual(
            event.scheduled_at, datetime(2026, 3, 14, 12, 0), "Saturday 9:00 in Santiago"
        )

    def test_each_country_closes_on_its_own_public_holidays(self):
        """Good Friday, 3 April 2026, from the ``holidays`` package: a public holiday in
        Chile (Saturday too) and in Peru, a working day in Mexico; the company calendar
        knows none of it."""
        self.assertFalse(self.calendar.leave_ids)
        santiago = self._invoice(self.customer_bruno, due=date(2026, 4, 3))
        lima = self._invoice(self.customer_carla, due=date(2026, 4, 3))
        mexico = self._invoice(self.customer_elena, due=date(2026, 4, 3))
        # 14:00 UTC: 11:00 in Santiago, 9:00 in Lima, 8:00 in Mexico City
        with freeze_time("2026-04-03 14:00:00"):
            self.Run._run()
        for invoice, opens, why in (
            # Saturday is a holiday too, Sunday closed; Monday 9:00, summer time over (UTC-4)
            (santiago, datetime(2026, 4, 6, 13, 0), "Monday 9:00 in Santiago"),
            (lima, datetime(2026, 4, 4, 14, 0), "Saturday 9:00 in Lima"),
            (mexico, datetime(2026, 4, 3, 15, 0), "Friday 9:00 in Mexico City, a working day"),
        ):
            event = self._events(invoice)
            self.assertEqual(event.state, "deferred")
            self.assertEqual(event.scheduled_at, opens, why)
            self.assertFalse(self._mails(invoice))
        # a customer of Santiago's region: the same national holidays
        self.customer_bruno.state_id = self.env.ref("base.state_cl_13")
        self.env.invalidate_all()
        policy = self.env["collection.contact.policy"]
        self.assertTrue(policy._is_public_holiday(date(2026, 4, 3), "CL", "CL-RM"))
        self.assertFalse(policy._is_public_holiday(date(2026, 4, 3), "MX", False))
        self.assertFalse(policy._is_public_holiday(date(2026, 4, 3), "XX", False), "unknown")

    def test_weekly_contact_limit_defers_and_logs(self):
        self.company.collection_cap_total = 2
        invoices = [self._invoice(self.customer_bruno, amount) for amount in (100, 200, 300)]
        with freeze_time("2026-03-13 13:00:00"):
            self.Run._run()
        events = self.Event.search(
            [("invoice_id", "in", [invoice.id for invoice in invoices])]
        ).filtered(lambda event: event.level_id == self.level[3])
        self.assertEqual(sorted(events.mapped("state")), ["deferred", "done", "done"])
        waiting = events.filtered(lambda event: event.state == "deferred")
        late = waiting.invoice_id
        self.assertIn("weekly contact limit", waiting.note)
        self.assertEqual(
            waiting.scheduled_at,
            datetime(2026, 3, 20, 12, 0),
            "a week later, when the first two leave the rolling week, at 9:00 in Santiago",
        )
        with freeze_time("2026-03-16 13:00:00"):
            self.assertFalse(self.Run._run(), "still waiting on Monday")
        with freeze_time("2026-03-20 12:00:00"):
            self.Run._run()
        # by then the advisor's call (7 days late) is due too: the highest level acts,
        # the email that waited is passed over, its wait still told
        self.assertEqual(late.collection_last_level_id, self.level[7])
        self.assertFalse(self._mails(late))
        passed = late.collection_event_ids.filtered(lambda event: event.level_id == self.level[3])
        self.assertEqual(passed.state, "skipped")
        self.assertIn("weekly contact limit", passed.note)
        self.assertEqual(self._activities(late).user_id, self.user_bruno)

    def test_per_channel_limit(self):
        self.company.collection_cap_sms = 1
        first = self._invoice(self.customer_bruno, due=DUE)
        second = self._invoice(self.customer_bruno, due=DUE + timedelta(days=1))
        with freeze_time("2026-03-10 13:00:00"):
            self.Run._run()
        with freeze_time("2026-03-11 13:00:00"):
            self.Run._run()
        self.assertEqual(
            self._events(first).filtered(lambda e: e.level_id == self.level[0]).state, "done"
        )
        waiting = self._events(second).filtered(lambda e: e.level_id == self.level[0])
        self.assertEqual(waiting.state, "deferred", "one SMS a week")
        self.assertEqual(waiting.scheduled_at, datetime(2026, 3, 17, 12, 0))

    def test_opted_out_channel_falls_back(self):
        self.customer_bruno.collection_optout_email = True
        invoice = self._invoice(self.customer_bruno)
        with freeze_time("2026-03-10 13:00:00"):
            self.Run._run()
        due_day = self._events(invoice)
        self.assertEqual(due_day.state, "done", "the SMS of the due day went out")
        self.assertIn("opted out (No Collection Emails)", due_day.note)
        self.assertFalse(self._mails(invoice))
        self.assertEqual(
            len(self.env["sms.sms"].search([("partner_id", "=", self.customer_bruno.id)])), 1
        )
        with freeze_time("2026-03-13 13:00:00"):
            self.Run._run()
        overdue = self._events(invoice) - due_day
        self.assertEqual(overdue.state, "failed", "the overdue level only emails")
        task = self._activities(invoice)
        self.assertEqual(task.user_id, self.user_bruno, "the advisor reaches the customer")
        self.assertIn("opted out", task.note)

    def test_a_contact_follows_its_company_opt_out(self):
        self.customer_bruno.collection_optout_sms = True
        contact = self.env["res.partner"].create(
            {"name": "Pagos Andes", "parent_id": self.customer_bruno.id}
        )
        self.assertTrue(contact.collection_optout_sms)

    def test_a_statement_and_a_reminder_the_same_night_both_wait(self):
        statement_due = self._invoice(self.customer_bruno, 300.0, due=DUE - timedelta(days=12))
        reminder_due = self._invoice(self.customer_bruno, 200.0)
        self.Event.sudo().create(
            [
                self.Run._prepare_event_vals(statement_due, self.level[day], DUE)
                for day in (-3, 0, 3, 7)
            ]
            + [self.Run._prepare_event_vals(reminder_due, self.level[day], DUE) for day in (-3, 0)]
        )
        # Friday 13 March, 2:00 UTC: 23:00 on Thursday in Santiago
        with freeze_time("2026-03-13 02:00:00"):
            events = self.Run._run()
        self.assertEqual(set(events.mapped("state")), {"deferred"})
        self.assertEqual(events.invoice_id, statement_due | reminder_due)
        self.assertFalse(self._mails(reminder_due) | self._mails(self.customer_bruno))
