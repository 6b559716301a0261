# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import DUE, CollectionRunCase
from .test_collection_replies import REPLY


@tagged("post_install", "-at_install")
class TestCollectionFiles(CollectionRunCase):
    """What collections says to a customer, and hears back, stays where the portfolio's
    record rules hold: the invoices and the customer's collections file, never the
    customer's own chatter, which every employee reads."""

    per_invoice = False

    def _statement_day(self):
        self.level[3].attach_pdf = True
        invoice = self._invoice(self.customer_bruno, 2343.75)
        self._invoice(self.customer_bruno, 500.0)
        with freeze_time(DUE + timedelta(days=3)):
            self.Run._run()
            self.env["collection.outbox"]._deliver()
        return invoice

    def _debt_on_the_customer(self):
        return self.customer_bruno.message_ids.filtered(
            lambda message: "2,343.75" in (message.body or "")
            or "access_token" in (message.body or "")
            or message.attachment_ids
            or message.message_type == "sms"
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_the_customer_chatter_holds_no_debt(self):
        invoice = self._statement_day()
        self.assertFalse(self._debt_on_the_customer())
        file = self._thread(self.customer_bruno)
        self.assertEqual(len(file), 1)
        self.assertEqual((file.advisor_id, file.supervisor_id), (self.bruno, self.ana))
        mail = self._mails(self.customer_bruno)
        self.assertEqual(len(mail), 1, "the reminder per customer, on the file")
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(
            (mail.attachment_ids.res_model, mail.attachment_ids.res_id), (file._name, file.id)
        )
        # the advisor, her supervisor and the managers read the file; nobody else does
        self.assertTrue(
            any(
                "2,343.75" in body
                for body in file.with_user(self.user_bruno).message_ids.mapped("body")
            )
        )
        self.assertTrue(file.with_user(self.user_ana).message_ids)
        self.assertTrue(file.with_user(self.user_manager).message_ids)
        for outsider in (self.user_carla, self.user_diego, self.user_elena):
            self.assertFalse(
                self.env["collection.file"].with_user(outsider).search([("id", "=", file.id)])
            )
            with self.assertRaises(AccessError):
                mail.attachment_ids.with_user(outsider).check_access("read")
            with self.assertRaises(AccessError):
                mail.mail_message_id.with_user(outsider).check_access("read")
            # the customer itself they may read: it says nothing of the debt
            self.assertFalse(
                self.customer_bruno.with_user(outsider).message_ids.filtered(
                    lambda message: "2,343.75" in (message.body or "")
                )
            )

    def test_a_reply_to_a_message_per_customer_lands_on_its_file(self):
        self._statement_day()
        mail = self._mails(self.customer_bruno)
        raw = REPLY.format(
            sender="Pagos Andes <pagos@andes.example.com>",
            to=mail.reply_to or "catchall@example.com",
            subject=mail.subject,
            parent=mail.message_id,
            reference="reply-file",
            text="Ya pagamos ambas facturas.",
        )
        with freeze_time(DUE + timedelta(days=4)):
            self.env["mail.thread"].message_process(False, raw.encode())
        reply = self.env["collection.reply"].search([("partner_id", "=", self.customer_bruno.id)])
        self.assertEqual(reply.intent, "paid")
        file = self._thread(self.customer_bruno)
        self.assertTrue(
            file.message_ids.filtered(lambda message: "ambas facturas" in (message.body or ""))
        )
        self.assertFalse(
            self.customer_bruno.message_ids.filtered(
                lambda message: "ambas facturas" in (message.body or "")
            )
        )
        self.assertEqual(reply.activity_ids.user_id, self.user_bruno)

    def test_the_upgrade_moves_what_earlier_versions_left_on_customers(self):
        invoice = self._invoice(self.customer_bruno, 2343.75)
        customer = self.customer_bruno
        reminder = self.env.ref("collections_workflow.mt_collection_reminder")
        line = customer._message_log(
            body=f"<p>Collections: level Overdue (Email).</p><ul><li>{invoice.name}: $ 2,343.75"
            "</li></ul>"
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "Statement - Comercial Andes SpA.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": customer.id,
            }
        )
        sent = customer.message_post(
            body="<p>Your statement: https://x.example/my/invoices/1?access_token=abc</p>",
            subtype_id=reminder.id,
            message_type="email_outgoing",
            attachment_ids=attachment.ids,
        )
        answer = customer.message_post(
            body="<p>Pagaremos el viernes</p>", parent_id=sent.id, message_type="email"
        )
        task = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": customer.id,
                "summary": "Send the file to legal counsel",
                "note": f"<ul><li>{invoice.name}: $ 2,343.75</li></ul>",
                "automated": True,
                "user_id": self.user_ana.id,
            }
        )
        note = customer.message_post(body="<p>Cliente pide factura por correo</p>")
        moved = self.env["collection.file"]._move_from_customers()
        self.assertGreaterEqual(moved, 3, "the line, the email and the reply (and the demo's)")
        file = self._thread(customer)
        self.assertEqual(
            (line | sent | answer).mapped(lambda message: (message.model, message.res_id)),
            [(file._name, file.id)] * 3,
        )
        self.assertEqual((attachment.res_model, attachment.res_id), (file._name, file.id))
        self.assertEqual((task.res_model, task.res_id), (file._name, file.id))
        self.assertEqual((note.model, note.res_id), ("res.partner", customer.id), "kept")
        self.assertEqual(self.env["collection.file"]._move_from_customers(), 0, "done once")
