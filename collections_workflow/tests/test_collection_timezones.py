# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionTimezones(CollectionRunCase):
    """Customers created by users of another time zone are contacted in their own hours.

    Odoo fills a new partner's time zone from the creating user's (the context ``tz``).
    The shipped calendar opens Monday to Friday 9:00-19:00 and Saturday 9:00-13:00. On
    Friday 13 March 2026 Brussels is at UTC+1, Santiago at UTC-3, Lima at UTC-5, Mexico
    City at UTC-6 and Tijuana at UTC-7 (its summer time began on 8 March).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_contact_calendar_id = cls.env.ref(
            "collections_workflow.resource_calendar_collection_contact_hours"
        )
        cls.chile = cls.env.ref("base.cl")
        cls.peru = cls.env.ref("base.pe")
        cls.mexico = cls.env.ref("base.mx")
        cls.user_brussels = new_test_user(
            cls.env,
            "cw_brussels",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
            tz="Europe/Brussels",
        )
        cls.user_santiago = new_test_user(
            cls.env,
            "cw_santiago",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
            tz="America/Santiago",
        )
        # Santiago by its phone number, Lima and Mexico City by their country
        cls.customer_cl, cls.customer_pe, cls.customer_mx = cls._create_customers(
            cls.user_brussels,
            [
                {
                    "name": "Minera Atacama SpA",
                    "country_id": cls.chile.id,
                    "phone": "+56 2 2345 6790",
                    "email": "pagos@atacama.example.com",
                },
                {
                    "name": "Textiles Rímac SAC",
                    "country_id": cls.peru.id,
                    "email": "pagos@rimac.example.com",
                },
                {
                    "name": "Abarrotes del Bajío SA de CV",
                    "country_id": cls.mexico.id,
                    "email": "pagos@bajio.example.com",
                },
            ],
        )

    @classmethod
    def _create_customers(cls, user, vals_list):
        """Customers created as the web client does: by ``user``, in its time zone."""
        customers = (
            cls.env["res.partner"]
            .with_user(user)
            .with_context(tz=user.tz)
            .create([{"is_company": True, "customer_rank": 1, **vals} for vals in vals_list])
            .with_env(cls.env)
        )
        customers.collection_advisor_id = cls.bruno
        return customers

    def _event(self, invoice):
        return invoice.collection_event_ids.filtered(lambda event: event.state != "skipped")

    def test_created_in_brussels_read_in_their_own_zones(self):
        customers = self.customer_cl | self.customer_pe | self.customer_mx
        self.assertEqual(set(customers.mapped("tz")), {"Europe/Brussels"}, "Odoo's default")
        self.assertEqual(
            customers.mapped("collection_contact_tz"),
            ["America/Santiago", "America/Lima", "America/Mexico_City"],
        )

    def test_open_there_while_closed_in_brussels(self):
        invoices = [
            self._invoice(customer)
            for customer in (self.customer_cl, self.customer_pe, self.customer_mx)
        ]
        # Friday 13 March, 18:30 UTC: 19:30 in Brussels (closed), 15:30 in Santiago, 13:30
        # in Lima, 12:30 in Mexico City
        with freeze_time("2026-03-13 18:30:00"):
            self.Run._run()
        for invoice in invoices:
            event = self._event(invoice)
            self.assertEqual(event.state, "done", invoice.partner_id.name)
            self.assertFalse(event.scheduled_at)
            self.assertEqual(len(self._mails(invoice)), 1)

    def test_closed_there_while_open_in_brussels(self):
        santiago, lima, mexico = (
            self._invoice(customer)
            for customer in (self.customer_cl, self.customer_pe, self.customer_mx)
        )
        # Friday 13 March, 10:00 UTC: 11:00 in Brussels (open), 7:00 in Santiago, 5:00 in
        # Lima, 4:00 in Mexico City: each waits for 9:00 in its own time zone
        with freeze_time("2026-03-13 10:00:00"):
            self.Run._run()
        for invoice, zone, opens in (
            (santiago, "America/Santiago", datetime(2026, 3, 13, 12, 0)),
            (lima, "America/Lima", datetime(2026, 3, 13, 14, 0)),
            (mexico, "America/Mexico_City", datetime(2026, 3, 13, 15, 0)),
        ):
            event = self._event(invoice)
            self.assertEqual(event.state, "deferred", invoice.partner_id.name)
            self.assertEqual(event.scheduled_at, opens, "9:00 in the customer's time zone")
            self.assertIn(zone, event.note)
            self.assertFalse(self._mails(invoice), "not sent early")
        with freeze_time("2026-03-13 12:00:00"):
            self.Run._run()
        self.assertEqual(self._event(santiago).state, "done")
        self.assertEqual(len(self._mails(santiago)), 1)
        self.assertEqual(self._event(lima).state, "deferred", "still 7:00 in Lima")
        with freeze_time("2026-03-13 14:00:00"):
            self.Run._run()
        self.assertEqual(self._event(lima).state, "done")
        self.assertEqual(self._event(mexico).state, "deferred", "still 8:00 in Mexico City")
        with freeze_time("2026-03-13 15:00:00"):
            self.Run._run()
        self.assertEqual(self._event(mexico).state, "done")
        for invoice in (santiago, lima, mexico):
            self.assertEqual(len(self._mails(invoice)), 1, "never twice")

    def test_mexican_customer_created_in_santiago(self):
        customer = self._create_customers(
            self.user_santiago,
            [{"name": "Ferretería Puebla SA", "country_id": self.mexico.id}],
        )
        self.assertEqual(customer.tz, "America/Santiago", "Odoo's default")
        self.assertEqual(customer._get_collection_tz(), {customer: "America/Mexico_City"})
        self.assertEqual(customer.collection_contact_tz, "America/Mexico_City")
        # a contact is reached in its company's hours, whatever its own zone
        contact = self.env["res.partner"].create(
            {"name": "Pagos Puebla", "parent_id": customer.id, "tz": "Europe/Brussels"}
        )
        self.assertEqual(contact.collection_contact_tz, "America/Mexico_City")

    def test_own_zone_of_the_customer_country_is_kept(self):
        punta_arenas, tijuana = self._create_customers(
            self.user_brussels,
            [
                {
                    "name": "Pesquera Magallanes SpA",
                    "country_id": self.chile.id,
                    "tz": "America/Punta_Arenas",
                },
                {
                    "name": "Maquiladora Baja SA de CV",
                    "country_id": self.mexico.id,
                    "tz": "America/Tijuana",
                    # its own zone wins over its phone number's (Mexico City)
                    "phone": "+52 55 1234 5678",
                    "email": "pagos@baja.example.com",
                },
            ],
        )
        self.assertEqual(
            (punta_arenas | tijuana)._get_collection_tz(),
            {punta_arenas: "America/Punta_Arenas", tijuana: "America/Tijuana"},
        )
        mexico = self._invoice(self.customer_mx)
        baja = self._invoice(tijuana)
        # Friday 13 March, 15:30 UTC: 9:30 in Mexico City, 8:30 in Tijuana
        with freeze_time("2026-03-13 15:30:00"):
            self.Run._run()
        self.assertEqual(self._event(mexico).state, "done")
        event = self._event(baja)
        self.assertEqual(event.state, "deferred")
        self.assertEqual(event.scheduled_at, datetime(2026, 3, 13, 16, 0), "9:00 in Tijuana")
        self.assertIn("America/Tijuana", event.note)

    def test_customer_without_country_keeps_its_zone(self):
        customer = self._create_customers(self.user_brussels, [{"name": "Sin País Ltda."}])
        self.assertEqual(customer.collection_contact_tz, "Europe/Brussels")

    def test_contact_time_zone_on_the_customer_form(self):
        with Form(self.customer_mx) as form:
            self.assertEqual(form.collection_contact_tz, "America/Mexico_City")
            form.tz = "America/Tijuana"
            self.assertEqual(form.collection_contact_tz, "America/Tijuana")
            form.tz = "America/Lima"
            self.assertEqual(form.collection_contact_tz, "America/Mexico_City", "not Mexico's")
        self.assertEqual(self.customer_mx.tz, "America/Lima", "the customer's own zone is kept")
