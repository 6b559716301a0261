# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ..tools import contact_links
from ..tools.channels import Delivery


class CollectionTask(models.AbstractModel):
    """The tasks a level gives the team: the advisor's call, the level's own task, the
    assisted WhatsApp message, and the advisor's task when no message reached a customer.

    Each method works on one level's records of a batch at once and creates the
    activities in one ``create``.
    """

    _name = "collection.task"
    _description = "Collections Tasks"

    @api.model
    def _plan_call_today(self, record, summary):
        """A call on ``record`` (an invoice or a customer) for the current user, today.

        Whoever may read the record may plan it: planning a call is collections work, not
        an edit of the invoice or the customer.
        """
        record.ensure_one()
        record.check_access("read")
        if record._name == "res.partner":
            # a customer's collections tasks are on its collections file
            record = self.env["collection.file"]._get_files(record)[record]
        call = self.env.ref("mail.mail_activity_data_call")
        planned = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("activity_type_id", "=", call.id),
                    ("user_id", "=", self.env.user.id),
                ],
                order="date_deadline",
                limit=1,
            )
        )
        if planned:
            message = self.env._(
                "A call about %(record)s is already planned for you on %(date)s.",
                record=record.display_name,
                date=format_date(self.env, planned.date_deadline),
            )
        else:
            record.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                user_id=self.env.user.id,
            )
            message = self.env._("Call planned for today: %(summary)s", summary=summary)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info" if planned else "success"},
        }

    @api.model
    def _schedule_tasks(self, level, invoices_by_record, today, assisted):
        """Create the level's tasks in one batch; return ``{record: Delivery}``: the
        assisted WhatsApp messages handed to the advisor, and the tasks left undone.

        ``assisted`` are the records whose WhatsApp message the advisor sends from a task.
        A hand-over is one file per customer: its tasks go one per customer, on the
        customer, listing the invoices.
        """
        activity_vals = []
        problems = defaultdict(list)
        sent = set()
        for record in assisted:
            vals, note = self._prepare_whatsapp_task(
                record, level, invoices_by_record[record], today
            )
            if vals:
                activity_vals.append(vals)
                sent.add(record)
            if note:
                problems[record].append(note)
        call = self.env.ref("mail.mail_activity_data_call") if level.use_call else None
        kinds = [(call, "advisor")] if call else []
        if level.activity_type_id:
            kinds.append((level.activity_type_id, level.activity_assignee))
        targets = self._get_task_targets(level, invoices_by_record)
        refused = {}
        if call:
            refused = self.env["collection.contact.policy"]._get_call_refusals(
                list(targets), level.company_id, today
            )
        called, notices = set(), defaultdict(list)
        for target, (records, invoices) in targets.items():
            for activity_type, assignee in kinds:
                if activity_type == call and target in refused:
                    for record in records:
                        problems[record].append(refused[target])
                        notices[record].append(refused[target])
                    continue
                vals, note = self._prepare_task(
                    target, level, invoices, today, activity_type, assignee
                )
                if vals:
                    activity_vals.append(vals)
                    if activity_type == call:
                        called.update(records)
                if note:
                    for record in records:
                        problems[record].append(note)
        if activity_vals:
            self.env["mail.activity"].create(
                self.env["collection.file"]._redirect_activity_vals(activity_vals, level.company_id)
            )
        return {
            record: Delivery(
                sent=["whatsapp"] if record in sent else [],
                problems=problems[record],
                called=record in called,
                notices=notices[record],
            )
            for record in set(problems) | sent | called
        }

    @api.model
    def _get_task_targets(self, level, invoices_by_record):
        """``{record the task goes on: (records it stands for, invoices it lists)}``."""
        if not level.handover or level._is_per_customer():
            return {record: ([record], invoices) for record, invoices in invoices_by_record.items()}
        targets = {}
        for record, invoices in invoices_by_record.items():
            customer = invoices.commercial_partner_id
            records, listed = targets.get(customer, ([], self.env["account.move"]))
            targets[customer] = ([*records, record], listed | invoices)
        return targets

    @api.model
    def _schedule_fallback_tasks(self, level, invoices_by_record, today, failed):
        """A to-do for the advisor of each customer no message of ``level`` reached.

        ``failed`` maps those records to their ``Delivery`` (its problems go in the task);
        returns ``{record: Delivery}`` noting the task.
        """
        todo = self.env.ref("mail.mail_activity_data_todo")
        activity_vals = []
        noted = {}
        for record, delivery in failed.items():
            invoices = invoices_by_record[record]
            customer = invoices.commercial_partner_id
            user = self._get_assignee(invoices, "advisor", level)
            if not user:
                continue
            reasons = Markup("").join(
                Markup("<li>%s</li>") % problem for problem in delivery.problems
            )
            activity_vals.append(
                self._prepare_activity_vals(
                    record,
                    todo,
                    self.env._(
                        "Reach %(customer)s another way: %(level)s",
                        customer=customer.display_name,
                        level=level.name,
                    ),
                    today,
                    user,
                    Markup("<ul>%s</ul>%s") % (reasons, self._invoice_list_html(invoices)),
                )
            )
            noted[record] = Delivery(
                problems=[self.env._("The advisor has a task to reach the customer another way.")]
            )
        if activity_vals:
            self.env["mail.activity"].create(
                self.env["collection.file"]._redirect_activity_vals(activity_vals, level.company_id)
            )
        return noted

    @api.model
    def _schedule_failure_tasks(self, events, reason):
        """A to-do for the advisor of each customer whose ``events`` failed, on the
        customer: one per customer and level, listing the invoices."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        by_customer = defaultdict(lambda: self.env["collection.event"])
        for event in events:
            by_customer[event.partner_id, event.level_id] |= event
        activity_vals = []
        for (customer, level), customer_events in by_customer.items():
            invoices = customer_events.invoice_id
            user = self._get_assignee(invoices, "advisor", level)
            if not user:
                continue
            activity_vals.append(
                self._prepare_activity_vals(
                    customer,
                    todo,
                    self.env._(
                        "Reach %(customer)s another way: %(level)s",
                        customer=customer.display_name,
                        level=level.name,
                    ),
                    fields.Date.context_today(self),
                    user,
                    Markup("<p>%s</p>%s") % (reason, self._invoice_list_html(invoices)),
                )
            )
        if activity_vals:
            self.env["mail.activity"].sudo().create(
                self.env["collection.file"]._redirect_activity_vals(
                    activity_vals, events.company_id[:1]
                )
            )

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
    def _prepare_task(self, record, level, invoices, today, activity_type, assignee):
        """``(activity values, note)``: the values are empty when nobody can take it."""
        user = self._get_assignee(invoices, assignee, level)
        summary = level.activity_summary or level.name
        if not user:
            return {}, self.env._(
                "No user to give the task %(task)s to: link a user to the advisor.",
                task=summary,
            )
        return self._prepare_activity_vals(
            record,
            activity_type,
            summary,
            today + timedelta(days=level.activity_deadline_days),
            user,
            self._invoice_list_html(invoices),
        ), False

    @api.model
    def _prepare_whatsapp_task(self, record, level, invoices, today):
        """Assisted WhatsApp: a task for the advisor with the one-click, prefilled chat."""
        user = self._get_assignee(invoices, "advisor", level)
        customer = invoices.commercial_partner_id
        if customer.collection_optout_whatsapp:
            return {}, self.env._(
                "Not sent: %(customer)s opted out (%(option)s).",
                customer=customer.display_name,
                option=customer._fields["collection_optout_whatsapp"].get_description(self.env)[
                    "string"
                ],
            )
        text = level.whatsapp_template_id._render_field("body", record.ids, compute_lang=True)[
            record.id
        ]
        number = customer._phone_format(fname="phone") or customer.phone
        if not number or not user:
            return {}, self.env._(
                "WhatsApp message not prepared for %(customer)s: no usable phone number or "
                "no user for the advisor.",
                customer=customer.display_name,
            )
        link = contact_links.whatsapp_link(number, text)
        note = Markup('<p><a href="%s" target="_blank">%s</a></p><p>%s</p>') % (
            link,
            self.env._("Open the chat with the message ready"),
            text,
        )
        summary = self.env._("WhatsApp: %(level)s", level=level.name)
        return self._prepare_activity_vals(
            record, self.env.ref("mail.mail_activity_data_todo"), summary, today, user, note
        ), False

    @api.model
    def _prepare_activity_vals(self, record, activity_type, summary, deadline, user, note):
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": activity_type.id,
            "summary": summary,
            "date_deadline": deadline,
            "user_id": user.id,
            "note": note,
            "automated": True,
        }

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
