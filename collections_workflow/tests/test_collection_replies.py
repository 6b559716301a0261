# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from ..tools import reply_intent
from .common import DUE, CollectionRunCase

REPLY = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-ID: <{reference}@andes.example.com>
In-Reply-To: {parent}
References: {parent}
Date: Fri, 13 Mar 2026 10:00:00 -0300
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{text}
"""
DAY = DUE + timedelta(days=3)


@tagged("post_install", "-at_install")
class TestCollectionReplies(CollectionRunCase):
    """A customer's reply to a reminder lands on the customer, reaches the advisor as a
    task, and offers the action its words call for."""

    def _remind(self, invoice):
        self._run_days(DAY, DAY)
        mail = self._mails(invoice)
        self.assertEqual(len(mail), 1)
        return mail

    def _reply(
        self, mail, text, reference="reply-1", sender="Pagos Andes <pagos@andes.example.com>"
    ):
        raw = REPLY.format(
            sender=sender,
            to=mail.reply_to or "catchall@example.com",
            subject=mail.subject,
            parent=mail.message_id,
            reference=reference,
            text=text,
        )
        with freeze_time(DAY + timedelta(days=1)):
            self.env["mail.thread"].message_process(False, raw.encode())
        return self.env["collection.reply"].search([("partner_id", "=", self.customer_bruno.id)])

    def test_reply_lands_on_the_customer_and_reaches_the_advisor(self):
        invoice = self._invoice(self.customer_bruno)
        mail = self._remind(invoice)
        reply = self._reply(mail, "Pagaremos el viernes por transferencia.")
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.intent, "promise")
        self.assertEqual(reply.promise_date, DAY + timedelta(days=7))
        self.assertEqual(reply.invoice_ids, invoice)
        self.assertEqual(reply.advisor_id, self.bruno)
        # on the customer's collections file, not the invoice's, nor the customer's chatter
        self.assertFalse(
            self.customer_bruno.message_ids.filtered(
                lambda m: "Pagaremos el viernes" in (m.body or "")
            )
        )
        posted = self._thread(self.customer_bruno).message_ids.filtered(
            lambda m: "Pagaremos el viernes" in (m.body or "")
        )
        self.assertEqual(posted.message_type, "email")
        self.assertFalse(
            invoice.message_ids.filtered(lambda m: "Pagaremos el viernes" in (m.body or ""))
        )
        self.assertTrue(
            invoice.message_ids.filtered(lambda m: "replied to the reminder" in (m.body or ""))
        )
        # the advisor's task, named after what the customer says
        task = reply.activity_ids
        self.assertEqual(task.user_id, self.user_bruno)
        self.assertEqual(task.summary, "Reply from Comercial Andes SpA: Promise to Pay")
        # one click: the promise form comes filled from the reply
        action = reply.with_user(self.user_bruno).action_record_promise()
        with freeze_time(DAY + timedelta(days=1)):
            form = Form(
                self.env[action["res_model"]]
                .with_user(self.user_bruno)
                .with_context(**action["context"])
            )
            self.assertEqual(form.promise_date, DAY + timedelta(days=7))
            self.assertEqual(form.channel, "email")
            promise = form.save()
        self.assertEqual(promise.invoice_ids, invoice)
        self.assertIn("Pagaremos el viernes", promise.note)
        self.assertEqual(invoice.collection_status, "promised")
        self.assertEqual(reply.state, "done")
        self.assertFalse(reply.activity_ids)

    def test_already_paid_pauses_and_asks_accounting(self):
        self.company.collection_payment_check_user_id = self.user_manager
        invoice = self._invoice(self.customer_bruno)
        mail = self._remind(invoice)
        reply = self._reply(mail, "Estimados, ya pagamos esta factura. Adjunto comprobante.")
        self.assertEqual(reply.intent, "paid")
        with freeze_time(DAY + timedelta(days=1)):
            reply.with_user(self.user_bruno).action_already_paid()
        self.assertEqual(reply.state, "done")
        self.assertEqual(invoice.collection_status, "paused")
        self.assertEqual(invoice.collection_paused_until, DAY + timedelta(days=6))
        check = self._activities(self.customer_bruno).filtered(
            lambda a: a.user_id == self.user_manager
        )
        self.assertIn("Check the payment", check.summary)
        # no reminder while the payment is checked; then the strategy resumes
        self.assertFalse(self._run_days(DAY + timedelta(days=2), DAY + timedelta(days=5)))
        by_day = self._run_days(DAY + timedelta(days=6), DAY + timedelta(days=6))
        self.assertEqual(by_day[DAY + timedelta(days=6)].level_id, self.level[7])

    def test_dispute_reply(self):
        invoice = self._invoice(self.customer_bruno)
        mail = self._remind(invoice)
        reply = self._reply(mail, "No recibimos la mercadería de esta factura.")
        self.assertEqual(reply.intent, "dispute")
        action = reply.with_user(self.user_bruno).action_open_dispute()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_bruno)
            .with_context(**action["context"])
        )
        form.reason_id = self.env.ref("collections_workflow.dispute_reason_not_received")
        dispute = form.save()
        self.assertEqual(invoice.collection_status, "disputed")
        self.assertIn("No recibimos", dispute.note)
        self.assertEqual(reply.state, "done")

    def test_unclear_reply_and_other_emails(self):
        invoice = self._invoice(self.customer_bruno)
        mail = self._remind(invoice)
        reply = self._reply(mail, "Gracias, lo reviso con finanzas.")
        self.assertFalse(reply.intent)
        self.assertEqual(reply.activity_ids.summary, "Reply from Comercial Andes SpA")
        reply.with_user(self.user_bruno).action_dismiss()
        self.assertEqual(reply.state, "done")
        # a reply to another message of the invoice is not a reply to a reminder
        note = invoice.message_post(body="Factura enviada", message_type="comment")
        raw = REPLY.format(
            sender="Pagos Andes <pagos@andes.example.com>",
            to="catchall@example.com",
            subject="Factura",
            parent=note.message_id,
            reference="reply-2",
            text="Ya pagamos",
        )
        self.env["mail.thread"].message_process(False, raw.encode())
        self.assertEqual(
            self.env["collection.reply"].search_count(
                [("partner_id", "=", self.customer_bruno.id)]
            ),
            1,
        )
        self.assertTrue(invoice.message_ids.filtered(lambda m: "Ya pagamos" in (m.body or "")))

    def test_replies_are_seen_in_scope(self):
        invoice = self._invoice(self.customer_bruno)
        reply = self._reply(self._remind(invoice), "Pagaremos mañana")
        Reply = self.env["collection.reply"]
        self.assertEqual(Reply.with_user(self.user_bruno).search([]), reply)
        self.assertEqual(Reply.with_user(self.user_ana).search([]), reply)
        self.assertFalse(Reply.with_user(self.user_carla).search([]))
        self.assertFalse(Reply.with_user(self.user_diego).search([]))

    def test_reply_from_an_unknown_sender_offers_nothing_until_confirmed(self):
        invoice = self._invoice(self.customer_bruno)
        reply = self._reply(
            self._remind(invoice), "Ya pagamos la factura.", sender="Luis <attacker@evil.test>"
        )
        self.assertEqual(reply.intent, "paid", "its words are read")
        self.assertTrue(reply.sender_unknown)
        self.assertEqual(
            reply.activity_ids.summary,
            "Reply about Comercial Andes SpA from an unknown sender "
            "(attacker@evil.test): confirm it",
        )
        advisor_reply = reply.with_user(self.user_bruno)
        for action in ("action_already_paid", "action_record_promise", "action_open_dispute"):
            with self.assertRaisesRegex(UserError, "confirm the sender"):
                getattr(advisor_reply, action)()
        self.assertFalse(invoice.collection_paused_until, "nothing paused")
        advisor_reply.action_confirm_sender()
        self.assertFalse(reply.sender_unknown)
        advisor_reply.action_already_paid()
        self.assertTrue(invoice.collection_paused_until)

    def test_a_contact_of_the_customer_is_a_known_sender(self):
        self.env["res.partner"].create(
            {"name": "Tesorería", "parent_id": self.customer_bruno.id, "email": "teso@andes.cl"}
        )
        invoice = self._invoice(self.customer_bruno)
        reply = self._reply(self._remind(invoice), "Ya pagamos.", sender="teso@andes.cl")
        self.assertFalse(reply.sender_unknown)

    def test_a_huge_reply_is_kept_whole_and_read_in_part(self):
        invoice = self._invoice(self.customer_bruno)
        filler = "Detalle de la conciliación del mes, línea por línea.\n" * 20000
        reply = self._reply(self._remind(invoice), filler + "Ya pagué.")
        self.assertGreater(len(filler), 4 * reply_intent.MAX_TEXT)
        self.assertTrue(reply.read_in_part)
        self.assertFalse(reply.intent, "the end of a huge reply is not read")
        self.assertIn("Ya pagué.", reply.body, "the whole message is kept")
