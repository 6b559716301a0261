# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools import reply_intent


class CollectionReply(models.Model):
    """A customer's email answering a collection reminder.

    The email itself lands on the customer's chatter; this record gives the advisor a
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
    state = fields.Selection(
        [("new", "To Handle"), ("done", "Handled")],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    advisor_id = fields.Many2one("collection.staff", readonly=True, index="btree_not_null")
    supervisor_id = fields.Many2one("collection.staff", readonly=True, index="btree_not_null")

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
        text = html2plaintext(message_dict.get("body") or "")
        intent, promise_date = reply_intent.read_reply(text, today)
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
                    "%(customer)s replied to the reminder: see the customer's chatter.",
                    customer=customer.name,
                )
            )
        return reply

    def _get_task_summary(self):
        self.ensure_one()
        if not self.intent:
            return self.env._("Reply from %(customer)s", customer=self.partner_id.name)
        says = dict(self._fields["intent"]._description_selection(self.env))[self.intent]
        return self.env._(
            "Reply from %(customer)s: %(says)s", customer=self.partner_id.name, says=says
        )

    def _close(self, feedback):
        self.write({"state": "done"})
        self.activity_ids.action_feedback(feedback=feedback)

    def _get_open_invoices(self):
        return self.invoice_ids.filtered(lambda move: move._is_collection_open())

    def action_record_promise(self):
        """The promise form, filled from the reply."""
        self.ensure_one()
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
        return self.env["collection.dispute"]._action_new(
            self._get_open_invoices(),
            {"default_note": self.body, "collection_reply_id": self.id},
        )

    def action_already_paid(self):
        """The customer says it paid: accounting checks, reminders pause meanwhile."""
        self.ensure_one()
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
                self.partner_id.sudo(),
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
