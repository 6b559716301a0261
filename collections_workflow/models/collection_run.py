# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import contact_links

BATCH_CUSTOMERS = 200


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
        self._run(commit=True)

    @api.model
    def _action_run_now(self):
        """The "Run now" button of a collections manager: today's run, then its events."""
        if not self.env.user.has_group("collections_workflow.collections_workflow_group_manager"):
            raise AccessError(self.env._("Only a collections manager can run collections."))
        # the run acts across the whole portfolio and records events, which no user
        # writes by hand: it runs with the rights of the scheduled job
        events = self.sudo()._run()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.collection_event_action"
        )
        action["domain"] = [("id", "in", events.ids)]
        action["context"] = {}
        return action

    @api.model
    def _get_due_domain(self, today):
        """Invoices whose next level is due ``today``; a hook for extra conditions."""
        return Domain("collection_next_date", "<=", today) & Domain(
            "collection_status", "=", "active"
        )

    @api.model
    def _run(self, today=None, batch_size=BATCH_CUSTOMERS, commit=False, max_batches=None):
        """Run the levels due ``today``; return the events created.

        :param commit: commit after each batch of customers (the scheduled job does);
        :param max_batches: stop after that many batches (tests, "run now" previews).
        """
        today = today or fields.Date.context_today(self)
        Move = self.env["account.move"]
        events = self.env["collection.event"]
        locked_elsewhere = []
        batches = 0
        while not max_batches or batches < max_batches:
            domain = self._get_due_domain(today)
            if locked_elsewhere:
                domain &= Domain("id", "not in", locked_elsewhere)
            partners = [
                partner
                for (partner,) in Move._read_group(
                    domain, ["commercial_partner_id"], limit=batch_size
                )
            ]
            if not partners:
                break
            moves = Move.search(
                domain & Domain("commercial_partner_id", "in", [p.id for p in partners])
            )
            if commit:
                self.env["ir.cron"]._commit_progress(remaining=Move.search_count(domain))
            locked = moves.try_lock_for_update()
            # another worker holds these: it acts on them, we leave them alone
            locked_elsewhere += (moves - locked).ids
            events |= self._process(locked, today)
            batches += 1
            if commit and self.env["ir.cron"]._commit_progress(len(moves)) <= 0:
                break
        return events

    @api.model
    def _plan(self, moves, today):
        """What to do today: ``(actions, skipped, advance)``.

        ``actions`` maps (record, level) to invoices, the record being the customer for a
        level that groups invoices and the invoice otherwise; ``skipped`` lists the
        (invoice, level) pairs passed over because a later level is already due;
        ``advance`` maps a level to the invoices whose last level becomes that level.
        """
        done = {
            (event.invoice_id.id, event.level_id.id)
            for event in self.env["collection.event"].search_fetch(
                [("invoice_id", "in", moves.ids)], ["invoice_id", "level_id"]
            )
        }
        actions = defaultdict(lambda: self.env["account.move"])
        advance = defaultdict(lambda: self.env["account.move"])
        skipped = []
        for move in moves:
            due = [
                level
                for level in move._get_collection_levels_after(move.collection_last_level_id)
                if move.invoice_date_due + timedelta(days=level.day_offset) <= today
            ]
            if not due:
                continue
            *passed, level = due
            skipped += [(move, other) for other in passed if (move.id, other.id) not in done]
            advance[level] |= move
            if (move.id, level.id) in done:
                continue  # acted on already, by a run that stopped before recording it
            record = move.commercial_partner_id if level._is_per_customer() else move
            actions[record, level] |= move
        return actions, skipped, advance

    @api.model
    def _process(self, moves, today):
        """Re-check, then act on one batch of invoices; return the events created."""
        # payments may have landed since the invoices were selected: read them afresh
        moves.invalidate_recordset()
        moves = moves.filtered(
            lambda move: move._get_collection_status() == "active"
            and move.collection_next_date
            and move.collection_next_date <= today
        )
        actions, skipped, advance = self._plan(moves, today)
        event_vals = [
            self._prepare_event_vals(
                move,
                level,
                today,
                state="skipped",
                note=self.env._("A later level was already due."),
            )
            for move, level in skipped
        ]
        for (record, level), invoices in actions.items():
            note = self._act(record, level, invoices, today)
            event_vals += [
                self._prepare_event_vals(move, level, today, note=note) for move in invoices
            ]
        for level, invoices in advance.items():
            invoices.write({"collection_last_level_id": level.id, "collection_last_date": today})
        # events are the run's own record, which no user creates: written as superuser
        return self.env["collection.event"].sudo().create(event_vals).sudo(False)

    @api.model
    def _prepare_event_vals(self, move, level, today, state="done", note=False):
        return {
            "invoice_id": move.id,
            "partner_id": move.commercial_partner_id.id,
            "level_id": level.id,
            "advisor_id": move.collection_advisor_id.id,
            "supervisor_id": move.collection_supervisor_id.id,
            "date": today,
            "state": state,
            "channels": ", ".join(level._get_channel_labels()),
            "amount_residual": move.amount_residual,
            "currency_id": move.currency_id.id,
            "note": note,
        }

    # ------------------------------------------------------------------ actions
    @api.model
    def _act(self, record, level, invoices, today):
        """Do what ``level`` says for ``invoices``; return a note for their events."""
        customer = invoices.commercial_partner_id
        notes = []
        quiet = record.with_context(mail_notify_force_send=False)
        for use, template_field in (
            ("use_email", "email_template_id"),
            ("use_statement", "statement_template_id"),
        ):
            if level[use]:
                quiet.message_post_with_source(
                    level[template_field],
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        if level.use_sms:
            quiet._message_sms_schedule_mass(template=level.sms_template_id)
        if level.use_letter:
            self._keep_letter(record, level)
        if level.use_whatsapp:
            notes.append(self._schedule_whatsapp(record, level, invoices, today))
        if level.use_call:
            notes.append(
                self._schedule_activity(
                    record,
                    level,
                    invoices,
                    today,
                    self.env.ref("mail.mail_activity_data_call"),
                    "advisor",
                )
            )
        if level.activity_type_id:
            notes.append(
                self._schedule_activity(
                    record, level, invoices, today, level.activity_type_id, level.activity_assignee
                )
            )
        if level.server_action_id:
            level.server_action_id.with_context(
                active_model="account.move",
                active_ids=invoices.ids,
                active_id=invoices[:1].id,
            ).run()
        if level.handover:
            invoices.write({"collection_handover_partner_id": level.handover_partner_id.id})
        self._log(customer, level, invoices)
        return "\n".join(note for note in notes if note) or False

    @api.model
    def _get_assignee(self, invoices, assignee, level):
        advisor = invoices[:1].collection_advisor_id
        users = {
            "advisor": advisor.user_id or advisor.supervisor_id.user_id,
            "supervisor": advisor.supervisor_id.user_id,
            "user": level.activity_user_id,
        }
        return users.get(assignee) or level.activity_user_id

    @api.model
    def _schedule_activity(self, record, level, invoices, today, activity_type, assignee):
        user = self._get_assignee(invoices, assignee, level)
        summary = level.activity_summary or level.name
        if not user:
            return self.env._(
                "No user to give the task %(task)s to: link a user to the advisor.",
                task=summary,
            )
        record.activity_schedule(
            activity_type_id=activity_type.id,
            summary=summary,
            date_deadline=today + timedelta(days=level.activity_deadline_days),
            user_id=user.id,
            note=self._invoice_list_html(invoices),
        )
        return False

    @api.model
    def _schedule_whatsapp(self, record, level, invoices, today):
        """Assisted WhatsApp: a task for the advisor with the one-click, prefilled chat."""
        user = self._get_assignee(invoices, "advisor", level)
        customer = invoices.commercial_partner_id
        text = level.whatsapp_template_id._render_field("body", record.ids, compute_lang=True)[
            record.id
        ]
        number = customer._phone_format(fname="phone") or customer.phone
        if not number or not user:
            return self.env._(
                "WhatsApp message not prepared for %(customer)s: no usable phone number or "
                "no user for the advisor.",
                customer=customer.display_name,
            )
        link = contact_links.whatsapp_link(number, text)
        record.activity_schedule(
            activity_type_id=self.env.ref("mail.mail_activity_data_todo").id,
            summary=self.env._("WhatsApp: %(level)s", level=level.name),
            date_deadline=today,
            user_id=user.id,
            note=Markup('<p><a href="%s" target="_blank">%s</a></p><p>%s</p>')
            % (link, self.env._("Open the chat with the message ready"), text),
        )
        return False

    @api.model
    def _keep_letter(self, record, level):
        """Keep the letter on the record's chatter, to print and post."""
        body = level.letter_template_id._render_field("body_html", record.ids, compute_lang=True)[
            record.id
        ]
        record._message_log(body=body)

    @api.model
    def _invoice_list_html(self, invoices):
        items = Markup("").join(
            Markup("<li>%s: %s</li>")
            % (
                move.name,
                move.currency_id.format(move.amount_residual),
            )
            for move in invoices
        )
        return Markup("<ul>%s</ul>") % items

    @api.model
    def _log(self, customer, level, invoices):
        """Leave the trace on the customer and on each invoice."""
        body = Markup("<p>%s</p>%s") % (
            self.env._(
                "Collections: level %(level)s (%(channels)s).",
                level=level.name,
                channels=", ".join(level._get_channel_labels()) or "-",
            ),
            self._invoice_list_html(invoices),
        )
        customer._message_log(body=body)
        invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
