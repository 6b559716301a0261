# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.sms.tests.common import MockSMS

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionChannels(CollectionRunCase, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_419"])
        cls.billing, cls.warehouse = cls.env["res.partner"].create(
            [
                {
                    "name": "Cobranzas Andes",
                    "parent_id": cls.customer_bruno.id,
                    "type": "invoice",
                    "email": "cobranzas@andes.example.com",
                },
                {
                    "name": "Bodega Andes",
                    "parent_id": cls.customer_bruno.id,
                    "type": "delivery",
                    "email": "bodega@andes.example.com",
                },
            ]
        )

    def _mails(self, record):
        """Every email queued about ``record``, whoever it is for."""
        return self.env["mail.mail"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )

    def _event(self, invoice):
        return invoice.collection_event_ids.filtered(lambda event: event.state != "skipped")

    def test_email_to_billing_contacts_with_reply_to_the_advisor(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        mail = self._mails(invoice)
        self.assertEqual(mail.recipient_ids, self.billing, "the billing contact, not the warehouse")
        self.assertFalse(mail.email_to)
        self.assertIn("bruno@example.com", mail.reply_to, "a reply reaches the advisor")
        self.assertIn(mail.mail_message_id, invoice.message_ids, "and the invoice's chatter")
        self.assertEqual(self._event(invoice).state, "done")

    def test_invoice_address_of_the_invoice_comes_first(self):
        office = self.env["res.partner"].create(
            {
                "name": "Oficina Norte",
                "parent_id": self.customer_bruno.id,
                "type": "invoice",
                "email": "norte@andes.example.com",
            }
        )
        invoice = self._invoice(office)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        self.assertEqual(self._mails(invoice).recipient_ids, office)

    def test_customer_language_else_company_language(self):
        self.customer_bruno.lang = "es_419"
        spanish = self._invoice(self.customer_bruno)
        self.customer_carla.lang = False
        self.company.partner_id.lang = "es_419"
        company_language = self._invoice(self.customer_carla)
        self.customer_elena.lang = "en_US"
        english = self._invoice(self.customer_elena)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        self.assertIn("está vencida", self._mails(spanish).subject)
        self.assertIn("está vencida", self._mails(company_language).subject)
        self.assertIn("is overdue", self._mails(english).subject)

    def test_no_usable_email_fails_with_the_reason(self):
        self.customer_carla.email = False
        blacklisted = self._invoice(self.customer_bruno)
        self.env["mail.blacklist"].create({"email": "cobranzas@andes.example.com"})
        nowhere = self._invoice(self.customer_carla)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
        for invoice in (blacklisted, nowhere):
            event = self._event(invoice)
            self.assertEqual(event.state, "failed")
            self.assertIn("no billing contact", event.note)
            customer = invoice.commercial_partner_id
            self.assertFalse(
                self._mails(invoice).recipient_ids & (customer | customer.child_ids),
                "nothing to the customer",
            )
            task = self._activities(invoice)
            self.assertEqual(task.user_id, customer.collection_advisor_id.user_id)
            self.assertIn("Reach", task.summary, "the advisor reaches the customer another way")
            trace = self._thread(invoice.commercial_partner_id).message_ids.filtered(
                lambda message: "no billing contact" in (message.body or "")
            )
            self.assertEqual(len(trace), 1, "the failure is on the customer's collections file")
        self.assertEqual(
            blacklisted.collection_next_level_id, self.level[7], "the strategy goes on"
        )

    def test_sms_through_the_gateway_and_unusable_numbers_on_the_event(self):
        self.customer_carla.phone = "12"
        self.customer_elena.write({"phone": False, "email": False})
        sent = self._invoice(self.customer_bruno)
        bad_number = self._invoice(self.customer_carla)
        unreachable = self._invoice(self.customer_elena)
        with freeze_time(DUE):
            self.Run._run()
        self.assertEqual(self._event(sent).state, "done")
        self.assertFalse(self._event(sent).note)
        event = self._event(bad_number)
        self.assertEqual(event.state, "done", "the email went out")
        self.assertIn("SMS not sent to 12", event.note)
        event = self._event(unreachable)
        self.assertEqual(event.state, "failed", "neither email nor SMS could go out")
        self.assertIn("SMS not sent", event.note)
        self.assertIn("no billing contact", event.note)
        with self.mockSMSGateway():
            self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()
        self.assertEqual([sms["number"] for sms in self._sms], ["+56223456701"])
        self.assertIn(sent.name, self._sms[0]["body"])

    def test_sms_refused_by_the_provider_shows_on_the_event(self):
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE):
            self.Run._run()
        event = self._event(invoice)
        self.assertTrue(event.sent_sms)
        self.assertFalse(event.sms_failure)
        with self.mockSMSGateway(sim_error="wrong_number_format"):
            event.sms_id.sudo()._send()
        event.invalidate_recordset(["sms_failure"])
        self.assertEqual(event.sms_failure, "Wrong Number Format")

    def test_invoice_pdf_attached_when_the_level_says_so(self):
        self.level[3].attach_pdf = True
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
            self.assertFalse(self._mails(invoice).attachment_ids, "rendered after the run")
            self.env["collection.outbox"]._deliver()
        attachment = self._mails(invoice).attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertIn(invoice.name.replace("/", "_"), attachment.name)
        self.assertEqual((attachment.res_model, attachment.res_id), ("account.move", invoice.id))

    def test_assisted_whatsapp_task_logs_the_message_when_done(self):
        self.level[7].write(
            {
                "use_whatsapp": True,
                "whatsapp_template_id": self.env.ref(
                    "collections_workflow.sms_template_collection_due_today"
                ).id,
            }
        )
        # (the test company's name ends in "data:", which the HTML sanitizer takes for a
        # data: URL inside the link's text and empties)
        self.company.name = "Cobranzas del Sur SpA"
        invoice = self._invoice(self.customer_bruno)
        self.Event.sudo().create(
            [self.Run._prepare_event_vals(invoice, self.level[day], DUE) for day in (-3, 0, 3)]
        )
        with freeze_time(DUE + timedelta(days=7)):
            self.Run._run()
        task = self._activities(invoice).filtered(lambda a: a.summary.startswith("WhatsApp"))
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertIn("https://wa.me/56223456701?text=", task.note)
        self.assertTrue(
            self._event(invoice).filtered(lambda e: e.level_id == self.level[7]).sent_whatsapp
        )
        task.with_user(self.user_bruno).sudo().action_feedback(feedback="Sent from my phone")
        logged = invoice.message_ids.filtered(lambda m: "wa.me" in (m.body or ""))
        self.assertEqual(len(logged), 1, "the message, logged on the invoice once done")

    def test_templates_must_name_the_company_and_the_advisor(self):
        anonymous = self.env["mail.template"].create(
            {
                "name": "Anonymous reminder",
                "model_id": self.env.ref("account.model_account_move").id,
                "subject": "Please pay",
                "body_html": "<p>Please pay {{ object.name }}.</p>",
            }
        )
        with (
            self.assertRaisesRegex(ValidationError, "does not name the company or the advisor"),
            self.cr.savepoint(),
        ):
            self.level[3].email_template_id = anonymous
        overdue = self.level[3].email_template_id
        with (
            self.assertRaisesRegex(ValidationError, "does not name the advisor"),
            self.cr.savepoint(),
        ):
            overdue.body_html = "<p>{{ object.company_id.name }} asks you to pay.</p>"
        sms = self.level[0].sms_template_id
        with (
            self.assertRaisesRegex(ValidationError, "does not name the company"),
            self.cr.savepoint(),
        ):
            sms.body = "{{ object.collection_advisor_id.name }}: please pay {{ object.name }}"
        self.assertEqual(self.level[3].email_template_id, overdue)
        anonymous.body_html = "<p>Still anonymous, but used by no level.</p>"


class _CloudApi(BaseHTTPRequestHandler):
    """Stands in for the WhatsApp Business Cloud API, on 127.0.0.1."""

    requests_seen = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests_seen.append(
            {"path": self.path, "authorization": self.headers["Authorization"], "body": body}
        )
        if body["to"].endswith("02"):
            status, answer = 400, {"error": {"code": 131026, "message": "Message undeliverable"}}
        else:
            status, answer = 200, {"messages": [{"id": "wamid.TEST1"}]}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestWhatsappCloud(CollectionRunCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), _CloudApi)
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.env["ir.config_parameter"].set_param(
            "collections_workflow.whatsapp_api_url",
            f"http://127.0.0.1:{cls.server.server_port}/v19.0",
        )
        cls.company.write(
            {
                "collection_whatsapp_mode": "automatic",
                "collection_whatsapp_phone_number_id": "1055",
                "collection_whatsapp_token": "secret-token",
            }
        )
        cls.env["res.lang"]._activate_lang("es_419")
        cls.level[7].write(
            {
                "use_whatsapp": True,
                "whatsapp_template_id": cls.env.ref(
                    "collections_workflow.sms_template_collection_due_today"
                ).id,
                "whatsapp_cloud_template_ids": [
                    Command.create(
                        {"lang": "en_US", "template_name": "overdue_v1", "language_code": "en_US"}
                    ),
                    Command.create(
                        {"lang": "es_419", "template_name": "vencida_v1", "language_code": "es_MX"}
                    ),
                ],
            }
        )

    def setUp(self):
        super().setUp()
        _CloudApi.requests_seen.clear()

    def test_automatic_whatsapp_request_and_answers_on_the_event(self):
        self.customer_bruno.lang = "es_419"
        accepted = self._invoice(self.customer_bruno, 1500.0)
        refused = self._invoice(self.customer_carla, 800.0)
        self.Event.sudo().create(
            [
                self.Run._prepare_event_vals(invoice, self.level[day], DUE)
                for invoice in (accepted, refused)
                for day in (-3, 0, 3)
            ]
        )
        with freeze_time(DUE + timedelta(days=7)):
            self.Run._run()
            self.assertFalse(_CloudApi.requests_seen, "sent after the run, by the outbox")
            self.env["collection.outbox"]._deliver()
        self.assertEqual(len(_CloudApi.requests_seen), 2)
        sent = next(
            request for request in _CloudApi.requests_seen if request["body"]["to"].endswith("01")
        )
        self.assertEqual(sent["path"], "/v19.0/1055/messages")
        self.assertEqual(sent["authorization"], "Bearer secret-token")
        body = sent["body"]
        self.assertEqual(body["to"], "56223456701")
        self.assertEqual(body["template"]["name"], "vencida_v1", "the customer's language")
        self.assertEqual(body["template"]["language"]["code"], "es_MX")
        texts = [parameter["text"] for parameter in body["template"]["components"][0]["parameters"]]
        self.assertEqual(texts[0], "Comercial Andes SpA")
        self.assertEqual(texts[1], self.company.name)
        self.assertIn("1,500.00", texts[2])
        self.assertEqual(texts[3], "Bruno Soto")
        ok = accepted.collection_event_ids.filtered(lambda e: e.level_id == self.level[7])
        self.assertEqual(ok.state, "done")
        self.assertTrue(ok.sent_whatsapp)
        self.assertIn("wamid.TEST1", ok.note)
        ko = refused.collection_event_ids.filtered(lambda e: e.level_id == self.level[7])
        self.assertEqual(ko.state, "failed")
        self.assertIn("131026", ko.note)
        self.assertIn("Message undeliverable", ko.note)
        whatsapp_tasks = self._activities(accepted).filtered(lambda a: "WhatsApp" in a.summary)
        self.assertFalse(whatsapp_tasks, "automatic mode: no task to send it by hand")


@tagged("post_install", "-at_install")
class TestShippedTemplates(CollectionRunCase):
    """Every shipped template, in English and Spanish, for a customer with several invoices
    in two currencies: nothing missing, nothing left in the other language."""

    MAIL_TEMPLATES = (
        "mail_template_collection_before_due",
        "mail_template_collection_due_today",
        "mail_template_collection_overdue",
        "mail_template_collection_formal_letter",
        "mail_template_collection_statement",
        "mail_template_collection_reminder_sample",
    )
    WORDS = {
        "en_US": ("Dear", "Estimado"),
        "es_419": ("Estimado", "Dear"),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_419"])
        cls.euro = cls.setup_other_currency("EUR", rates=[("2026-01-01", 0.5)])

    def test_every_template_in_both_languages(self):
        local = self._invoice(self.customer_bruno, 1234.5)
        foreign = self._invoice(self.customer_bruno, 700.0, due=DUE + timedelta(days=5))
        foreign.button_draft()
        foreign.currency_id = self.euro
        foreign.action_post()
        invoices = local | foreign
        self.Run._ensure_access_tokens(invoices)
        for lang, (word, other_word) in self.WORDS.items():
            self.customer_bruno.lang = lang
            for xmlid in self.MAIL_TEMPLATES:
                template = self.env.ref(f"collections_workflow.{xmlid}")
                records = self.customer_bruno if template.model == "res.partner" else invoices
                values = template._generate_template(records.ids, ["subject", "body_html"])
                for record in records:
                    with self.subTest(template=xmlid, lang=lang, record=record.display_name):
                        body = values[record.id]["body_html"]
                        subject = values[record.id]["subject"]
                        text = f"{subject} {body}"
                        self.assertNotIn("False", text)
                        self.assertNotIn("None", text)
                        self.assertIn(word, body)
                        self.assertNotIn(other_word, body)
                        self.assertIn(self.company.name, text, "names the company")
                        self.assertIn("Bruno Soto", body, "names the advisor")
                        self.assertIn("wa.me", body, "one click to the advisor")
                        shown = invoices if record == self.customer_bruno else record
                        for invoice in shown:
                            self.assertIn(invoice.name, text)
                            self.assertIn(invoice.currency_id.symbol, body)
                            self.assertIn(f"access_token={invoice.access_token}", body)
                        self.assertIn("/report/barcode/?barcode_type=QR", body)
        sms = self.env.ref("collections_workflow.sms_template_collection_due_today")
        for lang, expected in (("en_US", "is due today"), ("es_419", "vence hoy")):
            self.customer_bruno.lang = lang
            body = sms._render_field("body", local.ids, compute_lang=True)[local.id]
            self.assertIn(expected, body)
            self.assertIn(local.name, body)
            self.assertIn("Bruno Soto", body)
            self.assertNotIn("False", body)


@tagged("post_install", "-at_install")
class TestPdfDocuments(CollectionRunCase):
    """The account statement and the formal letter, as PDF documents."""

    def test_statement_with_aging_attached_for_strategic_customers(self):
        self.customer_carla.category_id = self.env.ref(
            "collections_workflow.res_partner_category_strategic"
        )
        self.strategic.partner_category_ids = self.customer_carla.category_id
        old = self._invoice(self.customer_carla, 400.0, due=DUE - timedelta(days=45))
        recent = self._invoice(self.customer_carla, 900.0)
        self.assertTrue(self.strategic.level_ids.filtered("use_statement").attach_pdf)
        with freeze_time(DUE - timedelta(days=3)):
            self.Run._run()
            self.env["collection.outbox"]._deliver()
        mail = self._mails(self.customer_carla)
        self.assertEqual(len(mail), 1)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn("Statement - Viña Santa Emilia", mail.attachment_ids.name)
        # the statement itself: open items and their aging (HTML in tests, PDF otherwise)
        with freeze_time(DUE - timedelta(days=3)):
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    "collections_workflow.action_report_collection_statement",
                    self.customer_carla.ids,
                )[0]
                .decode()
            )
        for text in (old.name, recent.name, "Aging", "31-60 days", "Not due", "How to pay"):
            self.assertIn(text, html)
        self.assertIn("Carla Muñoz", html, "the advisor")
        self.assertIn("data:image/png;base64,", html, "a QR code per invoice")

    def _load_spanish(self):
        self.env["res.lang"]._activate_lang("es_419")
        self.env["ir.module.module"]._load_module_terms(["collections_workflow"], ["es_419"])

    def test_statement_speaks_the_customer_language_throughout(self):
        self._load_spanish()
        self._invoice(self.customer_carla, 400.0, due=DUE - timedelta(days=45))
        self.customer_carla.lang = "en_US"
        self.customer_bruno.lang = "es_419"
        self._invoice(self.customer_bruno, 400.0, due=DUE - timedelta(days=45))
        with freeze_time(DUE):
            html = (
                self.env["ir.actions.report"]
                .with_context(lang="es_419")
                ._render_qweb_html(
                    "collections_workflow.action_report_collection_statement",
                    (self.customer_carla | self.customer_bruno).ids,
                )[0]
                .decode()
            )
        english, spanish = html.split("Comercial Andes SpA", 1)
        self.assertIn("31-60 days", english, "printed by a Spanish user, read in English")
        self.assertNotIn("31-60 días", english)
        self.assertIn("31-60 días", spanish)

    def test_formal_letter_on_letterhead_kept_on_the_event(self):
        first = self._invoice(self.customer_bruno, 500.0)
        second = self._invoice(self.customer_carla, 750.0)
        self.Event.sudo().create(
            [
                self.Run._prepare_event_vals(invoice, self.level[day], DUE)
                for invoice in (first, second)
                for day in (-3, 0, 3, 7, 15)
            ]
        )
        with freeze_time(DUE + timedelta(days=30)):
            events = self.Run._run()
        letters = events.filtered("letter_html")
        self.assertEqual(letters.invoice_id, first | second)
        self.assertTrue(all(letters.mapped("sent_letter")))
        self.assertIn("formally ask you", letters[0].letter_html)
        report = self.env.ref("collections_workflow.action_report_collection_letter")
        self.assertTrue(report.attachment_use, "outside tests each PDF is kept on its event")
        self.assertIn("_get_letter_filename", report.attachment)
        self._load_spanish()
        self.customer_bruno.lang = "es_419"
        self.assertTrue(
            letters.filtered(lambda event: event.partner_id == self.customer_bruno)
            ._get_letter_filename()
            .startswith("Carta - Comercial Andes SpA - "),
            "named in the customer's language",
        )
        # the day's letters printed in one go
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("collections_workflow.action_report_collection_letter", letters.ids)[
                0
            ]
            .decode()
        )
        for text in (first.name, second.name, "How to pay", "Bruno Soto", "Carla Muñoz"):
            self.assertIn(text, html)
