# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CollectionEvent(models.Model):
    """What the daily run did for one invoice at one level: at most once, ever.

    The unique (invoice, level) pair is what makes a second run, a resumed run or two
    workers running at once unable to act twice.
    """

    _name = "collection.event"
    _description = "Collection Event"
    _order = "date desc, id desc"
    _rec_name = "level_id"

    # the unique (invoice, level) index serves searches by invoice
    invoice_id = fields.Many2one("account.move", required=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    level_id = fields.Many2one(
        "collection.level", required=True, index=True, ondelete="cascade", readonly=True
    )
    instalment_id = fields.Many2one(
        "collection.payment.plan.instalment",
        string="Instalment",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The payment plan's instalment an instalment reminder was about.",
    )
    # written with the event rather than related: an event never changes, and the run
    # creates thousands at a time
    strategy_id = fields.Many2one("collection.strategy", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    advisor_id = fields.Many2one("collection.staff", index=True, readonly=True)
    supervisor_id = fields.Many2one("collection.staff", index=True, readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    state = fields.Selection(
        [
            ("done", "Done"),
            ("deferred", "Deferred"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        required=True,
        default="done",
        readonly=True,
    )
    channels = fields.Char(readonly=True, help="Channels the level used.")
    scheduled_at = fields.Datetime(
        string="Deferred Until",
        readonly=True,
        help="A deferred step waits for the customer's contact hours or for room under the "
        "weekly contact limits; the run acts on it from then on.",
    )
    # the messages this event stands for: one per message, to count a customer's contacts
    sent_email = fields.Boolean(string="Email Sent", readonly=True)
    sent_sms = fields.Boolean(string="SMS Sent", readonly=True)
    sent_whatsapp = fields.Boolean(string="WhatsApp Sent", readonly=True)
    sent_letter = fields.Boolean(string="Letter Kept", readonly=True)
    called = fields.Boolean(
        string="Call Task Planned",
        readonly=True,
        help="The level planned a call: the contact profiles limit calls and visits a week.",
    )
    sms_id = fields.Many2one(
        "sms.sms", string="SMS", readonly=True, ondelete="set null", index="btree_not_null"
    )
    tracking_key = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="collections_workflow.collections_workflow_group_manager",
        help="The random key of this step's tracked messages: their pixel and links name it.",
    )
    opened_at = fields.Datetime(
        string="Opened",
        readonly=True,
        help="When the customer first opened this step's email (its images shown).",
    )
    clicked_at = fields.Datetime(
        string="Clicked",
        readonly=True,
        help="When the customer first clicked a link of this step's messages.",
    )
    sms_failure = fields.Char(
        string="SMS Delivery",
        compute="_compute_sms_failure",
        help="Why the SMS provider could not deliver this step's SMS, once it has tried.",
    )
    letter_html = fields.Html(
        string="Letter",
        readonly=True,
        help="The letter of this step, printed on the company's letterhead by Print > Letter.",
    )
    amount_residual = fields.Monetary(
        string="Amount Due", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    note = fields.Text(readonly=True)
    outbox_ids = fields.One2many(
        "collection.outbox",
        "event_id",
        string="Deliveries",
        readonly=True,
        groups="collections_workflow.collections_workflow_group_manager",
    )

    _invoice_level_uniq = models.Constraint(
        "UNIQUE(invoice_id, level_id)",
        "The daily run acts at most once per invoice and level.",
    )

    @api.depends("sms_id.state", "sms_id.failure_type")
    def _compute_sms_failure(self):
        reasons = dict(self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env))
        for event in self:
            sms = event.sudo().sms_id
            event.sms_failure = (
                reasons.get(sms.failure_type, sms.failure_type)
                if sms.state in ("error", "canceled")
                else False
            )

    @api.model
    def _record(self, vals_list):
        """The one writer of the run's events: create them from ``vals_list``.

        Each new event replaces the deferred event of its (invoice, level, instalment), if any: a
        step that waited is taken, passed over, failed or deferred again; unless deferred
        again, its note keeps the wait. Events are the run's own record, which
        no user writes: created as superuser. Returns the events created.
        """
        Event = self.sudo()

        def step_of(vals):
            # an instalment reminder waits for its instalment: one level, many instalments
            return vals["invoice_id"], vals["level_id"], vals.get("instalment_id") or False

        keys = {step_of(vals) for vals in vals_list}
        pending = Event.search(
            [("invoice_id", "in", list({step[0] for step in keys})), ("state", "=", "deferred")]
        )
        waited = {}
        for event in pending:
            event_key = (event.invoice_id.id, event.level_id.id, event.instalment_id.id or False)
            if event_key in keys:
                waited[event_key] = event
        pending = Event.concat(*waited.values())
        records = []
        for vals in vals_list:
            earlier = waited.get(step_of(vals))
            if earlier and vals["state"] != "deferred":
                waited_note = self.env._(
                    "Waited until %(moment)s (UTC). %(reason)s",
                    moment=earlier.scheduled_at,
                    reason=earlier.note,
                )
                note = "\n".join(filter(None, [waited_note, vals.get("note")]))
                records.append(dict(vals, note=note))
            else:
                records.append(vals)
        pending.unlink()
        return Event.create(records)

    def _get_letter_filename(self):
        """The letter's file name, in the customer's language (as the letter itself)."""
        self.ensure_one()
        lang = self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang
        event = self.with_context(lang=lang)
        return event.env._(
            "Letter - %(customer)s - %(level)s",
            customer=self.partner_id.name,
            level=event.level_id.name,
        )

    def _add_note(self, note):
        for event in self:
            event.note = "\n".join(filter(None, [event.note, note]))

    def _mark_failed(self, reason, sent_flag=False):
        """What this step delivers could not go out: the event fails with ``reason``, and
        the advisor of each customer gets a task to reach it another way."""
        vals = {"state": "failed"}
        if sent_flag:
            vals[sent_flag] = False
        self.write(vals)
        self._add_note(reason)
        self.env["collection.task"]._schedule_failure_tasks(self, reason)

    def action_record_promise(self):
        """A promise to pay made in answer to this step, covering its invoice."""
        self.ensure_one()
        return self.env["collection.promise"]._action_new(self.invoice_id)
