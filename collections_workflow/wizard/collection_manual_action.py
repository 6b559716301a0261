# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command

ADVISOR = "collections_workflow.collections_workflow_group_advisor"
SUPERVISOR = "collections_workflow.collections_workflow_group_supervisor"

# the least role allowed each manual action
ACTION_GROUPS = {
    "send_now": ADVISOR,
    "pause": ADVISOR,
    "resume": ADVISOR,
    "skip": SUPERVISOR,
    "exclude": SUPERVISOR,
    "reassign": SUPERVISOR,
}


class CollectionManualAction(models.TransientModel):
    """What an advisor or a supervisor does by hand on selected customers or invoices.

    Each action needs a reason, leaves it on the chatter of the invoices and customers,
    and is allowed to the roles that should (``ACTION_GROUPS``). The invoices are the
    user's to see (record rules); the changes on them are the system's bookkeeping,
    written as superuser once the role and the scope are checked.
    """

    _name = "collection.manual.action"
    _description = "Collections Manual Action"

    action = fields.Selection(
        [
            ("send_now", "Send the Current Level Now"),
            ("skip", "Skip to a Level"),
            ("pause", "Pause Until a Date"),
            ("exclude", "Exclude from Collections"),
            ("resume", "Resume Collections"),
            ("reassign", "Reassign the Advisor"),
        ],
        required=True,
        default="send_now",
    )
    invoice_ids = fields.Many2many("account.move", string="Invoices")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    strategy_id = fields.Many2one("collection.strategy", compute="_compute_strategy_id")
    level_id = fields.Many2one(
        "collection.level",
        string="Level",
        domain="[('strategy_id', '=', strategy_id)]",
    )
    pause_until = fields.Date()
    advisor_id = fields.Many2one(
        "collection.staff",
        string="New Advisor",
        domain="[('role', '=', 'advisor')]",
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "account.move":
            invoices = self.env["account.move"].browse(ids)
            invoices = invoices.filtered(
                lambda move: move.move_type == "out_invoice" and move.state == "posted"
            )
            partners = invoices.commercial_partner_id
        elif model in ("res.partner", "collection.worklist"):
            records = self.env[model].browse(ids)
            partners = records.partner_id if model == "collection.worklist" else records
            partners = partners.commercial_partner_id
            invoices = self.env["account.move"].search(
                partners._get_collection_open_invoice_domain()
            )
        else:
            return values
        # x2many defaults are commands, as the web client reads them
        selected = {"invoice_ids": invoices, "partner_ids": partners}
        values.update(
            {
                fname: [Command.set(records.ids)]
                for fname, records in selected.items()
                if fname in fields_list
            }
        )
        return values

    @api.depends("invoice_ids")
    def _compute_strategy_id(self):
        for wizard in self:
            wizard.strategy_id = wizard.invoice_ids.collection_strategy_id[:1]

    def _check_allowed(self):
        """The user's role allows the action, and the records are the user's to see."""
        action_label = dict(self._fields["action"]._description_selection(self.env))[self.action]
        if not self.env.user.has_group(ACTION_GROUPS[self.action]):
            group = self.env.ref(ACTION_GROUPS[self.action])
            raise AccessError(
                self.env._(
                    "%(action)s is not allowed to you: it takes the collections role %(role)s.",
                    action=action_label,
                    role=group.name,
                )
            )
        self.invoice_ids.check_access("read")
        self.partner_ids.check_access("read")
        if not self.invoice_ids and self.action != "reassign":
            raise UserError(
                self.env._("%(action)s: select invoices still to collect.", action=action_label)
            )
        return action_label

    def action_apply(self):
        self.ensure_one()
        action_label = self._check_allowed()
        today = fields.Date.context_today(self)
        body = self.env._(
            "%(action)s, by %(user)s: %(reason)s",
            action=action_label,
            user=self.env.user.name,
            reason=self.reason,
        )
        return getattr(self, f"_apply_{self.action}")(today, body)

    def _get_held(self, invoices):
        return invoices.filtered(lambda move: move._get_collection_status() != "active")

    def _raise_held(self, held):
        statuses = dict(held._fields["collection_status"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "Not possible on invoices that are not in active collection: %(invoices)s.",
                invoices=", ".join(
                    f"{move.display_name} ({statuses[move._get_collection_status()]})"
                    for move in held
                ),
            )
        )

    def _apply_send_now(self, today, body):
        held = self._get_held(self.invoice_ids)
        if held:
            self._raise_held(held)
        self.invoice_ids._collection_log(body)
        events = self.env["collection.run"].sudo()._send_now(self.invoice_ids, today)
        if not events:
            raise UserError(
                self.env._(
                    "Nothing to send: %(invoices)s have no level left in their strategy.",
                    invoices=", ".join(self.invoice_ids.mapped("display_name")),
                )
            )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.collection_event_action"
        )
        action["domain"] = [("id", "in", events.ids)]
        action["context"] = {}
        return action

    def _apply_skip(self, today, body):
        if not self.level_id:
            raise ValidationError(self.env._("Skip to a Level: choose the level."))
        held = self._get_held(self.invoice_ids)
        if held:
            self._raise_held(held)
        self.invoice_ids._collection_resume(today, level=self.level_id, note=body)
        return True

    def _apply_pause(self, today, body):
        if not self.pause_until or self.pause_until <= today:
            raise ValidationError(self.env._("Pause Until a Date: the date must be after today."))
        invoices = self.invoice_ids.sudo()
        invoices.write({"collection_paused_until": self.pause_until})
        invoices._collection_hold(today)
        invoices._collection_log(body)
        return True

    def _apply_exclude(self, today, body):
        invoices = self.invoice_ids.sudo()
        invoices.write(
            {"collection_excluded": True, "collection_exclusion_reason": self.reason[:250]}
        )
        invoices._collection_hold(today)
        invoices._collection_log(body)
        return True

    def _apply_resume(self, today, body):
        invoices = self.invoice_ids.sudo()
        excluded = invoices.filtered("collection_excluded")
        if excluded and not self.env.user.has_group(SUPERVISOR):
            raise AccessError(
                self.env._(
                    "Only a collections supervisor or manager can resume excluded invoices: "
                    "%(invoices)s.",
                    invoices=", ".join(excluded.mapped("display_name")),
                )
            )
        held = invoices.filtered(
            lambda move: move.collection_paused_until or move.collection_excluded
        )
        held.write(
            {
                "collection_excluded": False,
                "collection_exclusion_reason": False,
                "collection_paused_until": False,
            }
        )
        invoices._collection_log(body)
        # promises and disputes hold on: they end their own way
        released = held.filtered(lambda move: move._get_collection_status() == "active")
        released._collection_resume(today)
        return True

    def _apply_reassign(self, today, body):
        if not self.advisor_id:
            raise ValidationError(self.env._("Reassign the Advisor: choose the new advisor."))
        customers = self.partner_ids | self.invoice_ids.commercial_partner_id
        # in the user's rights: only supervisors and managers assign advisors
        customers.write({"collection_advisor_id": self.advisor_id.id})
        customers.sudo()._message_log_batch(bodies=dict.fromkeys(customers.ids, body))
        return True
