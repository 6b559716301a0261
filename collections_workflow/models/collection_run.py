# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta
from typing import NamedTuple
from uuid import uuid4

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command, Domain
from odoo.tools import SQL, split_every

from ..tools.channels import Delivery, merge

_logger = logging.getLogger(__name__)

BATCH_CUSTOMERS = 200
# the advisory lock that one run at a time holds while it ends the holds that are over
RESUME_LOCK_KEY = 20260412
# the day's receipts and instalment reminders: by one run at a time (see _run_notices_once)
NOTICES_LOCK_KEY = 20261203
# the advisory locks (this key, a customer's id) a worker holds on the customers of its
# batch until the batch commits
CUSTOMER_LOCK_KEY = 20260413
# the go-live day on which a manager chose to catch up (see collection.run.preview)
CATCH_UP_PARAM = "collections_workflow.catch_up_date"
# the scheduled jobs of the other dunning engines that remind customers by themselves:
# Odoo Enterprise's payment follow-ups (OCA's credit control has no job: it runs by hand)
OTHER_ENGINE_CRONS = ("account_followup.ir_cron_follow_up",)
# how the automatic run starts, the first time, with the invoices already late
GO_LIVE_CHOICES = [
    ("first_level", "Start at the first reminder"),
    ("catch_up", "Catch up today"),
]


class Plan(NamedTuple):
    """What the run does today for a batch of invoices (see ``collection.run._plan``)."""

    #: ``{(customer or invoice, level): invoices}``
    actions: dict
    #: ``[(invoice, level, note)]``: the levels passed over, and why
    skipped: list
    #: ``{invoice: schedule delay}``: the invoices that start over at an earlier level
    restarts: dict


class Step(NamedTuple):
    """What a level did for one record (a customer or an invoice) of the run."""

    #: no message of a level that writes to the customer went out
    failed: bool
    #: the note for the record's events: problems met, charges, merged messages
    note: str | bool
    #: what its messages did (None: its message went with another level's)
    delivery: Delivery | None


class CollectionRun(models.AbstractModel):
    """The daily run: acts on every invoice whose next level is due, once.

    It works customer by customer, in batches committed with ``ir.cron._commit_progress``
    when it runs as the scheduled job, so that a run cut short resumes where it stopped.
    Each (invoice, level) is recorded as a ``collection.event``, unique in the database.
    """

    _name = "collection.run"
    _description = "Collections Daily Run"

    @api.model
    def _cron_run(self):
        log = self.env["collection.run.log"].create({"automatic": True})
        # the log shows the run under way, and stays if the run is stopped by an error
        self.env["ir.cron"]._commit_progress()
        # a second cron worker, where the server has one free, shares the run
        worker = self._get_worker_cron()
        if worker.active:
            worker._trigger()
        self._run_logged(log)

    @api.model
    def _cron_run_worker(self):
        """The second worker's job: it shares the scheduled run under way, each worker
        taking its own batches of customers (see ``_run``); with no run under way, it
        has nothing to do."""
        main = self.env["collection.run.log"]._get_running_main()
        if not main:
            return
        log = self.env["collection.run.log"].create({"automatic": True, "main_log_id": main.id})
        self.env["ir.cron"]._commit_progress()
        self._run_logged(log)

    @api.model
    def _run_logged(self, log):
        try:
            self._run(commit=True, log=log)
        except Exception as error:
            # what the batches committed stays; the error goes on the log for the settings
            self.env.cr.rollback()
            self._log_error(log, error)
            raise

    @api.model
    def _log_error(self, log, error):
        with self.env.registry.cursor() as cr:
            log.with_env(log.env(cr=cr)).write(
                {"state": "error", "error": str(error), "end": fields.Datetime.now()}
            )

    @api.model
    def _action_run_now(self):
        """The "Run now" button of a collections manager: today's run, then its events."""
        if not self.env.user.has_group("collections_workflow.collections_workflow_group_manager"):
            raise AccessError(self.env._("Only a collections manager can run collections."))
        # the run acts across the whole portfolio and records events, which no user
        # writes by hand: it runs with the rights of the scheduled job
        log = self.env["collection.run.log"].sudo().create({"automatic": False})
        events = self.sudo()._run(log=log)
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.collection_event_action"
        )
        action["domain"] = [("id", "in", events.ids)]
        action["context"] = {}
        return action

    @api.model
    def _get_cron(self):
        # the job is technical data: its state is read and set for collections managers
        return self.env.ref("collections_workflow.ir_cron_collection_run").sudo()

    @api.model
    def _get_worker_cron(self):
        """The job of a second worker that shares the run (on and off with the run)."""
        worker = self.env.ref(
            "collections_workflow.ir_cron_collection_run_worker", raise_if_not_found=False
        )
        return (worker or self.env["ir.cron"]).sudo()

    @api.model
    def _is_automatic(self):
        return self._get_cron().active

    @api.model
    def _set_automatic(self, enabled):
        """Switch the scheduled daily run on or off (collections managers only).

        Switched on, it runs within the minute, then every hour.
        """
        if not self.env.user.has_group("collections_workflow.collections_workflow_group_manager"):
            raise AccessError(
                self.env._("Only a collections manager can switch the automatic run on or off.")
            )
        cron = self._get_cron()
        self._get_worker_cron().active = bool(enabled)
        if cron.active == bool(enabled):
            return
        cron.active = bool(enabled)
        if enabled:
            cron._trigger()

    @api.model
    def _get_due_domain(self, today, now=None):
        """Invoices whose next level is due ``today``; a hook for extra conditions.

        With ``now`` (a naive UTC datetime), leave out the steps deferred beyond it.
        """
        domain = Domain("collection_next_date", "<=", today) & Domain(
            "collection_status", "=", "active"
        )
        if now:
            domain &= Domain("collection_deferred_until", "=", False) | Domain(
                "collection_deferred_until", "<=", now
            )
        return domain

    @api.model
    def _run(
        self,
        today=None,
        batch_size=BATCH_CUSTOMERS,
        commit=False,
        max_batches=None,
        now=None,
        log=None,
    ):
        """Run the levels due ``today``; return the events created.

        :param commit: commit after each batch of customers (the scheduled job does);
        :param max_batches: stop after that many batches (tests, "run now" previews);
        :param now: the moment contact rules are read at (naive UTC; default: now);
        :param log: the ``collection.run.log`` that counts what the run does.

        A customer is selected once per run, whatever happens to it: a customer whose
        invoices yield nothing, or fail, is not selected again, so that the run always
        ends. One customer's failure never stops the others (see ``_process_isolated``).
        """
        today = today or fields.Date.context_today(self)
        now = now or fields.Datetime.now()
        # reuse the compiled mail templates for every record of this run (see ir.qweb)
        run = self.with_context(collections_qweb_cache=str(uuid4()))
        run._resume_holds_once(today)
        Move = run.env["account.move"]
        events = run._run_notices_once(today, now, batch_size)
        seen = []
        batches = 0
        while not max_batches or batches < max_batches:
            domain = run._get_due_domain(today, now)
            if seen:
                # a copy: the domain must not follow the list as it grows
                domain &= Domain("commercial_partner_id", "not in", list(seen))
            partners = [
                partner
                for (partner,) in Move._read_group(
                    domain, ["commercial_partner_id"], limit=batch_size
                )
            ]
            if not partners:
                break
            seen += [partner.id for partner in partners]
            if commit:
                run.env["ir.cron"]._commit_progress(remaining=Move.search_count(domain))
            # another worker holds the others: it acts on them, we leave them alone
            partners = run._take_customers(partners)
            moves = Move.search(
                domain & Domain("commercial_partner_id", "in", [p.id for p in partners])
            )
            # an invoice a user is changing (a payment being posted) waits for the next run
            locked = moves.try_lock_for_update()
            batch_events, failures = run._process_isolated(locked, today, now)
            events |= batch_events
            if log:
                log.sudo()._add_batch(batch_events, partners, failures)
            if batch_events.sudo().outbox_ids:
                run.env["collection.outbox"]._trigger_job()
            # a batch's records are not read again: memory stays that of one batch, in a
            # run that does not commit too (a commit clears the cache)
            run.env.invalidate_all()
            batches += 1
            if commit and run.env["ir.cron"]._commit_progress(len(moves)) <= 0:
                break
        if log:
            log.sudo().write({"state": "done", "end": fields.Datetime.now()})
        return events

    @api.model
    def _run_notices_once(self, today, now, batch_size=BATCH_CUSTOMERS):
        """The receipts and instalment reminders due, by one run at a time: a second
        worker started meanwhile leaves them to the first, and what a run sent is marked
        (a receipt's day, a reminder's event) before the next can take them again."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", NOTICES_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            return self.env["collection.event"]
        return self._run_receipts(today, now, batch_size) | self._run_instalments(today, now)

    @api.model
    def _run_receipts(self, today, now, batch_size=BATCH_CUSTOMERS):
        """Thank the customers whose reminded invoices were paid in full, on their
        strategy's receipt level: one message per customer and day, within the contact
        rules. Returns the events created.

        An invoice whose strategy thanks nobody is marked handled too: a receipt level
        added later thanks only what is paid from then on. A customer whose receipt
        fails is logged and left; the others are thanked.
        """
        Event = self.env["collection.event"]
        pending = self.env["account.move"].search([("collection_receipt_pending", "=", True)])
        silent = pending.filtered(lambda move: not move.collection_strategy_id.receipt_level_ids)
        silent.sudo().write({"collection_receipt_on": today})
        pending -= silent
        thanked = (
            Event.sudo()
            .search_fetch(
                [
                    ("partner_id", "in", pending.commercial_partner_id.ids),
                    ("date", "=", today),
                    ("state", "=", "done"),
                    ("level_id.trigger", "=", "receipt"),
                ],
                ["partner_id"],
            )
            .partner_id
        )
        pending = pending.filtered(lambda move: move.commercial_partner_id not in thanked)

        def give_up(customer_moves, error):
            # a courtesy: logged, and not tried again every hour
            _logger.warning(
                "collections: the receipt of customer %s failed: %s",
                customer_moves.commercial_partner_id.id,
                self._describe_error(error),
            )
            customer_moves.sudo().write({"collection_receipt_on": today})
            return Event

        events = Event
        for customers in split_every(batch_size, pending.commercial_partner_id.ids):
            moves = pending.filtered(
                lambda move, ids=customers: move.commercial_partner_id.id in ids
            )
            events |= self._isolate(
                moves, lambda batch: self._process_receipts(batch, today, now), give_up
            )
        return events

    @api.model
    def _process_receipts(self, moves, today, now):
        """The receipts of ``moves`` (paid invoices) that the contact rules let out now."""
        actions = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            level = move.collection_strategy_id.receipt_level_ids[:1]
            actions[move.commercial_partner_id, level] |= move
        events, by_level = self._process_notices(actions, today, now)
        for invoices_by_record in by_level.values():
            self._concat(invoices_by_record.values()).sudo().write({"collection_receipt_on": today})
        return events

    @api.model
    def _run_instalments(self, today, now):
        """Remind the instalments of running payment plans on their strategy's instalment
        levels (before or on each instalment's date), each reminder once per instalment,
        within the contact rules. Returns the events created."""
        Event = self.env["collection.event"]
        levels = self.env["collection.level"].search([("trigger", "=", "instalment")])
        if not levels:
            return Event
        horizon = today + timedelta(days=-min(levels.mapped("day_offset")))
        instalments = self.env["collection.payment.plan.instalment"].search(
            [("plan_id.state", "=", "open"), ("date", ">=", today), ("date", "<=", horizon)]
        )
        done = {
            (event.instalment_id.id, event.level_id.id)
            for event in Event.sudo().search_fetch(
                [("instalment_id", "in", instalments.ids), ("state", "!=", "deferred")],
                ["instalment_id", "level_id"],
            )
        }
        actions, reminded = {}, {}
        for instalment in instalments:
            plan = instalment.plan_id
            if instalment.state == "paid":
                continue
            due = [
                level
                for level in plan.invoice_ids.collection_strategy_id[:1].instalment_level_ids
                if instalment.date + timedelta(days=level.day_offset) <= today
                and (instalment.id, level.id) not in done
            ]
            key = due and (plan.partner_id, max(due, key=lambda level: level.day_offset))
            if key and key not in actions:
                # the plan's invoices it still holds (not those disputed or in court since)
                actions[key] = plan.invoice_ids.filtered(
                    lambda move: move.collection_status == "plan"
                )
                reminded[key] = instalment
        actions = {key: invoices for key, invoices in actions.items() if invoices}
        events = Event
        for customers in split_every(BATCH_CUSTOMERS, list({key[0] for key in actions})):
            batch = {key: invoices for key, invoices in actions.items() if key[0] in customers}
            try:
                with self.env.cr.savepoint():
                    events |= self._process_notices(batch, today, now, reminded)[0]
                    self._flush_batch()
            except Exception as error:  # one batch never stops the day's levels
                _logger.warning(
                    "collections: instalment reminders failed: %s", self._describe_error(error)
                )
        return events

    @api.model
    def _process_notices(self, actions, today, now, instalments=None):
        """Send the notices of ``actions`` (``{(customer, level): invoices}``: receipts,
        instalment reminders) that the contact rules let out now; ``instalments`` gives
        the instalment each reminder is about. Returns the events and what was sent
        (``{level: {customer: invoices}}``)."""
        instalments = instalments or {}
        speakers = self._get_speakers(actions)
        deferred = self.env["collection.contact.policy"]._get_deferrals(
            actions, speakers, today, pytz.utc.localize(now)
        )
        event_vals = self._prepare_deferred_vals(deferred, actions, today)
        by_level = self._group_by_level(actions, deferred)
        Run = self.with_context(
            collection_level_invoices=self._get_message_invoices(by_level),
            collection_instalments=tuple(
                (customer.id, instalment.id)
                for (customer, _level), instalment in instalments.items()
            ),
        )
        traces = defaultdict(list)
        for level, invoices_by_record in by_level.items():
            steps, lines = Run._act(level, invoices_by_record, today, speakers)
            event_vals += self._prepare_step_vals(level, invoices_by_record, steps, today)
            for target, line in lines:
                traces[target].append(line)
        self._write_traces(traces)
        about = {
            (customer.id, level.id): instalment.id
            for (customer, level), instalment in instalments.items()
        }
        for vals in event_vals:
            vals["instalment_id"] = about.get((vals["partner_id"], vals["level_id"]), False)
        return self.env["collection.event"]._record(event_vals).sudo(False), by_level

    @api.model
    def _take_customers(self, partners):
        """The customers of ``partners`` this worker takes: those no other worker holds,
        each held until this transaction ends. A customer is taken whole, so that its
        message per level and day stays one whichever worker sends it.

        Right after a commit, this is the transaction's first statement: its view of the
        database then includes whatever the worker that held a customer did with it.
        """
        if not partners:
            return partners
        self.env.cr.execute(
            SQL(
                "SELECT id FROM unnest(%s) AS id WHERE pg_try_advisory_xact_lock(%s, id)",
                [partner.id for partner in partners],
                CUSTOMER_LOCK_KEY,
            )
        )
        taken = {row[0] for row in self.env.cr.fetchall()}
        return [partner for partner in partners if partner.id in taken]

    @api.model
    def _process_isolated(self, moves, today, now):
        """``_process`` the batch; where it fails, customer by customer.

        The batch is tried whole first (the fast path: one rendering per template). If
        anything in it raises, it is rolled back and every customer is tried in its own
        savepoint; a customer that still fails gets its steps recorded as failed, with
        the error, and its advisor a task. Returns ``(events, [(customer, reason)])``.
        """
        failures = []

        def fail(customer_moves, error):
            reason = self._describe_error(error)
            customer = customer_moves.commercial_partner_id
            _logger.warning(
                "collections: customer %s (%s) failed: %s", customer.id, customer.name, reason
            )
            failures.append((customer, reason))
            return self._fail_customer(customer_moves, today, reason)

        events = self._isolate(moves, lambda batch: self._process(batch, today, now), fail)
        return events, failures

    @api.model
    def _isolate(self, moves, process, fail):
        """``process(moves)``, which returns events, in a savepoint; where it raises,
        customer by customer, each in its own savepoint, ``fail(customer_moves, error)``
        giving the events of a customer that still fails. Returns the events."""
        try:
            with self.env.cr.savepoint():
                events = process(moves)
                self._flush_batch()
            return events
        except Exception:  # found below, customer by customer
            _logger.info("collections: a batch failed, retried customer by customer")
        events = self.env["collection.event"]
        for customer_moves in moves.grouped("commercial_partner_id").values():
            try:
                with self.env.cr.savepoint():
                    customer_events = process(customer_moves)
                    self._flush_batch()
                # only once its savepoint stands: a customer that failed made none
                events |= customer_events
            except Exception as error:  # one customer never stops the others
                events |= fail(customer_moves, error)
        return events

    @api.model
    def _flush_batch(self):
        # the invoices' collection state follows from the new events; none of it is
        # tracked, so spare the chatter's tracking its look at every invoice field
        self.with_context(mail_notrack=True).env.flush_all()

    @api.model
    def _describe_error(self, error):
        return f"{type(error).__name__}: {error}"

    @api.model
    def _fail_customer(self, moves, today, reason):
        """Record the steps due for ``moves`` as failed with ``reason``; the advisor gets
        a task. Returns the events (none if even that cannot be written)."""
        note = self.env._("Not done: %(reason)s", reason=reason)
        try:
            with self.env.cr.savepoint():
                moves.invalidate_recordset()
                actions, skipped, restarts = self._plan(moves, today)
                self._write_restarts(restarts)
                pairs = [
                    (move, level) for (_record, level), invs in actions.items() for move in invs
                ]
                events = self.env["collection.event"]._record(
                    [
                        self._prepare_event_vals(move, level, today, state="failed", note=note)
                        for move, level in pairs
                    ]
                    + self._prepare_skipped_vals(skipped, today)
                )
                self.env["collection.task"]._schedule_failure_tasks(
                    events.filtered(lambda event: event.state == "failed"), note
                )
                self._flush_batch()
            return events.sudo(False)
        except Exception:  # logged; the customer is not selected again today
            _logger.exception(
                "collections: the failure of customer %s could not be recorded",
                moves.commercial_partner_id.ids,
            )
            return self.env["collection.event"]

    @api.model
    def _resume_holds_once(self, today):
        """``_resume_holds``, by one run at a time: a second run started meanwhile leaves
        it to the first (both would follow the same records and tasks)."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", RESUME_LOCK_KEY))
        if self.env.cr.fetchone()[0]:
            self._resume_holds(today)

    @api.model
    def _resume_holds(self, today):
        """Before the day's levels: end what held invoices and is over by ``today``.

        Pauses that reach their date end; promises past their grace period close (kept,
        partly kept or broken); payment plans with an instalment missed past it break;
        disputes open for too long alert their supervisor. Then
        every invoice that a hold released resumes its strategy at its next level.
        """
        Move = self.env["account.move"]
        Move.search([("collection_paused_until", "<=", today)]).write(
            {"collection_paused_until": False}
        )
        self.env["collection.promise"]._close_expired(today)
        self.env["collection.payment.plan"]._break_missed(today)
        self.env["collection.dispute"]._alert_supervisors(today)
        Move.search(
            [("collection_hold_since", "!=", False), ("collection_status", "=", "active")]
        )._collection_resume(today)

    @api.model
    def _send_now(self, moves, today=None):
        """Act on the next level of ``moves`` today, even before its day (an advisor's
        "send now"); the contact rules still apply. Returns the events created."""
        today = today or fields.Date.context_today(self)
        run = self.with_context(collections_qweb_cache=str(uuid4()))
        events = run._process(moves, today, forced=True)
        if events.sudo().outbox_ids:
            self.env["collection.outbox"]._trigger_job()
        return events

    @api.model
    def _plan(self, moves, today, forced=False):
        """What to do today: a ``Plan``.

        ``actions`` maps (record, level) to invoices, the record being the customer for a
        level that groups invoices and the invoice otherwise; ``skipped`` lists the
        (invoice, level, note) passed over; ``restarts`` gives the new schedule delay of
        the invoices that start over at an earlier level. With ``forced``, an invoice
        whose next level is not due yet gets it today.

        Escalation never skips contact: a level that requires earlier contact acts only
        once the invoice (or its customer, for a level per customer) got a message from
        an earlier level; otherwise the invoice starts at ``_get_first_contact_level``,
        that level acting today and the later ones keeping their spacing from today.
        """
        # a deferred step is still to take
        done = {
            (event.invoice_id.id, event.level_id.id)
            for event in self.env["collection.event"].search_fetch(
                [("invoice_id", "in", moves.ids), ("state", "!=", "deferred")],
                ["invoice_id", "level_id"],
            )
        }
        # on the go-live day a manager may choose to catch up: the highest level due acts
        catch_up = self.env.context.get("collection_catch_up") or self._is_catch_up_day(today)
        contacts = None  # read once, and only when a level asks for it
        actions = defaultdict(lambda: self.env["account.move"])
        skipped, restarts = [], {}
        later_note = self.env._("A later level was already due.")
        past_due_note = self.env._(
            "Not sent: the invoice is past its due date, and this level's message is for before it."
        )
        for move in moves:
            upcoming = move._get_collection_levels_after(move.collection_last_level_id)
            due = [level for level in upcoming if move._get_collection_level_date(level) <= today]
            if not due and forced:
                due = list(upcoming[:1])
            if not due:
                continue
            level = due[-1]
            if level.requires_contact and not catch_up:
                if contacts is None:
                    contacts = self._get_contacts(moves)
                first = self._get_restart_level(move, level, due, today, contacts)
                if first:
                    note = self.env._(
                        "Starts at level %(first)s: level %(level)s needs an earlier "
                        "message, and the customer got none.",
                        first=first.name,
                        level=level.name,
                    )
                    skipped += [
                        (move, other, note)
                        for other in due
                        if other.day_offset < first.day_offset and (move.id, other.id) not in done
                    ]
                    late = (today - move.invoice_date_due).days
                    restarts[move] = max(late - first.day_offset, move.collection_delay_days)
                    due, level = [], first
            skipped += [
                (move, other, later_note) for other in due[:-1] if (move.id, other.id) not in done
            ]
            if level.day_offset <= 0 and today > move.invoice_date_due:
                # its words are for an invoice not late yet (a step deferred past the due
                # date, an invoice found late): passed over, the next level on its day
                if (move.id, level.id) not in done:
                    skipped.append((move, level, past_due_note))
                continue
            if (move.id, level.id) in done:
                continue  # acted on already, by a run that stopped before recording it
            record = move.commercial_partner_id if level._is_per_customer() else move
            actions[record, level] |= move
        return Plan(actions, skipped, restarts)

    @api.model
    def _get_other_engines(self):
        """The other dunning engines that remind customers by themselves here: their
        scheduled jobs, switched on (two engines would remind the same customers)."""
        crons = self.env["ir.cron"].sudo()
        for xmlid in OTHER_ENGINE_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron and cron._name == "ir.cron" and cron.sudo().active:
                crons |= cron
        return crons

    @api.model
    def _hand_over_from_other_engines(self):
        """Switch the other engines' jobs off: collections reminds alone (managers only)."""
        if not self.env.user.has_group("collections_workflow.collections_workflow_group_manager"):
            raise AccessError(
                self.env._("Only a collections manager can switch another engine's job off.")
            )
        crons = self._get_other_engines()
        crons.write({"active": False})
        return crons

    @api.model
    def _describe_other_engines(self):
        crons = self._get_other_engines()
        if not crons:
            return False
        return self.env._(
            "Another engine reminds customers by itself: %(jobs)s. Both would remind the same "
            "customers; hand the job over to Collections, or keep the automatic run off.",
            jobs=", ".join(crons.mapped("cron_name")),
        )

    @api.model
    def _is_first_go_live(self):
        """Whether switching the automatic run on would be the go-live: it is off, and
        has never acted."""
        return not self._is_automatic() and not self.env["collection.run.log"].sudo().search_count(
            [("automatic", "=", True)], limit=1
        )

    @api.model
    def _go_live(self, choice, today=None):
        """Switch the automatic run on; the first time, as ``choice`` says (see
        ``collection.run.preview.go_live``): ``catch_up`` lets today's run act at each
        invoice's highest level due, letters and hand-overs included."""
        if self._is_first_go_live():
            today = today or fields.Date.context_today(self)
            self._set_catch_up_day(today if choice == "catch_up" else False)
        self._set_automatic(True)

    @api.model
    def _is_catch_up_day(self, today):
        """Whether ``today`` is the go-live day on which a manager chose to catch up."""
        day = self.env["ir.config_parameter"].sudo().get_param(CATCH_UP_PARAM)
        return day == fields.Date.to_string(today)

    @api.model
    def _set_catch_up_day(self, day):
        self.env["ir.config_parameter"].sudo().set_param(
            CATCH_UP_PARAM, fields.Date.to_string(day) if day else False
        )

    @api.model
    def _get_contacts(self, moves):
        """``{invoice or customer: [level, ...]}``: the message levels that reached each
        invoice of ``moves``, and each of their customers through any invoice."""
        contacts = defaultdict(list)
        for event in self.env["collection.event"].search_fetch(
            [
                ("partner_id", "in", moves.commercial_partner_id.ids),
                ("state", "=", "done"),
            ],
            ["invoice_id", "partner_id", "level_id"],
        ):
            if event.level_id._sends_messages():
                contacts[event.invoice_id].append(event.level_id)
                contacts[event.partner_id].append(event.level_id)
        return contacts

    @api.model
    def _get_restart_level(self, move, level, due, today, contacts):
        """The level ``move`` starts over at instead of ``level``, which requires earlier
        contact: none where ``move`` (or its customer, for a level per customer) got a
        message from a level before ``level``, else ``_get_first_contact_level``."""
        record = move.commercial_partner_id if level._is_per_customer() else move
        if any(other.day_offset < level.day_offset for other in contacts.get(record, [])):
            return None
        first = self._get_first_contact_level(move, due, today)
        return first if first != level else None

    @api.model
    def _get_first_contact_level(self, move, due, today):
        """The level a never-contacted invoice starts at, among the ``due`` ones: the
        first that writes to the customer and needs no earlier contact, after the due
        date when the invoice is overdue (its words then fit the invoice's situation);
        failing that, the last due level that needs no earlier contact."""
        free = [level for level in due if not level.requires_contact]
        writing = [level for level in free if level._sends_messages()]
        if (today - move.invoice_date_due).days > 0:
            writing = [level for level in writing if level.day_offset > 0] or writing
        return (writing[:1] or free[-1:] or [None])[0]

    @api.model
    def _process(self, moves, today, now=None, forced=False):
        """Re-check, then act on one batch of invoices; return the events created.

        ``now`` (naive UTC, default: now) is the moment the contact rules are read at;
        ``forced``: act on the next level even before its day (see ``_send_now``).
        The phases, each returning what the next one needs: select, plan, contact rules,
        deliver, record.
        """
        now = pytz.utc.localize(now or fields.Datetime.now())
        moves = self._select_actionable(moves, today, forced)
        actions, skipped, restarts = self._plan(moves, today, forced=forced)
        speakers = self._get_speakers(actions)
        deferred = self.env["collection.contact.policy"]._get_deferrals(
            actions, speakers, today, now
        )
        # messages to a customer link each of its open invoices, not only the due ones
        self._ensure_access_tokens(moves | moves.commercial_partner_id.collection_open_invoice_ids)
        event_vals = self._prepare_skipped_vals(skipped, today) + self._prepare_deferred_vals(
            deferred, actions, today
        )
        traces = defaultdict(list)
        by_level = self._group_by_level(actions, deferred)
        Run = self.with_context(collection_level_invoices=self._get_message_invoices(by_level))
        for level, invoices_by_record in by_level.items():
            steps, lines = Run._act(level, invoices_by_record, today, speakers)
            event_vals += self._prepare_step_vals(level, invoices_by_record, steps, today)
            for target, line in lines:
                traces[target].append(line)
        self._write_traces(traces)
        self._write_restarts(restarts)
        events = self.env["collection.event"]._record(event_vals)
        self._queue_letters(events.filtered("letter_html"))
        return events.sudo(False)

    @api.model
    def _select_actionable(self, moves, today, forced=False):
        """The invoices of ``moves`` still to act on: payments, promises or disputes may
        have landed since they were selected, so they are read afresh."""
        moves.invalidate_recordset()
        return moves.filtered(
            lambda move: move._get_collection_status() == "active"
            and move.collection_next_date
            and (forced or move.collection_next_date <= today)
        )

    @api.model
    def _group_by_level(self, actions, deferred):
        """``{level: {record: invoices}}`` of the actions that do not wait."""
        by_level = defaultdict(dict)
        for (record, level), invoices in actions.items():
            if (record, level) not in deferred:
                by_level[level][record] = invoices
        return by_level

    @api.model
    def _get_message_invoices(self, by_level):
        """``((customer id, invoice ids), ...)``: the invoices a message per customer lists.

        Those of every level per customer that acts for the customer in the batch: its
        messages are one (see ``_get_speakers``). Read by the templates through the
        customer's ``collection_level_invoice_ids``.
        """
        invoices = defaultdict(list)
        for level, invoices_by_record in by_level.items():
            if level._is_per_customer():
                for record, record_invoices in invoices_by_record.items():
                    invoices[record.id] += record_invoices.ids
        return tuple((customer_id, tuple(ids)) for customer_id, ids in invoices.items())

    @api.model
    def _prepare_deferred_vals(self, deferred, actions, today):
        """The events of the steps that wait for the contact rules, until when and why."""
        return [
            dict(
                self._prepare_event_vals(move, key[1], today, state="deferred", note=reason),
                scheduled_at=moment.replace(tzinfo=None),
            )
            for key, (moment, reason) in deferred.items()
            for move in actions[key]
        ]

    @api.model
    def _prepare_step_vals(self, level, invoices_by_record, steps, today):
        """The events of what ``level`` did (``steps``, from ``_act``) for its records."""
        vals_list = []
        for record, invoices in invoices_by_record.items():
            step = steps[record]
            for index, move in enumerate(invoices):
                vals = self._prepare_event_vals(
                    move,
                    level,
                    today,
                    state="failed" if step.failed else "done",
                    note=step.note,
                )
                if index == 0 and step.delivery:
                    # the event of the record's first invoice stands for its messages
                    delivery = step.delivery
                    vals.update({f"sent_{channel}": True for channel in delivery.sent})
                    vals["letter_html"] = delivery.letter or False
                    vals["called"] = delivery.called
                    vals["tracking_key"] = delivery.sent and delivery.tracking_key or False
                    vals["sms_id"] = delivery.sms.id if delivery.sms else False
                    vals["outbox_ids"] = [
                        Command.create({"kind": kind, "mail_id": mail.id if mail else False})
                        for kind, mail in delivery.outbox
                    ]
                vals_list.append(vals)
        return vals_list

    @api.model
    def _queue_letters(self, events):
        """Each letter's PDF is rendered by the outbox, after the run's commit, and kept on
        its event, ready to print (tests get the HTML and no attachment, as for every Odoo
        report; without wkhtmltopdf, Print > Letter renders them later)."""
        if events and self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            self.env["collection.outbox"].sudo().create(
                [{"event_id": event.id, "kind": "letter"} for event in events]
            )

    @api.model
    def _get_speakers(self, actions):
        """The level whose messages speak for each customer today.

        A customer reached by several of its grouped levels on the same day gets one
        message, from the furthest of them: its messages list all the customer's open
        invoices anyway. Tasks, server actions and hand-overs still run level by level.
        """
        speakers = {}
        for record, level in actions:
            if record._name != "res.partner" or not level._sends_messages():
                continue
            current = speakers.get(record)
            if not current or level.day_offset > current.day_offset:
                speakers[record] = level
        return speakers

    @api.model
    def _ensure_access_tokens(self, moves):
        """Give the invoices their portal access token, which messages link to, at once.

        ``get_portal_url`` would otherwise write each token through ``account.move.write``,
        which re-synchronises the invoice's lines: by far the dearest part of a reminder.
        """
        missing = moves.filtered(lambda move: not move.access_token)
        if not missing:
            return
        missing.flush_recordset(["access_token"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = token.value "
                "FROM (VALUES %s) AS token(id, value) WHERE account_move.id = token.id",
                SQL(", ").join(SQL("(%s, %s)", move.id, str(uuid4())) for move in missing),
            )
        )
        missing.invalidate_recordset(["access_token"])

    @api.model
    def _write_restarts(self, restarts):
        """The invoices that start over at an earlier level: their later levels keep their
        spacing from today, through the schedule delay."""
        by_delay = defaultdict(lambda: self.env["account.move"])
        for move, delay in restarts.items():
            by_delay[delay] |= move
        for delay, moves in by_delay.items():
            moves.sudo().write({"collection_delay_days": delay})

    @api.model
    def _prepare_skipped_vals(self, skipped, today):
        """The events of the (invoice, level, note) passed over."""
        return [
            self._prepare_event_vals(move, level, today, state="skipped", note=note)
            for move, level, note in skipped
        ]

    @api.model
    def _prepare_event_vals(self, move, level, today, state="done", note=False):
        vals = {
            "invoice_id": move.id,
            "partner_id": move.commercial_partner_id.id,
            "level_id": level.id,
            "strategy_id": level.strategy_id.id,
            "company_id": move.company_id.id,
            "advisor_id": move.collection_advisor_id.id,
            "supervisor_id": move.collection_supervisor_id.id,
            "date": today,
            "state": state,
            "channels": ", ".join(level._get_channel_labels()),
            "note": note,
        }
        if state != "skipped":
            # what the customer was asked for: a level passed over asked nothing
            vals.update(amount_residual=move.amount_residual, currency_id=move.currency_id.id)
        return vals

    # ------------------------------------------------------------------ actions
    @api.model
    def _act(self, level, invoices_by_record, today, speakers):
        """Do what ``level`` says, for all its records of the batch at once.

        ``invoices_by_record`` maps each record (a customer or an invoice) to its invoices;
        ``speakers`` gives the level whose messages speak for a customer today (see
        ``_get_speakers``). Returns ``(steps, lines)``: a ``Step`` per record (whether it
        failed, the note for its events, what its messages did), and the chatter lines of
        what the level did (see ``_trace``).
        """
        records = self._concat(invoices_by_record)
        invoices = self._concat(invoices_by_record.values())
        merged = {
            record: speakers[record] for record in records if speakers.get(record, level) != level
        }
        speaking = records.filtered(lambda record: record not in merged)
        company = level.company_id
        # each record's messages of the level share a random key: their pixel and links
        keys = (
            {record.id: uuid4().hex for record in speaking}
            if company.collection_tracking and level._sends_messages()
            else {}
        )
        Channel = self.env["collection.channel"].with_context(collection_tracking_keys=keys)
        Task = self.env["collection.task"]
        delivered = merge(
            *(
                # in the run's context: the templates read the invoices of the messages
                getattr(Channel, f"_deliver_{channel.code}")(
                    level.with_env(self.env), speaking.with_env(self.env), company
                )
                for channel in (level._get_channels() if speaking else [])
            )
        )
        automatic_whatsapp = company.collection_whatsapp_mode == "automatic"
        # assisted WhatsApp: the advisor sends it, from a task
        assisted = speaking if level.use_whatsapp and not automatic_whatsapp else records.browse()
        delivered = merge(
            delivered, Task._schedule_tasks(level, invoices_by_record, today, assisted)
        )
        deliveries = {
            record: delivered.get(record, Delivery()) + Delivery(tracking_key=keys.get(record.id))
            for record in speaking
        }
        # a level that writes to the customer failed where no message could go out: the
        # advisor gets a task to reach the customer another way
        failed = {
            record: delivery
            for record, delivery in deliveries.items()
            if level._sends_messages() and not delivery.sent
        }
        # a thank-you that could not go out needs no call
        fallback = failed if level.trigger == "due" else {}
        deliveries = merge(
            deliveries, Task._schedule_fallback_tasks(level, invoices_by_record, today, fallback)
        )
        if level.server_action_id:
            level.server_action_id.with_context(
                active_model="account.move",
                active_ids=invoices.ids,
                active_id=invoices[:1].id,
            ).run()
        if level.handover:
            invoices.write({"collection_handover_partner_id": level.handover_partner_id.id})
        if level.handover and level.legal_stop:
            self._stop_for_legal_proceedings(level, invoices, today)
        charge_notes = {}
        if level.charge_type != "none":
            Charge = self.env["collection.charge"]
            charges, refusals = Charge._create_charges(level, invoices, today)
            charge_notes = Charge._get_charge_notes(invoices_by_record, charges, refusals)
        steps = {}
        for record in records:
            delivery = deliveries.get(record)
            merged_note = merged.get(record) and self.env._(
                "Sent with the message of level %(level)s.", level=merged[record].name
            )
            problems = delivery.problems if delivery else []
            note = "\n".join(filter(None, [merged_note, *problems, charge_notes.get(record)]))
            steps[record] = Step(record in failed, note or False, delivery)
        return steps, self._trace(level, invoices_by_record, steps)

    @api.model
    def _stop_for_legal_proceedings(self, level, invoices, today):
        """The hand-over level that starts legal proceedings stops the extrajudicial
        collection of its customers: none of their invoices gets a message any more."""
        customers = invoices.commercial_partner_id.with_company(level.company_id)
        customers.filtered(lambda customer: not customer.collection_legal_status).write(
            {"collection_legal_status": level.legal_stop, "collection_legal_since": today}
        )

    @api.model
    def _trace(self, level, invoices_by_record, steps):
        """What ``level`` did that the chatter does not show already: a list of
        ``(customer or invoice, (line, invoices))``.

        A message or a task on a record is its own trace there, and an invoice reminded
        through its customer finds the message in its collection history (its events):
        one chatter message per customer and level. A customer reminded invoice by
        invoice, a server action, a hand-over or a message that could not go out leave a
        line.
        """
        channels = ", ".join(level._get_channel_labels()) or "-"
        per_customer = level._is_per_customer()
        shows_itself = level._sends_messages() or level.use_call or level.activity_type_id
        silent_actions = level.server_action_id or level.handover
        lines = []
        for record, record_invoices in invoices_by_record.items():
            step = steps[record]
            line = self.env._(
                "Collections: level %(level)s (%(channels)s).",
                level=level.name,
                channels=channels,
            )
            notices = step.delivery.notices if step.delivery else []
            if step.failed:
                line = Markup("%s %s") % (line, step.note or "")
            elif notices:
                line = Markup("%s %s") % (line, " ".join(notices))
            told = step.failed or bool(notices)
            if not per_customer or silent_actions or not shows_itself or told:
                lines.append((record_invoices.commercial_partner_id, (line, record_invoices)))
            if silent_actions or not shows_itself or step.failed:
                lines += [(move, (line, move)) for move in record_invoices]
        return lines

    @api.model
    def _concat(self, recordsets):
        recordsets = list(recordsets)
        return recordsets[0].concat(*recordsets[1:]) if recordsets else self.env["account.move"]

    @api.model
    def _write_traces(self, traces):
        """Leave the trace of the batch on each invoice and customer's file: one query per
        model and company.

        An invoice's line names its own amount due; a customer's lists its invoices.
        """
        by_company = defaultdict(dict)
        for record, lines in traces.items():
            body = Markup("")
            for line, invoices in lines:
                if invoices == record:
                    body += Markup("<p>%s %s</p>") % (
                        line,
                        self.env._(
                            "Amount due: %(amount)s.",
                            amount=record.currency_id.format(record.amount_residual),
                        ),
                    )
                else:
                    body += Markup("<p>%s</p>%s") % (
                        line,
                        self.env["collection.task"]._invoice_list_html(invoices),
                    )
            # a customer's lines go on its collections file in the invoices' company
            by_company[lines[0][1].company_id[:1]][record] = body
        for company, bodies in by_company.items():
            self.env["collection.file"]._log(bodies, company)
