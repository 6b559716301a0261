# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

MAX_FAILURES_LISTED = 50


class CollectionRunLog(models.Model):
    """One daily run: when it ran, what it did, and why what failed failed."""

    _name = "collection.run.log"
    _description = "Collections Run Log"
    _order = "start desc, id desc"
    _rec_name = "start"

    start = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    end = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("error", "Stopped by an Error")],
        required=True,
        default="running",
        readonly=True,
    )
    automatic = fields.Boolean(
        readonly=True, help="Run by the scheduled job rather than by a user's Run Now."
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    done_count = fields.Integer(string="Acted", readonly=True)
    deferred_count = fields.Integer(string="Deferred", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    failures = fields.Text(readonly=True, help="The customers the run could not act on, and why.")
    main_log_id = fields.Many2one(
        "collection.run.log",
        string="Worker Of",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The run this second worker shared: its customers are counted there too.",
    )
    worker_log_ids = fields.One2many("collection.run.log", "main_log_id", string="Workers")
    error = fields.Text(readonly=True, help="The error that stopped the run, if one did.")

    @api.model
    def _get_last(self):
        """The last run (a second worker's share is counted on the run it shared)."""
        return self.search([("main_log_id", "=", False)], limit=1)

    @api.model
    def _get_running_main(self):
        """The scheduled run under way that a second worker may share, if any."""
        return self.search(
            [("automatic", "=", True), ("main_log_id", "=", False), ("state", "=", "running")],
            limit=1,
        )

    def _get_summary(self):
        """One line a manager reads: when, and what the run did, its workers included."""
        self.ensure_one()
        logs = self | self.worker_log_ids
        return self.env._(
            "%(start)s: %(customers)s customers, %(done)s acted, %(deferred)s deferred, "
            "%(failed)s failed, %(skipped)s skipped (%(state)s)",
            start=fields.Datetime.to_string(fields.Datetime.context_timestamp(self, self.start)),
            customers=sum(logs.mapped("customer_count")),
            done=sum(logs.mapped("done_count")),
            deferred=sum(logs.mapped("deferred_count")),
            failed=sum(logs.mapped("failed_count")),
            skipped=sum(logs.mapped("skipped_count")),
            state=self._fields["state"].convert_to_export(self.state, self),
        )

    def _add_batch(self, events, customers, failures):
        """Count one batch's events; ``failures`` lists ``(customer, reason)``."""
        self.ensure_one()
        counts = {state: 0 for state in ("done", "deferred", "skipped", "failed")}
        for event in events:
            counts[event.state] += 1
        lines = [
            self.env._("%(customer)s: %(reason)s", customer=customer.display_name, reason=reason)
            for customer, reason in failures
        ]
        listed = (self.failures or "").splitlines()
        room = max(MAX_FAILURES_LISTED - len(listed), 0)
        self.write(
            {
                "customer_count": self.customer_count + len(customers),
                "done_count": self.done_count + counts["done"],
                "deferred_count": self.deferred_count + counts["deferred"],
                "skipped_count": self.skipped_count + counts["skipped"],
                "failed_count": self.failed_count + counts["failed"],
                "failures": "\n".join(listed + lines[:room]) or False,
            }
        )
