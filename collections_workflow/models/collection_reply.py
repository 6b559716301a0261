# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize_all, html2plaintext

from ..tools import reply_intent
from .collection_hold_mixin import check_assignment_write


class CollectionReply(models.Model):
    """A customer's email answering a collection reminder.

    The email itself lands on the chatter of the message it answers (an invoice, or the
    customer's collections file, never the customer's own chatter); this record gives the
    advisor a
    task and, where the customer's words are clear (see ``tools/reply_intent``), the
    matching one-click action: record a promise, open a dispute, or log "already paid"
    (reminders pause while accounting checks the payment).
    """

    _name = "collection.reply"
    _description = "Customer Reply"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "subject"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "collection_reply_account_move_rel",
        "reply_id",
        "move_id",
        string="Invoices",
        readonly=True,
        help="The invoices of the reminder the customer answered.",
    )
    reminder_message_id = fields.Many2one(
        "mail.message", string="Reminder", readonly=True, ondelete="set null"
    )
    email_from = fields.Char(string="From", readonly=True)
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    subject = fields.Char(readonly=True)
    body = fields.Html(readonly=True, sanitize=True)
    intent = fields.Selection(
        [
            ("promise", "Promise to Pay"),
            ("dispute", "Dispute"),
            ("paid", "Already Paid"),
        ],
        string="The Customer Says",
        readonly=True,
        help="Read from the customer's words when they are clear; empty otherwise.",
    )
    promise_date = fields.Date(
        string="Date Named", readonly=True, help="The payment date the reply names, if any."
    )
    sender_unknown = fields.Boolean(
        string="Unknown Sender",
        readonly=True,
        help="The reply comes from an address that is not the customer's nor one of its "
        "contacts': no action is offered until the advisor confirms the sender.",
    )
    read_in_part = fields.Boolean(
        readonly=True,
        help="The reply is too long to be read whole for its meaning: only its beginning "
        "was. The whole message is kept: read it.",
    )
    state = fields.Selection(
        [("new", "To Handle"), ("done", "Handled")],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    advisor_id = fields.Many2one("collection.staff", readonly=True, index="btree_not_null")
    supervisor_id = fields.Many2one("collection.staff", readonly=True, index="btree_not_null")

    def write(self, vals):
        check_assignment_write(self, vals, ("partner_id", "advisor_id", "supervisor_id"))
        return super().write(vals)

    @api.model
    def _record_reply(self, partner, message_dict):
        """Record ``message_dict`` (an incoming email on ``partner``'s thread) when it
        answers a collection reminder; notify the advisor with a task."""
        reminder = self.env["mail.message"].sudo().browse(message_dict.get("parent_id")).exists()
        subtype = self.env.ref("collections_workflow.mt_collection_reminder")
        if not reminder or reminder.subtype_id != subtype:
            return self.browse()
        customer = partner.commercial_partner_id
        if reminder.model == "account.move":
            invoices = self.env["account.move"].sudo().browse(reminder.res_id).exists()
        else:
            invoices = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", customer.id),
                        *self.env["account.move"]._get_collection_open_domain(),
                    ],
                    order="invoice_date_due, id",
                )
            )
        company = invoices[:1].company_id or self.env.company
        advisor = customer.with_company(company).collection_advisor_id
        today = fields.Date.context_today(self)
        body = message_dict.get("body") or ""
        # a customer writes at the top: the meaning is read in the reply's beginning only,
        # so that a huge email costs little; the whole email is kept
        text = html2plaintext(body[: reply_intent.MAX_TEXT * 4])
        read_in_part = len(text) > reply_intent.MAX_TEXT or len(body) > reply_intent.MAX_TEXT * 4
        intent, promise_date = reply_intent.read_reply(text[: reply_intent.MAX_TEXT], today)
        sender_unknown = not self._is_customer_address(customer, message_dict.get("email_from"))
        reply = self.sudo().create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "invoice_ids": invoices.ids,
                "reminder_message_id": reminder.id,
                "email_from": message_dict.get("email_from"),
                "subject": message_dict.get("subject"),
                "body": message_dict.get("body"),
                "intent": intent,
                "promise_date": promise_date,
                "sender_unknown": sender_unknown,
                "read_in_part": read_in_part,
                "advisor_id": advisor.id,
                "supervisor_id": advisor.supervisor_id.id,
            }
        )
        user = advisor.user_id or advisor.supervisor_id.user_id
        if user:
            reply.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=reply._get_task_summary(),
                user_id=user.id,
            )
        if invoices and reminder.model == "account.move":
            invoices._message_log(
                body=self.env._(
                    "%(customer)s replied to the reminder: see Collections > Customer Replies.",
                    customer=customer.name,
                )
            )
        return reply

    @api.model
    def _is_customer_address(self, customer, email_from):
        """Whether ``email_from`` is the address of ``customer`` or of one of its contacts."""
        senders = set(email_normalize_all(email_from or ""))
        if not senders:
            return False
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "=", customer.id), ("email", "!=", False)])
        )
        known = {address for contact in contacts for address in email_normalize_all(contact.email)}
        return senders <= known

    def _get_task_summary(self):
        self.ensure_one()
        if self.sender_unknown:
            return self.env._(
                "Reply about %(customer)s from an unknown sender (%(sender)s): confirm it",
                customer=self.partner_id.name,
                sender=", ".join(email_normalize_all(self.email_from or "")) or "-",
            )
        if not self.intent:
            return self.env._("Reply from %(customer)s", customer=self.partner_id.name)
        says = dict(self._fields["intent"]._description_selection(self.env))[self.intent]
        return self.env._(
            "Reply from %(customer)s: %(says)s", customer=self.partner_id.name, says=says
        )

    def _check_sender_known(self):
        unknown = self.filtered("sender_unknown")
        if unknown:
            raise UserError(
                self.env._(
                    "The reply %(reply)s comes from %(sender)s, not an address of "
                    "%(customer)s: confirm the sender before acting on it.",
                    reply=unknown[0].display_name,
                    sender=unknown[0].email_from or "-",
                    customer=unknown[0].partner_id.name,
                )
            )

    def action_confirm_sender(self):
        """The advisor knows the sender: the reply's actions are offered."""
        self.write({"sender_unknown": False})
        for reply in self:
            reply.message_post(
                body=self.env._(
                    "%(user)s confirmed that %(sender)s writes for %(customer)s.",
                    user=self.env.user.name,
                    sender=reply.email_from or "-",
                    customer=reply.partner_id.name,
                )
            )
        return True

    def _close(self, feedback):
        self.write({"state": "done"})
        self.activity_ids.action_feedback(feedback=feedback)

    def _get_open_invoices(self):
        return self.invoice_ids.filtered(lambda move: move._is_collection_open())

    def action_record_promise(self):
        """The promise form, filled from the reply."""
        self.ensure_one()
        self._check_sender_known()
        return self.env["collection.promise"]._action_new(
            self._get_open_invoices(),
            {
                "default_channel": "email",
                "default_promise_date": self.promise_date,
                "default_note": html2plaintext(self.body or "")[:500],
                "collection_reply_id": self.id,
            },
        )

    def action_open_dispute(self):
        """The dispute form, filled from the reply."""
        self.ensure_one()
        self._check_sender_known()
        return self.env["collection.dispute"]._action_new(
            self._get_open_invoices(),
            {"default_note": self.body, "collection_reply_id": self.id},
        )

    def action_already_paid(self):
        """The customer says it paid: accounting checks, reminders pause meanwhile."""
        self.ensure_one()
        self._check_sender_known()
        invoices = self._get_open_invoices().sudo()
        today = fields.Date.context_today(self)
        company = self.company_id
        until = today + timedelta(days=company.collection_payment_check_days)
        invoices.filtered(
            lambda move: not move.collection_paused_until or move.collection_paused_until < until
        ).write({"collection_paused_until": until})
        invoices._collection_hold(today)
        body = self.env._(
            "%(customer)s says it has paid: reminders paused until %(date)s while the payment "
            "is checked.",
            customer=self.partner_id.name,
            date=until,
        )
        invoices._collection_log(body)
        checker = (
            company.collection_payment_check_user_id or self.supervisor_id.user_id or self.env.user
        )
        Task = self.env["collection.task"]
        self.env["mail.activity"].sudo().create(
            Task._prepare_activity_vals(
                # on the customer's collections file, which the portfolio rules guard
                self.env["collection.file"]
                ._get_files(self.partner_id, company)[self.partner_id]
                .sudo(),
                self.env.ref("mail.mail_activity_data_todo"),
                self.env._(
                    "Check the payment %(customer)s says it made", customer=self.partner_id.name
                ),
                today,
                checker,
                Task._invoice_list_html(invoices),
            )
        )
        self._close(body)
        return True

    def action_dismiss(self):
        self._close(self.env._("Nothing to do."))
        return True

    @api.model
    def _close_from_context(self, feedback):
        """Close the reply a promise or a dispute was recorded from (one-click flows)."""
        reply_id = self.env.context.get("collection_reply_id")
        if reply_id:
            self.browse(reply_id).exists()._close(feedback)
