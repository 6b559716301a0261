# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class CollectionImportJob(models.Model):
    """A customer file too long to check and import within a request.

    The import wizard queues it; the cron ``ir_cron_collection_import`` imports it as the
    user who queued it (their access rights, their language), with the same checks and
    the same rule: nothing is written while any row is refused. The result goes to that
    user's inbox.
    """

    _name = "collection.import.job"
    _description = "Customer Portfolio File Import in the Background"
    _inherit = ["mail.thread"]
    _order = "id desc"

    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Started By", required=True, readonly=True, ondelete="cascade"
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Imported"),
            ("refused", "Refused"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
    )
    create_count = fields.Integer(string="Customers Created", readonly=True)
    update_count = fields.Integer(string="Customers Updated", readonly=True)
    refuse_count = fields.Integer(string="Rows Refused", readonly=True)
    result = fields.Text(readonly=True)

    @api.depends("file_name")
    def _compute_display_name(self):
        for job in self:
            job.display_name = job.file_name

    @api.model
    def _cron_process(self):
        """Import the queued files, one per batch, oldest first."""
        Cron = self.env["ir.cron"]
        # a job still running when this cron starts again was killed (time or memory
        # limit): its transaction is gone, its user is waiting for an answer
        for job in self.search([("state", "=", "running")]):
            job._fail_interrupted()
        domain = [("state", "=", "queued")]
        while job := self.search(domain, order="id", limit=1):
            job.state = "running"
            # committed now, so that a job that kills the worker is not started again
            Cron._commit_progress(remaining=self.search_count(domain) + 1)
            job._process()
            if Cron._commit_progress(1) <= 0:
                return

    def _fail_interrupted(self):
        self.ensure_one()
        job = self.with_context(lang=self.user_id.lang or "en_US")
        self.write(
            {
                "state": "failed",
                "result": job.env._(
                    "The import of %(file)s was interrupted: it took longer than the server "
                    "allows. Nothing was imported. Split the file into shorter ones and "
                    "import them one after the other.",
                    file=self.file_name,
                ),
            }
        )
        job._notify_result()

    def _process(self):
        """Import the file as its user would, then tell them the result."""
        self.ensure_one()
        user = self.user_id
        job = self.with_context(lang=user.lang or "en_US")
        wizard = (
            self.env["res.partner.collection.import"]
            .with_user(user)
            .with_company(self.company_id)
            .with_context(lang=user.lang or "en_US", tz=user.tz)
            .create(
                {"file": self.file, "file_name": self.file_name, "company_id": self.company_id.id}
            )
        )
        try:
            with self.env.cr.savepoint():
                vals = wizard._import_in_background()
        except UserError as error:
            vals = {"state": "refused", "result": error.args[0]}
        except Exception as error:  # pylint: disable=broad-except
            # the savepoint undid whatever was written: the user must still hear of it
            _logger.exception("Customer file import %s (%s) failed", self.id, self.file_name)
            vals = {
                "state": "failed",
                "result": job.env._(
                    "The import stopped on an unexpected error (%(error)s); nothing was "
                    "imported. Ask your administrator to look at the server log.",
                    error=type(error).__name__,
                ),
            }
        self.write(vals)
        job._notify_result()

    def _notify_result(self):
        self.ensure_one()
        if self.state == "done":
            subject = self.env._("Customer file %(file)s imported", file=self.file_name)
        else:
            subject = self.env._("Customer file %(file)s not imported", file=self.file_name)
        body = Markup("<p>%s</p>") % Markup("<br/>").join(
            escape(line) for line in (self.result or "").splitlines()
        )
        self.message_notify(
            partner_ids=self.user_id.partner_id.ids,
            subject=subject,
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )
