# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.legal import LEGAL_STATUSES

# an invoice in one of these is no longer owed; every other posted customer invoice is
# open: reminded, promised, disputed, counted in the reports (see _get_collection_open_domain)
CLOSED_PAYMENT_STATES = ("paid", "in_payment", "reversed", "invoicing_legacy")
# paid in full by the customer (not reversed by a credit note): what a receipt thanks for
RECEIPT_PAYMENT_STATES = ("paid", "in_payment")
# open invoices whose strategy is recomputed at a time (see _collection_refresh_strategies)
REFRESH_BATCH = 2000


class AccountMove(models.Model):
    _inherit = "account.move"

    collection_advisor_id = fields.Many2one(
        "collection.staff",
        string="Collections Advisor",
        compute="_compute_collection_staff",
        store=True,
        index="btree_not_null",
        help="The customer's advisor in this invoice's company.",
    )
    collection_supervisor_id = fields.Many2one(
        "collection.staff",
        string="Collections Supervisor",
        compute="_compute_collection_staff",
        store=True,
        index="btree_not_null",
    )
    collection_strategy_id = fields.Many2one(
        "collection.strategy",
        compute="_compute_collection_strategy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Strategy this invoice follows; it comes from the customer when the invoice is "
        "posted.",
    )
    collection_status = fields.Selection(
        [
            ("active", "Active"),
            ("promised", "Promise to Pay"),
            ("plan", "Payment Plan"),
            ("paused", "Paused"),
            ("disputed", "Disputed"),
            ("excluded", "Excluded"),
            ("handed_over", "Handed Over"),
            ("legal", "Legal Proceedings"),
            ("done", "Done"),
        ],
        compute="_compute_collection_status",
        store=True,
        index=True,
        help="Only active invoices are reminded. An open promise to pay, a running payment "
        "plan, an open dispute, a pause, an exclusion or a hand-over holds them; legal "
        "proceedings (the invoice's or its customer's) stop them; paid invoices are done.",
    )
    collection_paused_until = fields.Date(
        string="Reminders Paused Until",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
        help="No reminder until this date; the strategy resumes on it, at its next level.",
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collections", copy=False, readonly=True, tracking=True
    )
    collection_exclusion_reason = fields.Char(
        string="Exclusion Reason", copy=False, readonly=True, tracking=True
    )
    collection_promise_ids = fields.Many2many(
        "collection.promise",
        "collection_promise_account_move_rel",
        "move_id",
        "promise_id",
        string="Promises to Pay",
        copy=False,
        readonly=True,
    )
    collection_payment_plan_ids = fields.Many2many(
        "collection.payment.plan",
        "collection_payment_plan_account_move_rel",
        "move_id",
        "plan_id",
        string="Payment Plans",
        copy=False,
        readonly=True,
    )
    collection_dispute_ids = fields.Many2many(
        "collection.dispute",
        "collection_dispute_account_move_rel",
        "move_id",
        "dispute_id",
        string="Disputes",
        copy=False,
        readonly=True,
    )
    collection_hold_since = fields.Date(
        string="On Hold Since",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Day a promise, a dispute or a pause stopped the reminders; the run resumes the "
        "strategy at its next level once nothing holds the invoice any more.",
    )
    collection_delay_days = fields.Integer(
        string="Schedule Delay (Days)",
        copy=False,
        readonly=True,
        help="Days the strategy's next levels moved when it resumed after a hold, or "
        "skipped to a level, so that the levels keep their spacing.",
    )
    collection_legal_status = fields.Selection(
        LEGAL_STATUSES,
        string="Legal Proceedings",
        copy=False,
        tracking=True,
        help="Once the invoice is the object of a collection lawsuit served on the customer, "
        "or of insolvency proceedings, its extrajudicial collection stops: no message on "
        "any channel, no reminder task.",
    )
    collection_as_of_date = fields.Date(
        string="Amounts As Of",
        related="commercial_partner_id.collection_as_of_date",
        help="Today, in the customer's time zone: the date the amounts of a message are "
        "computed on.",
    )
    collection_handover_partner_id = fields.Many2one(
        "res.partner", string="Handed Over To", copy=False, readonly=True, tracking=True
    )
    collection_payment_url = fields.Char(
        string="Online Payment Link",
        compute="_compute_collection_payment_url",
        help="The invoice on the customer portal, where it can be paid online; the link "
        "carries the invoice's access token.",
    )
    collection_page_url = fields.Char(
        string="Customer Page Link",
        compute="_compute_collection_page_url",
        groups="collections_workflow.collections_workflow_group_advisor",
        help="The customer's own collections page (its open invoices, statement, payment, "
        "promise or plan), as every message links it: valid for the company's link days.",
    )
    collection_payment_qr_url = fields.Char(
        string="Online Payment QR Code",
        compute="_compute_collection_payment_qr_url",
        help="Image of a QR code of the online payment link, for messages and letters.",
    )
    collection_deferred_until = fields.Datetime(
        string="Collection Step Deferred Until",
        compute="_compute_collection_deferred_until",
        store=True,
        copy=False,
        index="btree_not_null",
        help="The next step waits until then: the customer's contact hours, or its weekly "
        "contact limits.",
    )
    collection_last_level_id = fields.Many2one(
        "collection.level",
        string="Last Level",
        compute="_compute_collection_last",
        store=True,
        help="Latest level the daily run reached for this invoice, acted on or skipped.",
    )
    collection_last_date = fields.Date(
        string="Last Level Date", compute="_compute_collection_last", store=True
    )
    collection_receipt_on = fields.Date(
        string="Receipt Handled On",
        copy=False,
        readonly=True,
        help="The day the run thanked the customer for paying this invoice, or found no "
        "receipt to send.",
    )
    collection_receipt_pending = fields.Boolean(
        string="Receipt Pending",
        compute="_compute_collection_receipt_pending",
        store=True,
        index=True,
        help="Paid in full after a reminder: the run's receipt is still to handle.",
    )
    collection_next_level_id = fields.Many2one(
        "collection.level",
        string="Next Level",
        compute="_compute_collection_next",
        store=True,
    )
    collection_next_date = fields.Date(
        string="Next Level Date",
        compute="_compute_collection_next",
        store=True,
        index="btree_not_null",
    )
    collection_event_ids = fields.One2many(
        "collection.event", "invoice_id", string="Collection Events"
    )
    collection_advisor_whatsapp_url = fields.Char(
        string="Advisor WhatsApp Link",
        compute="_compute_collection_advisor_whatsapp_url",
        help="Click-to-chat link to the advisor, with a message naming the customer and "
        "this invoice.",
    )
    collection_charge_level_id = fields.Many2one(
        "collection.level",
        string="Late-Payment Charge Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="This draft invoice holds the late-payment charges added by this collection "
        "level, for accounting to check and post.",
    )

    @api.depends(
        "move_type",
        "company_id",
        "commercial_partner_id.collection_advisor_id",
        "commercial_partner_id.collection_advisor_id.supervisor_id",
    )
    def _compute_collection_staff(self):
        sale_moves = self.filtered(lambda move: move.is_sale_document(include_receipts=True))
        (self - sale_moves).collection_advisor_id = False
        (self - sale_moves).collection_supervisor_id = False
        for company, moves in sale_moves.grouped("company_id").items():
            for move in moves.with_company(company):
                advisor = move.commercial_partner_id.collection_advisor_id
                move.collection_advisor_id = advisor
                move.collection_supervisor_id = advisor.supervisor_id

    @api.depends(
        "state",
        "commercial_partner_id.collection_strategy_id",
        "commercial_partner_id.category_id",
    )
    def _compute_collection_strategy_id(self):
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        for move, strategy in invoices._get_collection_strategies().items():
            move.collection_strategy_id = strategy
        (self - invoices).collection_strategy_id = False

    def _get_collection_strategies(self):
        """``{invoice: the strategy its customer follows}``."""
        result = {}
        for company, moves in self.grouped("company_id").items():
            by_partner = self.env["collection.strategy"]._get_strategy_by_partner(
                moves.commercial_partner_id, company
            )
            for move in moves:
                result[move] = by_partner[move.commercial_partner_id.with_company(company)]
        return result

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "amount_residual",
        "collection_paused_until",
        "collection_promise_ids.state",
        "collection_payment_plan_ids.state",
        "collection_dispute_ids.state",
        "collection_excluded",
        "collection_handover_partner_id",
        "collection_legal_status",
        "commercial_partner_id.collection_excluded",
        "commercial_partner_id.collection_legal_status",
    )
    def _compute_collection_status(self):
        for move in self:
            move.collection_status = move._get_collection_status()

    def _compute_collection_payment_url(self):
        for move in self:
            if not move.id or not move.is_invoice(include_receipts=True):
                move.collection_payment_url = False
                continue
            move.collection_payment_url = move.get_base_url() + move.get_portal_url()

    def _compute_collection_page_url(self):
        Page = self.env["collection.customer.page"]
        for company, moves in self.grouped("company_id").items():
            urls = Page._get_urls(moves.commercial_partner_id, company) if company else {}
            for move in moves:
                move.collection_page_url = urls.get(move.commercial_partner_id, False)

    def _compute_collection_payment_qr_url(self):
        # apart from the link: a statement lists the links of many invoices, not this image
        for move in self:
            url = move.collection_payment_url
            move.collection_payment_qr_url = url and "{}/report/barcode/?{}".format(
                move.get_base_url(),
                urlencode({"barcode_type": "QR", "value": url, "width": 240, "height": 240}),
            )

    @api.model
    def _get_collection_open_domain(self):
        """The one definition of an open invoice: a posted customer invoice still owed."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "not in", CLOSED_PAYMENT_STATES),
        ]

    def _is_collection_open(self):
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.payment_state not in CLOSED_PAYMENT_STATES
        )

    def _get_collection_status(self):
        """The collection status of one invoice: what holds it, if anything."""
        self.ensure_one()
        if not self._is_collection_open() or self.currency_id.is_zero(self.amount_residual):
            return "done"
        customer = self.commercial_partner_id.with_company(self.company_id)
        if self.collection_legal_status or customer.collection_legal_status:
            return "legal"
        if self.collection_handover_partner_id:
            return "handed_over"
        if (
            self.collection_excluded
            or self.commercial_partner_id.with_company(self.company_id).collection_excluded
        ):
            return "excluded"
        if any(dispute._holds_invoices() for dispute in self.collection_dispute_ids):
            return "disputed"
        if any(promise.state == "open" for promise in self.collection_promise_ids):
            return "promised"
        if any(plan.state == "open" for plan in self.collection_payment_plan_ids):
            return "plan"
        if self.collection_paused_until:
            return "paused"
        return "active"

    @api.depends(
        "collection_event_ids.level_id",
        "collection_event_ids.date",
        "collection_event_ids.state",
    )
    def _compute_collection_last(self):
        # the events are the record of what the run did: no write on the invoice itself;
        # a deferred step has not been taken yet
        for move in self:
            events = move.collection_event_ids.filtered(
                lambda event: event.state != "deferred" and event.level_id.trigger == "due"
            ).sorted(lambda event: (event.level_id.day_offset, event.date))
            move.collection_last_level_id = events[-1:].level_id
            move.collection_last_date = max(events.mapped("date"), default=False)

    @api.depends("payment_state", "collection_receipt_on", "collection_event_ids.state")
    def _compute_collection_receipt_pending(self):
        for move in self:
            move.collection_receipt_pending = (
                move.move_type == "out_invoice"
                and move.payment_state in RECEIPT_PAYMENT_STATES
                and not move.collection_receipt_on
                and any(
                    event.state == "done" and event.level_id.trigger == "due"
                    for event in move.collection_event_ids
                )
            )

    @api.depends("collection_event_ids.state", "collection_event_ids.scheduled_at")
    def _compute_collection_deferred_until(self):
        # derived from the deferred events: they alone say what waits, and until when
        for move in self:
            move.collection_deferred_until = min(
                (
                    event.scheduled_at
                    for event in move.collection_event_ids
                    if event.state == "deferred" and event.scheduled_at
                ),
                default=False,
            )

    @api.depends(
        "collection_status",
        "collection_strategy_id.level_ids.day_offset",
        "collection_last_level_id",
        "invoice_date_due",
        "collection_delay_days",
    )
    def _compute_collection_next(self):
        for move in self:
            level = move._get_collection_next_level()
            move.collection_next_level_id = level
            move.collection_next_date = move._get_collection_level_date(level) if level else False

    @api.model
    def _collection_refresh_strategies(self, domain, batch_size=REFRESH_BATCH):
        """The open invoices of ``domain`` follow their customer's strategy again (a
        strategy's tags, the company's default strategy or a pilot changed), their next
        level and date recomputed; in batches, the cache emptied between them."""
        Move = self.sudo().with_context(mail_notrack=True)
        ids = Move.search(Domain(Move._get_collection_open_domain()) & Domain(domain)).ids
        moved = 0
        for start in range(0, len(ids), batch_size):
            by_strategy = defaultdict(list)
            for move, strategy in (
                Move.browse(ids[start : start + batch_size])._get_collection_strategies().items()
            ):
                if strategy != move.collection_strategy_id:
                    by_strategy[strategy.id].append(move.id)
            for strategy_id, move_ids in by_strategy.items():
                # written, so that the next level and date follow
                Move.browse(move_ids).write({"collection_strategy_id": strategy_id or False})
                moved += len(move_ids)
            self.env.flush_all()
            self.env.invalidate_all()
        return moved

    def _get_collection_level_date(self, level):
        """The day ``level`` fires for this invoice: its due date plus the level's day,
        pushed back by the delay a hold or a skip left."""
        self.ensure_one()
        return self.invoice_date_due + timedelta(days=level.day_offset + self.collection_delay_days)

    def _get_collection_next_level(self):
        self.ensure_one()
        if self.collection_status != "active" or not self.collection_strategy_id:
            return self.env["collection.level"]
        return self._get_collection_levels_after(self.collection_last_level_id)[:1]

    def _get_collection_levels_after(self, level):
        """The strategy's levels that come after ``level`` (all of them without one)."""
        self.ensure_one()
        levels = self.collection_strategy_id._get_levels_in_order()
        if level:
            levels = levels.filtered(lambda other: other.day_offset > level.day_offset)
        return levels

    # ------------------------------------------------------------------ holds
    def _collection_hold(self, today):
        """Note the day these invoices went on hold (a promise, a dispute, a pause).

        Holding them is the system's bookkeeping, done for whoever may record a promise or
        a dispute: written as superuser.
        """
        self.sudo().filtered(lambda move: not move.collection_hold_since).write(
            {"collection_hold_since": today}
        )

    def _collection_resume(self, today, level=None, note=None):
        """Resume the strategy of these invoices ``today``, where it left off, or at
        ``level`` when one is chosen.

        Where it left off: the furthest level already due when the hold began, else the
        next one; it fires today at the earliest. A chosen level fires today. The levels
        passed over on the way are recorded as skipped, and the later levels keep their
        spacing (through the invoice's schedule delay). A trace goes on each invoice's
        chatter.
        """
        moves = self.sudo()
        Run = self.env["collection.run"]
        skipped_vals, by_delay, bodies = [], defaultdict(list), {}
        for move in moves:
            upcoming = move._get_collection_levels_after(move.collection_last_level_id)
            if level and level not in upcoming:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot go to level %(level)s: it follows "
                        "%(strategy)s and has reached level %(last)s already.",
                        invoice=move.display_name,
                        level=level.display_name,
                        strategy=move.collection_strategy_id.display_name or "-",
                        last=move.collection_last_level_id.display_name or "-",
                    )
                )
            target = level
            if not target:
                since = move.collection_hold_since or today
                owed = upcoming.filtered(
                    lambda other, move=move, since=since: move._get_collection_level_date(other)
                    <= since
                )
                target = owed[-1:] or upcoming[:1]
            passed = upcoming.filtered(
                lambda other, target=target: other.day_offset < target.day_offset
            )
            skipped_vals += [
                Run._prepare_event_vals(
                    move,
                    other,
                    today,
                    state="skipped",
                    note=note or self.env._("A later level was already due."),
                )
                for other in passed
            ]
            delay = move.collection_delay_days
            if target:
                # a chosen level fires today; otherwise today at the earliest
                late = (today - move.invoice_date_due).days - target.day_offset
                delay = late if level else max(delay, late)
                bodies[move.id] = self.env._(
                    "Collections resume at level %(level)s on %(date)s.",
                    level=target.name,
                    date=move.invoice_date_due + timedelta(days=target.day_offset + delay),
                )
                if note:
                    bodies[move.id] = f"{bodies[move.id]} {note}"
            by_delay[delay].append(move.id)
        # the skipped events replace the deferred steps of the levels passed over
        self.env["collection.event"]._record(skipped_vals)
        for delay, ids in by_delay.items():
            moves.browse(ids).write(
                {
                    "collection_delay_days": delay,
                    "collection_hold_since": False,
                    "collection_paused_until": False,
                }
            )
        moves.browse(list(bodies))._message_log_batch(bodies=bodies)

    def _collection_log(self, body):
        """Log ``body`` on each invoice, and on each customer's collections file with the
        list of its invoices."""
        moves = self.sudo()
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
        Task = self.env["collection.task"]
        for company, company_moves in moves.grouped("company_id").items():
            self.env["collection.file"]._log(
                {
                    customer: Markup("<p>%s</p>%s") % (body, Task._invoice_list_html(invoices))
                    for customer, invoices in company_moves.grouped("commercial_partner_id").items()
                },
                company,
            )

    @api.depends("collection_advisor_id", "name", "partner_id")
    def _compute_collection_advisor_whatsapp_url(self):
        for move in self:
            advisor = move.collection_advisor_id
            if not advisor:
                move.collection_advisor_whatsapp_url = False
                continue
            text = move.with_context(lang=move.partner_id.lang or self.env.lang).env._(
                "Hello %(advisor)s, this is %(customer)s about invoice %(invoice)s.",
                advisor=advisor.first_name,
                customer=move.commercial_partner_id.name,
                invoice=move.name,
            )
            move.collection_advisor_whatsapp_url = advisor.whatsapp_link_with_text(text)

    def action_collection_open_customer(self):
        """Open the invoice's customer, on its Collections tab."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_collection_record_promise(self):
        """A new promise to pay covering these invoices (one customer's)."""
        return self.env["collection.promise"]._action_new(self)

    def action_collection_propose_plan(self):
        """A new payment plan covering these invoices (one customer's)."""
        return self.env["collection.payment.plan"]._action_new(self)

    def action_collection_open_dispute(self):
        """A new dispute on these invoices (one customer's)."""
        return self.env["collection.dispute"]._action_new(self)

    def action_collection_schedule_call(self):
        """Plan a call to the customer about this invoice, for the current user, today."""
        self.ensure_one()
        return self.env["collection.task"]._plan_call_today(
            self, self.env._("Call about %(invoice)s", invoice=self.name)
        )
