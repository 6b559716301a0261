# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import ValidationError
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
            trace = invoice.commercial_partner_id.message_ids.filtered(
                lambda message: "no billing contact" in (message.body or "")
            )
            self.assertEqual(len(trace), 1, "the failure is on the customer's chatter")
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
