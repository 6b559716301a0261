# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CollectionFile(models.Model):
    """A customer's collections file, per company: where what collections says to the
    customer, and hears back, is kept when it is about the customer rather than one invoice.

    The customer's own chatter is read by every employee; a file follows the portfolio's
    record rules (the advisor, the team's supervisor, collections managers, accounting),
    as the invoices do. Its chatter holds the messages sent per customer (reminders, the
    account statement and its PDF, letters, SMS), the replies to them, the run's lines and
    the tasks of the levels per customer.
    """

    _name = "collection.file"
    _description = "Collections File"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    advisor_id = fields.Many2one(
        "collection.staff",
        compute="_compute_staff",
        store=True,
        index="btree_not_null",
        help="The customer's advisor in the file's company.",
    )
    supervisor_id = fields.Many2one(
        "collection.staff", compute="_compute_staff", store=True, index="btree_not_null"
    )

    _partner_company_unique = models.Constraint(
        "UNIQUE(partner_id, company_id)", "A customer has one collections file per company."
    )

    @api.depends("partner_id.collection_advisor_id", "company_id")
    def _compute_staff(self):
        for file in self:
            advisor = file.partner_id.with_company(file.company_id).collection_advisor_id
            file.advisor_id = advisor
            file.supervisor_id = advisor.supervisor_id

    @api.model
    def _get_files(self, partners, company=None):
        """``{customer: file}`` of the customers of ``partners`` in ``company`` (default:
        the current one), creating the missing ones: one search, at most one create."""
        company = company or self.env.company
        customers = partners.commercial_partner_id
        # the files are the run's and everybody's who acts on a customer: the portfolio
        # rules say who reads them, not who gets one made
        files = self.sudo().search(
            [("partner_id", "in", customers.ids), ("company_id", "=", company.id)]
        )
        by_customer = {file.partner_id: file for file in files}
        missing = customers.filtered(lambda customer: customer not in by_customer)
        if missing:
            # made by the run as it needs them: no "created" line, no follower, no tracking
            created = (
                self.sudo()
                .with_context(
                    mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
                )
                .create(
                    [{"partner_id": customer.id, "company_id": company.id} for customer in missing]
                )
            )
            by_customer.update(zip(missing, created, strict=True))
        return {
            partner: by_customer[partner.commercial_partner_id].sudo(False)
            for partner in partners | customers
        }

    @api.model
    def _get_threads(self, records, company=None):
        """``{record: the thread its collections messages go on}``: an invoice's own
        chatter; a customer's collections file."""
        if records._name != "res.partner":
            return {record: record for record in records}
        return self._get_files(records, company)

    @api.model
    def _redirect_activity_vals(self, vals_list, company=None):
        """The activities of ``vals_list`` meant for customers go on their files."""
        partner_model = self.env["ir.model"]._get_id("res.partner")
        partners = self.env["res.partner"].browse(
            vals["res_id"] for vals in vals_list if vals["res_model_id"] == partner_model
        )
        if not partners:
            return vals_list
        files = self._get_files(partners, company)
        file_model = self.env["ir.model"]._get_id(self._name)
        return [
            dict(
                vals,
                res_model_id=file_model,
                res_id=files[self.env["res.partner"].browse(vals["res_id"])].id,
            )
            if vals["res_model_id"] == partner_model
            else vals
            for vals in vals_list
        ]

    @api.model
    def _log(self, bodies, company=None):
        """Log ``{record: body}`` on each record's thread: an invoice's chatter, a
        customer's file (see ``_get_threads``); one query per model."""
        by_source = {}
        for record in bodies:
            by_source.setdefault(record._name, []).append(record)
        threads = {}
        for records in by_source.values():
            threads.update(self._get_threads(records[0].concat(*records[1:]), company))
        by_model = {}
        for record, body in bodies.items():
            thread = threads[record]
            by_model.setdefault(thread._name, {})[thread.id] = body
        for model, model_bodies in by_model.items():
            # the run's trace, written whoever runs it (each thread's rules guard reading)
            self.env[model].sudo().browse(list(model_bodies))._message_log_batch(
                bodies=model_bodies
            )

    @api.model
    def _move_from_customers(self):
        """Move what collections left on the customers' own chatter to their files.

        Earlier versions wrote the run's lines, the messages per customer (with their
        links, their statement PDFs and the replies to them), the letters, the SMS and the
        tasks on the customer, which every employee reads. Called on upgrade; returns the
        number of messages moved.
        """
        cr = self.env.cr
        self.env.flush_all()
        reminder = self.env.ref("collections_workflow.mt_collection_reminder")
        # the collections messages: sent as reminders, the SMS, the run's lines (English
        # or Spanish), the invoice lists and the payment links
        cr.execute(
            """
            WITH RECURSIVE collected AS (
                SELECT id FROM mail_message
                 WHERE model = 'res.partner'
                   AND (subtype_id = %(reminder)s
                        OR message_type = 'sms'
                        OR body::text ILIKE ANY (%(markers)s))
                UNION
                SELECT message.id FROM mail_message message
                  JOIN collected ON message.parent_id = collected.id
                 WHERE message.model = 'res.partner'
            )
            SELECT message.id, message.res_id FROM mail_message message
              JOIN collected USING (id)
            """,
            {
                "reminder": reminder.id,
                "markers": [
                    "%%Collections: level%%",
                    "%%Cobranza: nivel%%",
                    "%%</p><ul><li>%%",
                    "%%access_token=%%",
                ],
            },
        )
        messages = cr.fetchall()
        cr.execute(
            """
            SELECT id, res_id FROM mail_activity
             WHERE res_model = 'res.partner' AND automated AND note::text ILIKE '%%<ul><li>%%'
            """
        )
        activities = cr.fetchall()
        partners = (
            self.env["res.partner"]
            .browse({res_id for _id, res_id in messages + activities})
            .exists()
        )
        if not partners:
            return 0
        files = {}
        for company, company_partners in partners.grouped(
            lambda partner: partner.company_id or self.env.company
        ).items():
            files.update(
                {
                    partner.id: file.id
                    for partner, file in self._get_files(company_partners, company).items()
                }
            )
        moved = [(id_, files[res_id]) for id_, res_id in messages if res_id in files]
        cr.execute(
            """
            UPDATE mail_message message
               SET model = 'collection.file', res_id = moved.file_id
              FROM unnest(%s::int[], %s::int[]) AS moved(id, file_id)
             WHERE message.id = moved.id
            """,
            [[id_ for id_, _file in moved], [file_id for _id, file_id in moved]],
        )
        # the statement PDFs the moved messages carried
        cr.execute(
            """
            UPDATE ir_attachment attachment
               SET res_model = 'collection.file', res_id = message.res_id
              FROM message_attachment_rel rel
              JOIN mail_message message ON message.id = rel.message_id
             WHERE rel.attachment_id = attachment.id
               AND message.model = 'collection.file'
               AND attachment.res_model = 'res.partner'
            """
        )
        file_model = self.env["ir.model"]._get_id(self._name)
        tasks = [(id_, files[res_id]) for id_, res_id in activities if res_id in files]
        cr.execute(
            """
            UPDATE mail_activity activity
               SET res_model = 'collection.file', res_model_id = %s, res_id = moved.file_id
              FROM unnest(%s::int[], %s::int[]) AS moved(id, file_id)
             WHERE activity.id = moved.id
            """,
            [file_model, [id_ for id_, _file in tasks], [file_id for _id, file_id in tasks]],
        )
        self.env.invalidate_all()
        return len(moved)

    def message_update(self, msg_dict, update_vals=None):
        # a reply to a collection message: the advisor gets it as a task
        for file in self:
            self.env["collection.reply"]._record_reply(file.partner_id, msg_dict)
        return super().message_update(msg_dict, update_vals=update_vals)

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
