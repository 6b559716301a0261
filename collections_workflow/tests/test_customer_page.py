# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import CollectionRunCase

TOUR = "collections_workflow_customer_page_tour"


@tagged("post_install", "-at_install")
class TestCustomerPage(CollectionRunCase, HttpCase):
    """The customer's collections page: what a link opens, what it refuses, what the
    customer's answers leave for its advisor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.Page = cls.env["collection.customer.page"]
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_419"])

    def _invoices(self, customer):
        return [
            self._invoice(customer, amount, self.today - timedelta(days=days))
            for amount, days in ((1000.0, 10), (2000.0, 5), (3000.0, 2))
        ]

    def _path(self, customer):
        # a new link each time: the field is computed, not stored
        customer.invalidate_recordset(["collection_page_url"])
        return urlsplit(customer.with_company(self.company).collection_page_url).path

    def _csrf(self, path):
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _answer(self, path, invoices, **values):
        return self.url_open(
            f"{path}/answer",
            data={"csrf_token": self._csrf(path), "invoice_ids": invoices.ids, **values},
        )

    def _promises(self, customer):
        return self.env["collection.promise"].search([("partner_id", "=", customer.id)])

    def _assert_answers_landed(self, customer, first, second, third):
        promises = self._promises(customer)
        within = promises.filtered(lambda promise: promise.invoice_ids == first)
        beyond = promises - within
        self.assertEqual(
            (within.amount, within.channel, within.page_request), (1000, "portal", False)
        )
        self.assertEqual((beyond.invoice_ids, beyond.page_request), (second, "requested"))
        plan = self.env["collection.payment.plan"].search([("partner_id", "=", customer.id)])
        self.assertEqual(plan.invoice_ids, third)
        self.assertFalse(plan.page_request)
        self.assertEqual(plan.instalment_ids.mapped("amount"), [1000.0, 1000.0, 1000.0])
        self.assertEqual(plan.instalment_ids.sorted("date")[0].date, self.today + timedelta(days=7))
        self.assertEqual(
            (first | second | third).mapped("collection_status"), ["promised", "promised", "plan"]
        )
        # each answer is a task for the advisor on the customer's file, the statement a trace
        summaries = self._activities(customer).mapped("summary")
        self.assertEqual(len(summaries), 3, summaries)
        self.assertTrue(any("accept or decline" in summary for summary in summaries))
        self.assertEqual(set(self._activities(customer).user_id.mapped("login")), {"cw_bruno"})
        file_log = " ".join(self._thread(customer).message_ids.mapped("body"))
        self.assertIn("Statement downloaded from the customer page", file_log)

    def test_public_visitor_answers_from_the_link_of_a_message(self):
        first, second, third = self._invoices(self.customer_bruno)
        self.start_tour(self._path(self.customer_bruno), TOUR, login=None)
        self._assert_answers_landed(self.customer_bruno, first, second, third)

    def test_portal_user_answers_from_my_collections(self):
        self.customer_carla.collection_advisor_id = self.bruno
        first, second, third = self._invoices(self.customer_carla)
        new_test_user(
            self.env,
            "cw_portal_emilia",
            groups="base.group_portal",
            partner_id=self.env["res.partner"]
            .create({"name": "Paula Díaz", "parent_id": self.customer_carla.id})
            .id,
            company_id=self.company.id,
        )
        self.start_tour("/my/collections", TOUR, login="cw_portal_emilia")
        self._assert_answers_landed(self.customer_carla, first, second, third)
        home = self.url_open("/my")
        self.assertIn('href="/my/collections"', home.text)

    def test_a_link_opens_its_customer_only(self):
        mine = self._invoice(self.customer_bruno, 1500.0, self.today)
        theirs = self._invoice(self.customer_carla, 2500.0, self.today)
        path = self._path(self.customer_bruno)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        self.assertNotIn(theirs.name, page.text)
        self.assertNotIn(self.customer_carla.name, page.text)
        # the token's customer changed by hand: the signature no longer matches
        token = path.rsplit("/", 1)[1]
        raw = base64.urlsafe_b64decode(token + "===")
        values = json.loads(raw[41:])
        forged = raw[:41] + json.dumps([self.customer_carla.id, *values[1:]]).encode()
        forged_token = base64.urlsafe_b64encode(forged).decode().rstrip("=")
        for bad in (forged_token, token[:-3] + "abc", "nothing"):
            self.assertEqual(self.url_open(f"/collections/{bad}").status_code, 404, bad)
            self.assertEqual(self.url_open(f"/collections/{bad}/statement").status_code, 404)
        # another customer's invoice sent through this customer's link: refused, untouched
        answer = self._answer(
            path, theirs, action="promise", promise_date=str(self.today), amount="100"
        )
        self.assertIn("Choose among your open invoices", answer.text)
        self.assertFalse(self._promises(self.customer_carla))
        self.assertEqual(theirs.collection_status, "active")
        pay = self.url_open(f"{path}/pay?invoice_ids={mine.id},{theirs.id}")
        self.assertIn("Choose among your open invoices", pay.text)
        transaction = self.url_open(
            f"{path}/transaction/{theirs.id}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("Choose among your open invoices", transaction.text)
        self.assertFalse(
            self.env["payment.transaction"].search([("invoice_ids", "in", theirs.ids)])
        )

    def test_an_expired_link_opens_nothing(self):
        invoice = self._invoice(self.customer_bruno, 1500.0, self.today)
        self.company.collection_page_link_days = 30
        with freeze_time(self.today - timedelta(days=31)):
            old_path = self._path(self.customer_bruno)
        with freeze_time(self.today - timedelta(days=29)):
            recent_path = self._path(self.customer_bruno)
        expired = self.url_open(old_path)
        self.assertEqual(expired.status_code, 410)
        self.assertIn("This link has expired", expired.text)
        self.assertNotIn(invoice.name, expired.text)
        self.assertEqual(self.url_open(f"{old_path}/statement").status_code, 410)
        self.assertIn(invoice.name, self.url_open(recent_path).text)

    def test_the_page_speaks_the_customer_language(self):
        self._invoice(self.customer_bruno, 1500.0, self.today - timedelta(days=3))
        self.customer_bruno.lang = "es_419"
        page = self.url_open(self._path(self.customer_bruno))
        self.assertIn("Su cuenta con", page.text)
        self.assertIn("3 días de atraso", page.text)
        self.assertIn("Descargue su estado de cuenta", page.text)

    def test_pay_several_invoices_with_the_payment_form(self):
        first, second = (
            self._invoice(self.customer_bruno, 1000.0, self.today),
            self._invoice(self.customer_bruno, 500.0, self.today),
        )
        self._register_payment(second, amount=100.0)
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        path = self._path(self.customer_bruno)
        one = self._answer(path, first, action="pay")
        self.assertIn(f"/my/invoices/{first.id}", one.url)
        several = self._answer(path, first | second, action="pay")
        self.assertEqual(several.status_code, 200)
        route = f"{path}/transaction/{first.id}-{second.id}"
        self.assertIn(route, several.text)
        self.assertIn("1,400.00", several.text)
        # the browser's amount is ignored: the transaction is for what the invoices owe
        answer = self.url_open(
            route,
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "provider_id": provider.id,
                        "payment_method_id": method.id,
                        "token_id": None,
                        "amount": 1.0,
                        "flow": "redirect",
                        "tokenization_requested": False,
                        "landing_route": path,
                        "is_validation": False,
                        "access_token": None,
                        "payment_reference": "GROUP",
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn('"error"', answer.text)
        transaction = self.env["payment.transaction"].search([("invoice_ids", "in", first.ids)])
        self.assertEqual(transaction.invoice_ids, first | second)
        self.assertEqual(transaction.amount, 1400.0)
        self.assertEqual(transaction.partner_id, self.customer_bruno)

    def test_limits_requests_and_the_advisor_answer(self):
        self.standard.write({"page_promise_max_days": 10, "page_promise_min_share": 50.0})
        first, second, third = self._invoices(self.customer_bruno)
        customer = self.customer_bruno
        small = self.Page._propose_promise(
            customer, self.company, second.ids, self.today + timedelta(days=3), 999.0
        )
        self.assertEqual(small.page_request, "requested", "less than half of 2,000")
        self.assertEqual(second.collection_status, "promised", "a request holds reminders")
        with self.assertRaisesRegex(Exception, "already has an answer"):
            self.Page._propose_promise(customer, self.company, second.ids, self.today, 2000.0)
        with self.assertRaisesRegex(Exception, "from today on"):
            self.Page._propose_promise(
                customer, self.company, first.ids, self.today - timedelta(days=1), 1000.0
            )
        with self.assertRaisesRegex(Exception, "up to what the invoices owe"):
            self.Page._propose_promise(customer, self.company, first.ids, self.today, 1000.5)
        long_plan = self.Page._request_plan(
            customer, self.company, (first | third).ids, 6, self.today + timedelta(days=2)
        )
        self.assertEqual(long_plan.page_request, "requested", "6 instalments, 3 allowed")
        self.assertEqual(sum(long_plan.instalment_ids.mapped("amount")), 4000.0)
        self.assertEqual(
            long_plan.instalment_ids.sorted("date").mapped("amount"),
            [666.67, 666.67, 666.67, 666.67, 666.67, 666.65],
        )
        # the advisor declines the small promise and accepts the long plan
        small.with_user(self.user_bruno).action_decline_request()
        self.assertEqual((small.state, small.page_request), ("cancelled", "declined"))
        self.assertEqual(second.collection_status, "active")
        long_plan.with_user(self.user_bruno).action_accept_request()
        self.assertEqual((long_plan.state, long_plan.page_request), ("open", "accepted"))
        with self.assertRaisesRegex(Exception, "not a customer request"):
            long_plan.with_user(self.user_bruno).action_decline_request()
        # the customer sees the declined request, and the plan agreed
        page = self.url_open(self._path(customer))
        self.assertIn("Declined: your advisor will contact you", page.text)
        self.assertIn("Agreed", page.text)

    def test_instalment_reminders_link_their_own_payment(self):
        # the shipped strategy's instalment reminders: three days before, and on the day
        self.assertEqual(sorted(self.standard.instalment_level_ids.mapped("day_offset")), [-3, 0])
        invoice = self._invoice(self.customer_bruno, 3000.0, self.today - timedelta(days=10))
        plan = self.Page._request_plan(
            self.customer_bruno, self.company, invoice.ids, 3, self.today + timedelta(days=5)
        )
        first, second, _third = plan.instalment_ids.sorted("date")

        def reminders():
            return self._mails(self.customer_bruno).filtered(
                lambda mail: "your instalment" in (mail.subject or "")
            )

        for days in (1, 2, 2, 3, 4, 5, 5):
            with freeze_time(self.today + timedelta(days=days)):
                self.Run._run()
        self.assertEqual(len(reminders()), 2, "three days before, and on the day; once each")
        events = self.env["collection.event"].search([("instalment_id", "=", first.id)])
        self.assertEqual(sorted(events.mapped("level_id.day_offset")), [-3, 0])
        self.assertEqual(set(events.mapped("state")), {"done"})
        body = reminders()[0].body_html
        self.assertIn("1,000.00", body)
        pay_path = urlsplit(first.collection_pay_url).path
        self.assertIn(pay_path, body)
        self.assertFalse(
            invoice.collection_event_ids.filtered(lambda event: event.level_id.trigger == "due"),
            "no ordinary reminder while the plan holds",
        )
        # its link opens the payment form for what remains of the instalment
        page = self.url_open(pay_path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("1,000.00", page.text)
        # another customer's instalment through this customer's link: refused
        other = self.Page._request_plan(
            self.customer_carla,
            self.company,
            self._invoice(self.customer_carla, 500.0, self.today).ids,
            1,
            self.today + timedelta(days=5),
        )
        path = self._path(self.customer_bruno)
        refused = self.url_open(f"{path}/instalment/{other.instalment_ids.id}")
        self.assertIn("This instalment is not yours to pay", refused.text)
        # paid ahead: the second instalment gets no reminder
        with freeze_time(self.today + timedelta(days=6)):
            self._register_payment(invoice, amount=2000.0)
        day = second.date - timedelta(days=3)
        while day <= second.date:
            with freeze_time(day):
                self.Run._run()
            day += timedelta(days=1)
        self.assertEqual(len(reminders()), 2)
