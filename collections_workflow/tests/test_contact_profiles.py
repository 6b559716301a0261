# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

import pytz

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from ..hooks import post_init_hook
from .common import CollectionRunCase

# Sunday 12 July 2026: the week after it has Colombia's Monday 13 (Our Lady of
# Chiquinquirá, observed) and Chile's Thursday 16 (Our Lady of Mount Carmel) as public
# holidays, in the package holidays. Santiago is then at UTC-4, Lima and Bogotá at UTC-5,
# Mexico City at UTC-6, New York at UTC-4.
DUE = date(2026, 7, 12)


def utc(*args):
    return pytz.utc.localize(datetime(*args))


@tagged("post_install", "-at_install")
class TestContactProfiles(CollectionRunCase):
    """Each customer follows its country's collection law, out of the box."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_use_contact_profiles = True
        cls.Profile = cls.env["collection.contact.profile"]
        cls.Policy = cls.env["collection.contact.policy"]
        cls.chile = cls.env.ref("collections_workflow.collection_contact_profile_cl")
        countries = {code: cls.env.ref(f"base.{code}") for code in ("cl", "pe", "mx", "co", "us")}
        zones = {
            "cl": "America/Santiago",
            "pe": "America/Lima",
            "mx": "America/Mexico_City",
            "co": "America/Bogota",
            "us": "America/New_York",
        }
        cls.customers = {
            code: cls.env["res.partner"].create(
                {
                    "name": f"Cliente {code.upper()}",
                    "is_company": True,
                    "customer_rank": 1,
                    "country_id": country.id,
                    "tz": zones[code],
                    "email": f"pagos@{code}.example.com",
                    "phone": False,
                }
            )
            for code, country in countries.items()
        }
        for customer in cls.customers.values():
            customer.collection_advisor_id = cls.bruno
        cls.overdue_mail = cls.env.ref("collections_workflow.mail_template_collection_overdue")
        cls.sms = cls.env.ref("collections_workflow.sms_template_collection_due_today")

    def _strategy(self, *levels):
        strategy = self.env["collection.strategy"].create(
            {
                "name": "Profiles",
                "company_id": self.company.id,
                "level_ids": [
                    Command.create({"name": f"Day {vals['day_offset']}", **vals}) for vals in levels
                ],
            }
        )
        self.company.collection_strategy_id = strategy
        return {level.day_offset: level for level in strategy.level_ids}

    def _email(self, day):
        return {"day_offset": day, "use_email": True, "email_template_id": self.overdue_mail.id}

    def _events(self, invoice, level):
        return invoice.collection_event_ids.filtered(lambda event: event.level_id == level)

    def test_each_country_profile_opens_its_own_hours_in_the_same_week(self):
        customers = self.env["res.partner"].concat(*self.customers.values())
        # (moment the run looks at, {country: first moment a message may go out})
        expected = [
            # Monday 13, a minute before the openings: Colombia is on a public holiday
            (
                utc(2026, 7, 13, 11, 59),
                {
                    "cl": utc(2026, 7, 13, 12, 0),  # 08:00 in Santiago
                    "pe": utc(2026, 7, 13, 12, 0),  # 07:00 in Lima
                    "mx": utc(2026, 7, 13, 13, 0),  # 07:00 in Mexico City
                    "co": utc(2026, 7, 14, 12, 0),  # Tuesday 07:00 in Bogotá
                    "us": utc(2026, 7, 13, 12, 0),  # 08:00 in New York (strict default)
                },
            ),
            # Thursday 16, 19:59 in Santiago, a public holiday there; 19:59 in New York is
            # past the strict default's 19:00
            (
                utc(2026, 7, 16, 23, 59),
                {
                    "cl": utc(2026, 7, 17, 12, 0),
                    "pe": utc(2026, 7, 16, 23, 59),
                    "mx": utc(2026, 7, 16, 23, 59),
                    "co": utc(2026, 7, 16, 23, 59),  # 18:59 in Bogotá
                    "us": utc(2026, 7, 17, 12, 0),
                },
            ),
            # Friday 17, 20:00 in Santiago: closed; Saturday opens at 08:00 there
            (
                utc(2026, 7, 18, 0, 0),
                {
                    "cl": utc(2026, 7, 18, 12, 0),
                    "pe": utc(2026, 7, 18, 0, 0),  # 19:00 on Friday is open in Lima
                    "mx": utc(2026, 7, 18, 0, 0),  # 18:00 in Mexico City
                    "co": utc(2026, 7, 18, 13, 0),  # Saturday 08:00 in Bogotá
                    "us": utc(2026, 7, 20, 12, 0),
                },
            ),
            # Saturday 18, 15:00 in Bogotá (its Saturday closes then), 16:00 in Santiago
            (
                utc(2026, 7, 18, 20, 0),
                {
                    "cl": utc(2026, 7, 18, 20, 0),
                    "pe": utc(2026, 7, 20, 12, 0),  # no Saturday in Peru
                    "mx": utc(2026, 7, 18, 20, 0),
                    # Monday 20 is Colombia's Independence Day
                    "co": utc(2026, 7, 21, 12, 0),
                    "us": utc(2026, 7, 20, 12, 0),
                },
            ),
            # Sunday 19, 22:00 in Mexico City on Saturday evening: its day ends at 22:00
            (
                utc(2026, 7, 19, 4, 0),
                {
                    "cl": utc(2026, 7, 20, 12, 0),  # no Sunday in Chile
                    "pe": utc(2026, 7, 20, 12, 0),
                    "mx": utc(2026, 7, 19, 13, 0),  # Sunday 07:00 in Mexico City
                    "co": utc(2026, 7, 21, 12, 0),
                    "us": utc(2026, 7, 20, 12, 0),
                },
            ),
        ]
        for start, by_country in expected:
            opens = self.Policy._get_open_moments(customers, self.company, start)
            for code, moment in by_country.items():
                with self.subTest(start=start, country=code):
                    self.assertEqual(opens[self.customers[code]], moment)

    def test_the_run_defers_each_customer_to_its_profile_hours(self):
        self._strategy(self._email(1))
        invoices = {
            code: self._invoice(customer, due=DUE) for code, customer in self.customers.items()
        }
        # Monday 13 at 07:30 in Santiago
        with freeze_time("2026-07-13 11:30:00"):
            self.Run._run()
        for code, invoice in invoices.items():
            with self.subTest(country=code):
                event = invoice.collection_event_ids
                self.assertEqual(event.state, "deferred")
                self.assertIn("contact hours", event.note)
        self.assertEqual(
            invoices["co"].collection_event_ids.scheduled_at, datetime(2026, 7, 14, 12, 0)
        )
        self.assertEqual(
            invoices["mx"].collection_event_ids.scheduled_at, datetime(2026, 7, 13, 13, 0)
        )
        # 08:00 in Santiago, Lima at 07:00 and New York at 08:00: those three go out
        with freeze_time("2026-07-13 12:00:00"):
            self.Run._run()
        sent = {code for code, invoice in invoices.items() if self._mails(invoice)}
        self.assertEqual(sent, {"cl", "pe", "us"})

    def test_chile_second_call_refused_and_written_contacts_spaced(self):
        levels = self._strategy(
            self._email(1),  # Monday 13
            {"day_offset": 2, "use_call": True},  # Tuesday 14: the week's call
            {"day_offset": 5, "use_call": True},  # Friday 17: a second call, refused
            self._email(8),  # Monday 20
            self._email(9),  # Tuesday 21: one day after the last written contact
        )
        customer = self.customers["cl"]
        invoice = self._invoice(customer, due=DUE)
        day = DUE + timedelta(days=1)
        while day <= date(2026, 7, 23):
            # 11:00 in Santiago
            with freeze_time(f"{day} 15:00:00"):
                self.Run._run()
            day += timedelta(days=1)
        file = self._thread(customer)
        calls = self.env["mail.activity"].search(
            [
                ("res_model", "=", invoice._name),
                ("res_id", "=", invoice.id),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
            ]
        )
        self.assertEqual(len(calls), 1, "Chile allows one call or visit a week")
        refused = self._events(invoice, levels[5])
        self.assertEqual(refused.state, "done")
        self.assertFalse(refused.called)
        self.assertIn("No call task: Chile (Ley 19.496) allows 1 call", refused.note)
        self.assertIn("No call task", " ".join(file.message_ids.mapped("body")))
        self.assertTrue(self._events(invoice, levels[2]).called)
        # the third written contact waits two days after Monday's, to Wednesday 08:00
        spaced = self._events(invoice, levels[9])
        self.assertEqual(spaced.state, "done")
        self.assertEqual(spaced.date, date(2026, 7, 22))
        self.assertIn("Waited until 2026-07-22 12:00:00", spaced.note)
        self.assertIn("2 days between written contacts", spaced.note)
        self.assertEqual(len(self._mails(invoice)), 3)

    def test_lawsuit_stops_every_channel(self):
        whatsapp = self.env.ref("collections_workflow.sms_template_collection_due_today")
        letter = self.env.ref("collections_workflow.mail_template_collection_formal_letter")
        levels = self._strategy(
            {
                **self._email(1),
                "use_sms": True,
                "sms_template_id": self.sms.id,
                "use_whatsapp": True,
                "whatsapp_template_id": whatsapp.id,
                "use_letter": True,
                "letter_template_id": letter.id,
                "use_call": True,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        served, other = self.customers["cl"], self.customers["pe"]
        served.phone = "+56 2 2345 6709"
        sued = self._invoice(served, due=DUE)
        on_its_own = self._invoice(other, due=DUE)
        still_due = self._invoice(other, due=DUE)
        served.with_company(self.company).write(
            {"collection_legal_status": "lawsuit", "collection_legal_since": DUE}
        )
        on_its_own.collection_legal_status = "insolvency"
        self.assertEqual(sued.collection_status, "legal")
        self.assertEqual(on_its_own.collection_status, "legal")
        self.assertEqual(still_due.collection_status, "active")
        activities_before = self.env["mail.activity"].search_count([])
        with freeze_time("2026-07-14 15:00:00"):
            self.Run._run()
        for invoice in (sued, on_its_own):
            self.assertFalse(invoice.collection_event_ids)
            self.assertFalse(self._mails(invoice))
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", served.id)]))
        # the only work done is on the invoice still in extrajudicial collection
        self.assertTrue(self._events(still_due, levels[1]))
        self.assertEqual(
            self.env["mail.activity"].search_count([]) - activities_before,
            len(self.env["mail.activity"].search([("res_id", "=", still_due.id)])),
        )
        # nor by hand
        with self.assertRaisesRegex(UserError, "Legal Proceedings"):
            self.env["collection.manual.action"].create(
                {"action": "send_now", "invoice_ids": [Command.set(sued.ids)], "reason": "x"}
            ).action_apply()

    def test_legal_hand_over_level_stops_the_customer(self):
        legal = self.env.ref("collections_workflow.res_partner_collection_legal_counsel")
        levels = self._strategy(
            self._email(1),
            {
                "day_offset": 60,
                "handover": "legal",
                "handover_partner_id": legal.id,
                "legal_stop": "lawsuit",
            },
        )
        customer = self.customers["cl"]
        old = self._invoice(customer, due=DUE)
        recent = self._invoice(customer, due=DUE + timedelta(days=60))
        with freeze_time("2026-09-10 15:00:00"):
            self.Run._run()
        self.assertTrue(self._events(old, levels[60]))
        self.assertEqual(customer.with_company(self.company).collection_legal_status, "lawsuit")
        self.assertEqual(
            customer.with_company(self.company).collection_legal_since, date(2026, 9, 10)
        )
        self.assertEqual(recent.collection_status, "legal")
        with freeze_time("2026-09-11 15:00:00"):
            self.Run._run()
        self.assertFalse(recent.collection_event_ids, "its reminder is not sent")

    def test_chile_fee_brackets_and_mexican_interest_by_hand(self):
        clf = self.env.ref("base.CLF")
        clf.active = True
        # the UF is worth 40,000.00 in the company's currency on 1 July
        self.env["res.currency.rate"].create(
            {
                "currency_id": clf.id,
                "name": "2026-07-01",
                "rate": 1 / 40000,
                "company_id": self.company.id,
            }
        )
        product = self.env["product.product"].create(
            {"name": "Gastos de cobranza", "type": "service", "taxes_id": [Command.clear()]}
        )
        levels = self._strategy(
            {
                "day_offset": 10,
                "charge_type": "fixed",
                "charge_amount": 1000.0,
                "charge_product_id": product.id,
            },
            {"day_offset": 25, "charge_type": "country", "charge_product_id": product.id},
            {
                "day_offset": 30,
                "charge_type": "fixed",
                "charge_amount": 20000.0,
                "charge_product_id": product.id,
            },
            {"day_offset": 73, "charge_type": "country", "charge_product_id": product.id},
        )
        cl = self.customers["cl"]
        small, middle, large = (
            self._invoice(cl, amount=amount, due=DUE) for amount in (200000, 2000000, 3000000)
        )
        mexican = self._invoice(self.customers["mx"], amount=100000, due=DUE)
        Charge = self.env["collection.charge"]
        invoices = small | middle | large
        # 10 days late: Chile allows collection fees only after 20 days
        amounts, refusals = Charge._get_charge_amounts(levels[10], invoices, DUE + timedelta(10))
        self.assertFalse(amounts)
        self.assertIn("only after 20 days late", refusals[small])
        # 25 days late, the preset: 9 % up to 10 UF, 6 % from 10 to 50 UF, 3 % above
        amounts, refusals = Charge._get_charge_amounts(levels[25], invoices, DUE + timedelta(25))
        self.assertFalse(refusals)
        # 5 UF: 0.45 UF; 50 UF: 0.9 + 2.4 = 3.3 UF; 75 UF: 3.3 + 0.75 = 4.05 UF
        self.assertEqual(
            {invoice: amount for invoice, (amount, _kind) in amounts.items()},
            {small: 18000.0, middle: 132000.0, large: 162000.0},
        )
        # a fixed fee of 20,000.00 is above the 5 UF invoice's cap of 18,000.00
        amounts, refusals = Charge._get_charge_amounts(levels[30], invoices, DUE + timedelta(30))
        self.assertEqual(set(amounts), {middle, large})
        self.assertIn("caps collection charges at", refusals[small])
        self.assertIn("18,000.00", refusals[small])
        # Mexico: 6 % a year, 73 days late: 100,000.00 x 6 % x 73 / 365
        amounts, refusals = Charge._get_charge_amounts(levels[73], mexican, DUE + timedelta(73))
        self.assertEqual(amounts[mexican], (1200.0, "interest"))
        # through the run, the refusal is on the invoice's event
        with freeze_time("2026-08-11 15:00:00"):
            self.Run._run()
        self.assertIn("refused", self._events(small, levels[30]).note)

    def test_chile_fee_needs_the_day_uf_value(self):
        product = self.env["product.product"].create({"name": "Gastos", "type": "service"})
        levels = self._strategy(
            {"day_offset": 25, "charge_type": "country", "charge_product_id": product.id}
        )
        invoice = self._invoice(self.customers["cl"], amount=200000, due=DUE)
        amounts, refusals = self.env["collection.charge"]._get_charge_amounts(
            levels[25], invoice, DUE + timedelta(25)
        )
        self.assertFalse(amounts)
        self.assertIn("enter the value of CLF", refusals[invoice])

    def test_mexican_templates_state_the_amount_its_date_and_how_to_settle(self):
        self.company.country_id = self.env.ref("base.mx")
        bare = self.env["mail.template"].create(
            {
                "name": "Recordatorio",
                "model_id": self.env["ir.model"]._get_id("account.move"),
                "body_html": "<p>{{ object.company_id.name }}: su asesor "
                "{{ object.collection_advisor_id.name }} le recuerda "
                "{{ object.amount_residual }}.</p>",
            }
        )
        with self.assertRaises(ValidationError) as caught:
            self._strategy({"day_offset": 1, "use_email": True, "email_template_id": bare.id})
        self.assertIn("Mexico (Condusef) requires", str(caught.exception))
        self.assertIn("the date it was computed on", str(caught.exception))
        self.assertIn("how to settle", str(caught.exception))
        # the shipped templates say all of it
        levels = self._strategy(self._email(1))
        self.assertTrue(levels[1])
        # a Chilean company's templates need not
        self.company.country_id = self.env.ref("base.cl")
        self._strategy({"day_offset": 1, "use_email": True, "email_template_id": bare.id})

    def test_company_overrides_its_country_profile_and_a_customer_its_own(self):
        mine = self.Profile.create(
            {
                "name": "Chile (our B2B rules)",
                "country_id": self.env.ref("base.cl").id,
                "company_id": self.company.id,
                "calendar_id": self.chile.calendar_id.id,
                "cap_total": 3,
            }
        )
        peru = self.env.ref("collections_workflow.collection_contact_profile_pe")
        cl, pe, other = self.customers["cl"], self.customers["pe"], self.customers["mx"]
        other.with_company(self.company).collection_contact_profile_id = peru
        profiles = self.Profile._get_for_customers(cl | pe | other, self.company)
        self.assertEqual(profiles[cl], mine)
        self.assertEqual(profiles[pe], peru)
        self.assertEqual(profiles[other], peru)
        # the customer's form says which one it follows
        self.assertEqual(cl.collection_followed_profile_id, mine)
        # no call limit in the company's own profile: both call tasks are created
        levels = self._strategy(
            {"day_offset": 2, "use_call": True}, {"day_offset": 5, "use_call": True}
        )
        invoice = self._invoice(cl, due=DUE)
        for day in (14, 17):
            with freeze_time(f"2026-07-{day} 15:00:00"):
                self.Run._run()
        self.assertTrue(self._events(invoice, levels[5]).called)
        # the settings say which profile each country follows
        settings = self.env["collection.config"].create({})
        summary = settings.collection_contact_profile_summary
        self.assertIn("Chile: Chile (our B2B rules)", summary)
        self.assertIn("Mexico: Mexico (Condusef)", summary)
        self.assertIn("Other countries: Strict default", summary)
        with self.assertRaisesRegex(ValidationError, "already has a profile"):
            mine.copy({"name": "Twin"})

    def test_profiles_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_CL")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_CL"])
        self.company.partner_id.lang = "es_CL"
        post_init_hook(self.env)
        mexico = self.env.ref("collections_workflow.collection_contact_profile_mx")
        self.assertEqual(mexico.with_context(lang="es_CL").name, "México (Condusef)")
        calendar = self.chile.calendar_id
        self.assertEqual(calendar.name, "Cobranza: horario permitido (Chile)")
        self.assertEqual(calendar.attendance_ids.sorted("dayofweek")[5].name, "Sábado")

    def test_profile_form_and_switch_off(self):
        with Form(self.Profile) as form:
            form.name = "Argentina"
            form.country_id = self.env.ref("base.ar")
            form.cap_total = 3
        self.company.collection_use_contact_profiles = False
        profiles = self.Profile._get_for_customers(self.customers["cl"], self.company)
        self.assertFalse(profiles[self.customers["cl"]])
