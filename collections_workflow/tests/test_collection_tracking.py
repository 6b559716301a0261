# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from urllib.parse import urlsplit

from odoo.tests import HttpCase, freeze_time, tagged

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestTracking(CollectionRunCase, HttpCase):
    """An email's open and its links' clicks are recorded once, on its event; the links
    still lead where they did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_tracking = True

    def _due_today(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE):
            self.Run._run()
        event = invoice.collection_event_ids.filtered(lambda e: e.level_id == self.level[0])
        self.assertEqual(event.state, "done")
        return invoice, event.sudo()

    def _links(self, event):
        return self.env["collection.event.link"].search([("key", "=", event.tracking_key)])

    def test_open_and_clicks_recorded_once_and_links_still_lead(self):
        invoice, event = self._due_today()
        self.assertTrue(event.tracking_key)
        body = self._mails(invoice).body_html
        links = self._links(event)
        pay = links.filtered(lambda link: link.target == "pay" and link.channel == "email")
        self.assertEqual(pay.url, invoice.collection_payment_url)
        self.assertNotIn(invoice.collection_payment_url, body, "the link goes through us")
        self.assertIn(f"/collections/r/{event.tracking_key}/{pay.ref}", body)
        self.assertIn(f"/collections/o/{event.tracking_key}.gif", body)
        self.assertIn("tel:", body, "phone links stay as they are")
        # the SMS of the same step: its links too, under the same key
        self.assertTrue(links.filtered(lambda link: link.channel == "sms"))
        self.assertIn(f"/collections/r/{event.tracking_key}/s1", event.sms_id.body)
        self.assertFalse(event.opened_at)
        for _i in range(2):
            pixel = self.url_open(f"/collections/o/{event.tracking_key}.gif")
            self.assertEqual(pixel.headers["Content-Type"], "image/gif")
        opened = event.opened_at
        self.assertTrue(opened)
        with freeze_time(DUE + timedelta(days=1)):
            self.url_open(f"/collections/o/{event.tracking_key}.gif")
        self.assertEqual(event.opened_at, opened, "the first open only")
        click = self.url_open(
            f"/collections/r/{event.tracking_key}/{pay.ref}", allow_redirects=False
        )
        self.assertEqual(click.status_code, 303)
        self.assertEqual(click.headers["Location"], pay.url)
        self.url_open(f"/collections/r/{event.tracking_key}/{pay.ref}", allow_redirects=False)
        self.assertEqual(pay.click_count, 2)
        self.assertEqual(event.clicked_at, pay.clicked_at)
        # the invoice's page opens through the link
        followed = self.url_open(f"/collections/r/{event.tracking_key}/{pay.ref}")
        self.assertEqual(urlsplit(followed.url).path, f"/my/invoices/{invoice.id}")
        self.assertEqual(self.url_open(f"/collections/r/{event.tracking_key}/e99").status_code, 404)
        self.assertEqual(self.url_open("/collections/r/nothing/e1").status_code, 404)

    def test_tracking_off_keeps_the_links(self):
        self.company.collection_tracking = False
        invoice, event = self._due_today()
        body = self._mails(invoice).body_html
        self.assertIn(invoice.collection_payment_url.replace("&", "&amp;"), body)
        self.assertNotIn("/collections/o/", body)
        self.assertNotIn("/collections/r/", body)
        self.assertFalse(event.tracking_key)
        self.assertFalse(self.env["collection.event.link"].search_count([]))

    def test_effectiveness_figures_by_channel_in_each_scope(self):
        first = self._invoice(self.customer_bruno, 1000.0)
        second = self._invoice(self.customer_carla, 2000.0)
        with freeze_time(DUE):
            self.Run._run()
        events = (first | second).collection_event_ids.filtered(
            lambda event: event.level_id == self.level[0]
        )
        opened = events.filtered(lambda event: event.invoice_id == first).sudo()
        clicked = events.filtered(lambda event: event.invoice_id == second).sudo()
        self.url_open(f"/collections/o/{opened.tracking_key}.gif")
        sms_link = self._links(clicked).filtered(lambda link: link.channel == "sms")[:1]
        self.url_open(
            f"/collections/r/{clicked.tracking_key}/{sms_link.ref}", allow_redirects=False
        )
        with freeze_time(DUE + timedelta(days=3)):
            self._register_payment(first, payment_date=DUE + timedelta(days=3))
        with freeze_time(DUE + timedelta(days=10)):
            self._register_payment(second, payment_date=DUE + timedelta(days=10))

        def figures(user):
            rows = (
                self.env["collection.effectiveness.report"]
                .with_user(user)
                ._read_group(
                    [("level_id", "=", self.level[0].id)],
                    ["channel"],
                    ["sent:sum", "opened:sum", "clicked:sum", "paid_7:sum", "days_to_payment:avg"],
                )
            )
            return {channel: tuple(values) for channel, *values in rows}

        # by hand: the first paid 3 days after its messages, the second 10 days after
        self.assertEqual(
            figures(self.user_manager),
            {"email": (2, 1, 0, 1, 6.5), "sms": (2, 0, 1, 1, 6.5)},
        )
        self.assertEqual(
            figures(self.user_bruno), {"email": (1, 1, 0, 1, 3.0), "sms": (1, 0, 0, 1, 3.0)}
        )
        self.assertEqual(
            figures(self.user_ana),
            {"email": (2, 1, 0, 1, 6.5), "sms": (2, 0, 1, 1, 6.5)},
            "both advisors are Ana's",
        )
        # the Collection KPIs count the same messages and payments
        kpis = self.env["collection.kpi"]._compute(DUE, DUE)[self.company.id]
        self.assertEqual(
            (kpis["sent_email"], kpis["paid7_email"], kpis["sent_sms"], kpis["paid7_sms"]),
            (2, 1, 2, 1),
        )
        self.assertEqual(
            (kpis["open_ratio_email"], kpis["click_ratio_email"], kpis["click_ratio_sms"]),
            (50.0, 0.0, 50.0),
        )
