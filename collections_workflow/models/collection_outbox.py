# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools.channels import sent_field

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_MINUTES = (5, 30)
# the PDFs of a batch are rendered together; each batch is committed as it ends
BATCH_ITEMS = 50
SENDING_STALE_MINUTES = 5
# the message each kind of item delivers (its event's flag)
MESSAGE_OF_KIND = {"letter": "letter", "whatsapp": "whatsapp", "attachment": "email"}


class CollectionOutbox(models.Model):
    """What the daily run decided to deliver and is slow or fallible to deliver.

    The run records its events and these items in the same transaction, then commits;
    this job delivers them afterwards, one item at a time, each committed on its own:
    a letter's PDF, the PDF an email attaches, an automatic WhatsApp message. Nothing
    here runs while the run holds the invoices' rows, and an item is never delivered
    twice: a WhatsApp message is marked *sending* and committed before the call, so a job
    killed during the call does not send it again.
    """

    _name = "collection.outbox"
    _description = "Collections Outbox"
    _order = "id"
    _rec_name = "event_id"

    event_id = fields.Many2one(
        "collection.event", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="event_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one(related="event_id.partner_id", string="Customer")
    kind = fields.Selection(
        [
            ("letter", "Letter PDF"),
            ("attachment", "Email PDF"),
            ("whatsapp", "WhatsApp Message"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("sending", "Sending"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    mail_id = fields.Many2one(
        "mail.mail",
        string="Email",
        readonly=True,
        ondelete="set null",
        help="The email waiting for its PDF; it leaves once the PDF is attached.",
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    next_attempt_at = fields.Datetime(readonly=True, index=True)
    error = fields.Text(readonly=True)
    external_ref = fields.Char(
        string="Reference", readonly=True, help="The provider's reference of the message."
    )

    _event_kind_uniq = models.Constraint(
        "UNIQUE(event_id, kind)", "An event is delivered once per kind of delivery."
    )

    # ------------------------------------------------------------------ the job
    @api.model
    def _cron_deliver(self):
        self._deliver(commit=True)

    @api.model
    def _get_due_domain(self, now):
        return Domain("state", "=", "pending") & (
            Domain("next_attempt_at", "=", False) | Domain("next_attempt_at", "<=", now)
        )

    @api.model
    def _deliver(self, commit=False):
        """Deliver the pending items, one at a time; return those handled.

        With ``commit`` (the scheduled job) each item is committed on its own, and an item
        another worker holds is left to it.
        """
        # the outbox is the run's own: it delivers with the rights of the scheduled job
        self = self.sudo()  # pylint: disable=self-cls-assignment
        now = fields.Datetime.now()
        handled = self.browse()
        self._recover_interrupted()
        while True:
            domain = self._get_due_domain(now)
            if handled:
                domain &= Domain("id", "not in", handled.ids)
            items = self.search(domain, limit=BATCH_ITEMS)
            if not items:
                break
            if commit:
                self.env["ir.cron"]._commit_progress(remaining=self.search_count(domain))
            # the items another worker locked are its own: not searched again either
            handled |= items
            items = items.try_lock_for_update() if commit else items
            # the PDFs of the batch are prepared and rendered together
            prepared = items._prepare_attachments()
            if prepared:
                # the emails leave once their PDF is attached: wake the mail queue once
                self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
            # the emails whose PDFs are ready leave together; where that fails, or for
            # the other items, one at a time
            together = items._deliver_prepared(prepared)
            if commit and together and self.env["ir.cron"]._commit_progress(len(together)) <= 0:
                return handled
            for item in items - together:
                item.with_context(
                    collection_prepared_attachments=prepared.get(item.id)
                )._deliver_one(commit)
                if commit and self.env["ir.cron"]._commit_progress(1) <= 0:
                    return handled
        return handled

    def _deliver_prepared(self, prepared):
        """Attach the ``prepared`` PDFs (``{item id: attachment ids}``) to the emails of
        these items and let the emails go, all in one step; return the items delivered
        (none if anything failed: each is then delivered on its own)."""
        items = self.filtered(
            lambda item: item.kind == "attachment"
            and prepared.get(item.id)
            and item.mail_id.state == "outgoing"
        )
        if not items:
            return items
        try:
            with self.env.cr.savepoint():
                for item in items:
                    item.mail_id.attachment_ids = [
                        fields.Command.link(attachment) for attachment in prepared[item.id]
                    ]
                items.mail_id.write({"scheduled_date": False})
                items.write({"state": "done", "error": False})
        except Exception as error:  # found below, item by item
            _logger.info("collections outbox: %s delivered one by one: %s", items, error)
            return self.browse()
        return items

    @api.model
    def _recover_interrupted(self):
        """A job killed during a WhatsApp call left its item *sending*: it may have gone.

        It is not sent again (a customer never gets the same message twice); its event
        says so and the advisor checks with the customer.
        """
        # a call lasts seconds: an item sending for longer was left by a job that stopped
        since = fields.Datetime.now() - timedelta(minutes=SENDING_STALE_MINUTES)
        stuck = self.search(
            [("state", "=", "sending"), ("write_date", "<", since)]
        ).try_lock_for_update()
        if stuck:
            stuck._fail(
                self.env._(
                    "The delivery was interrupted during the call to the provider: the "
                    "message may have been sent. It is not sent again."
                )
            )

    def _deliver_one(self, commit):
        """Deliver this item; on failure, retry later, then fail it on its event."""
        self.ensure_one()
        if self.kind == "whatsapp":
            # committed before the call: a retry after a crash must not send it again
            self.write({"state": "sending", "attempt_count": self.attempt_count + 1})
            if commit:
                self.env["ir.cron"]._commit_progress()
            self._deliver_whatsapp()
            return
        try:
            with self.env.cr.savepoint():
                getattr(self, f"_deliver_{self.kind}")()
                self.write({"state": "done", "error": False})
        except Exception as error:  # one document never stops the others
            _logger.info("collections outbox: %s %s failed: %s", self.kind, self.id, error)
            self._retry_or_fail(str(error))

    def _retry_or_fail(self, reason, attempts=None):
        attempts = self.attempt_count + 1 if attempts is None else attempts
        if attempts >= MAX_ATTEMPTS:
            self.attempt_count = attempts
            self._fail(reason)
            return
        minutes = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
        self.write(
            {
                "state": "pending",
                "attempt_count": attempts,
                "error": reason,
                "next_attempt_at": fields.Datetime.now() + timedelta(minutes=minutes),
            }
        )

    def _fail(self, reason):
        """The item cannot be delivered: its event fails, with the reason, and the advisor
        gets a task to reach the customer another way."""
        self.write({"state": "failed", "error": reason})
        self.mail_id.filtered(lambda mail: mail.state == "outgoing").sudo().write(
            {"state": "cancel", "failure_reason": reason}
        )
        for item in self:
            # what the item was to deliver was never sent: its message no longer counts
            flag = sent_field(MESSAGE_OF_KIND[item.kind])
            item.event_id.sudo()._mark_failed(
                self.env._(
                    "%(delivery)s failed: %(reason)s",
                    delivery=item._fields["kind"].convert_to_export(item.kind, item),
                    reason=reason,
                ),
                flag,
            )

    # ------------------------------------------------------------------ deliveries
    def _deliver_letter(self):
        """The letter's PDF, kept on its event (Print > Letter then merges the kept PDFs)."""
        self.env["ir.actions.report"].sudo()._render_qweb_pdf(
            "collections_workflow.action_report_collection_letter", self.event_id.ids
        )

    def _prepare_attachments(self):
        """``{item id: attachment ids}``: the PDFs the emails of these items attach,
        rendered together per company and kind of document. Where that fails (one
        document that does not render), nothing is prepared: each item renders its own,
        and fails alone."""
        waiting = self.filtered(
            lambda item: item.kind == "attachment" and item.mail_id.state == "outgoing"
        )
        prepared = {}
        groups = waiting.grouped(lambda item: (item.event_id.company_id, item.mail_id.model))
        for (company, model), items in groups.items():
            records = self.env[model].browse(items.mail_id.mapped("res_id"))
            try:
                with self.env.cr.savepoint():
                    attachments = self.env["collection.channel"]._get_pdf_attachments(
                        records, company
                    )
            except Exception as error:
                _logger.info("collections outbox: PDFs of %s rendered one by one: %s", items, error)
                continue
            for item in items:
                prepared[item.id] = tuple(attachments[records.browse(item.mail_id.res_id)])
        return prepared

    def _deliver_attachment(self):
        """Attach the PDF the email waits for (prepared with its batch's, else rendered
        now), and let the email go."""
        mail = self.mail_id.sudo()
        if not mail or mail.state != "outgoing":
            return
        attachment_ids = self.env.context.get("collection_prepared_attachments")
        if not attachment_ids:
            record = self.env[mail.model].browse(mail.res_id)
            company = self.event_id.company_id
            attachment_ids = self.env["collection.channel"]._get_pdf_attachments(record, company)[
                record
            ]
        mail.write(
            {
                "attachment_ids": [fields.Command.link(att) for att in attachment_ids],
                "scheduled_date": False,
            }
        )
        if not self.env.context.get("collection_prepared_attachments"):
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _deliver_whatsapp(self):
        event = self.event_id
        level = event.level_id
        record = event.partner_id if level._is_per_customer() else event.invoice_id
        message_id, problem, retry = self.env["collection.channel"]._post_whatsapp_event(
            event, record
        )
        if message_id:
            self.write({"state": "done", "external_ref": message_id, "error": False})
            event.sudo()._add_note(
                self.env._("WhatsApp accepted the message: %(id)s.", id=message_id)
            )
        elif retry:
            self._retry_or_fail(problem, attempts=self.attempt_count)
        else:
            self._fail(problem)

    # ------------------------------------------------------------------ scheduling
    @api.model
    def _trigger_job(self):
        """Wake the outbox job: it runs once the caller's transaction is committed."""
        self.env.ref("collections_workflow.ir_cron_collection_outbox").sudo()._trigger()
