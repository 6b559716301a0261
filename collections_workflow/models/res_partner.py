# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import contact_links, contact_window
from ..tools.legal import LEGAL_STATUSES


class ResPartner(models.Model):
    _inherit = "res.partner"

    collection_advisor_id = fields.Many2one(
        "collection.staff",
        string="Collections Advisor",
        company_dependent=True,
        tracking=True,
        domain="[('role', '=', 'advisor'), ('company_id', 'in', allowed_company_ids)]",
        help="Business advisor who follows this customer's payments; every collection "
        "message names this advisor.",
    )
    collection_supervisor_id = fields.Many2one(
        related="collection_advisor_id.supervisor_id",
        string="Collections Supervisor",
    )
    collection_advisor_phone = fields.Char(
        related="collection_advisor_id.phone", string="Advisor Phone"
    )
    collection_advisor_email = fields.Char(
        related="collection_advisor_id.email", string="Advisor Email"
    )
    collection_strategy_id = fields.Many2one(
        "collection.strategy",
        string="Collection Strategy",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="Leave empty to follow the strategy of the customer's tags, or the company's.",
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collections",
        company_dependent=True,
        tracking=True,
        help="No automatic reminder is sent to this customer.",
    )
    collection_exclusion_reason = fields.Char(
        string="Exclusion Reason", company_dependent=True, tracking=True
    )
    collection_contact_profile_id = fields.Many2one(
        "collection.contact.profile",
        string="Contact Profile",
        company_dependent=True,
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
        help="Leave empty to follow the profile of the customer's country.",
    )
    collection_followed_profile_id = fields.Many2one(
        "collection.contact.profile",
        string="Follows",
        compute="_compute_collection_followed_profile_id",
        help="The contact profile the customer follows: its own, else its country's (the "
        "company's own for that country first), else the other countries'.",
    )
    collection_legal_status = fields.Selection(
        LEGAL_STATUSES,
        string="Legal Proceedings",
        company_dependent=True,
        tracking=True,
        help="Once the customer is served with a collection lawsuit or is in insolvency "
        "proceedings, extrajudicial collection stops: no message on any channel, no "
        "reminder task; only the legal team's own work goes on.",
    )
    collection_legal_since = fields.Date(
        string="Legal Proceedings Since", company_dependent=True, tracking=True
    )
    collection_as_of_date = fields.Date(
        string="Amounts As Of",
        compute="_compute_collection_as_of_date",
        help="Today, in the customer's time zone: the date the amounts of a message are "
        "computed on.",
    )
    collection_optout_email = fields.Boolean(
        string="No Collection Emails",
        tracking=True,
        help="The customer asked not to receive collection emails: its levels use their "
        "other channels, else give the advisor a task.",
    )
    collection_optout_sms = fields.Boolean(
        string="No Collection SMS",
        tracking=True,
        help="The customer asked not to receive collection SMS.",
    )
    collection_optout_whatsapp = fields.Boolean(
        string="No Collection WhatsApp",
        tracking=True,
        help="The customer asked not to receive collection WhatsApp messages.",
    )
    collection_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_collection_rollup",
        currency_field="collection_currency_id",
    )
    collection_currency_id = fields.Many2one("res.currency", compute="_compute_collection_rollup")
    collection_oldest_due_date = fields.Date(
        string="Oldest Overdue Date", compute="_compute_collection_rollup"
    )
    collection_max_level_id = fields.Many2one(
        "collection.level", string="Highest Level Reached", compute="_compute_collection_rollup"
    )
    collection_next_level_id = fields.Many2one(
        "collection.level", string="Next Collection Step", compute="_compute_collection_rollup"
    )
    collection_next_date = fields.Date(
        string="Next Collection Date", compute="_compute_collection_rollup"
    )
    collection_page_url = fields.Char(
        string="Customer Page Link",
        compute="_compute_collection_page_url",
        groups="collections_workflow.collections_workflow_group_advisor",
        help="The customer's own collections page in the current company (its open "
        "invoices, statement, payment, promise or plan), as every message links it: valid "
        "for the company's link days.",
    )
    collection_instalment_id = fields.Many2one(
        "collection.payment.plan.instalment",
        string="Instalment of the Message",
        compute="_compute_collection_instalment_id",
        help="In an instalment reminder: the instalment it is about. Elsewhere (a "
        "preview), the customer's next instalment still to pay.",
    )
    collection_open_invoice_ids = fields.Many2many(
        "account.move",
        string="Open Invoices",
        compute="_compute_collection_open_invoice_ids",
        help="The customer's posted invoices still to be paid in the current company.",
    )
    collection_level_invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices of the Message",
        compute="_compute_collection_level_invoice_ids",
        help="In a message of a level with one message per customer: the customer's "
        "invoices that reach the level that day. Elsewhere (a preview), its open invoices.",
    )
    collection_level_amount = fields.Char(
        string="Amount Due in the Message",
        compute="_compute_collection_level_invoice_ids",
        help="The amount due of the invoices of the message, one total per currency.",
    )
    collection_in_portfolio = fields.Boolean(
        string="In My Portfolio",
        compute="_compute_collection_in_portfolio",
        search="_search_collection_in_portfolio",
        help="Customers the current user follows: an advisor's own customers, a "
        "supervisor's team's customers, every customer for a collections manager.",
    )
    collection_contact_tz = fields.Char(
        string="Contact Time Zone",
        compute="_compute_collection_contact_tz",
        help="The time zone the customer's contact hours are read in: its own time zone "
        "when it belongs to the customer's country, else its phone number's, else its "
        "country's, else the company's.",
    )
    collection_advisor_whatsapp_url = fields.Char(
        string="Advisor WhatsApp Link",
        compute="_compute_collection_advisor_whatsapp_url",
        help="Click-to-chat link to the advisor, with a message naming the customer.",
    )

    collection_promise_ids = fields.One2many(
        "collection.promise", "partner_id", string="Promises to Pay"
    )
    collection_promise_kept_ratio = fields.Float(
        string="Promises Kept (%)",
        compute="_compute_collection_promise_kept_ratio",
        help="Share of the customer's closed promises (kept, partly kept, broken) that were "
        "kept in full.",
    )
    collection_dispute_ids = fields.One2many("collection.dispute", "partner_id", string="Disputes")

    def _get_collection_open_invoice_domain(self):
        """The customers' posted invoices still to be paid, in the current company."""
        return [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", self.env.company.id),
            *self.env["account.move"]._get_collection_open_domain(),
        ]

    def _get_collection_billing_contacts(self):
        """``{customer: partners}``: whom the customers' collection messages are for.

        A customer's contacts of type *Invoice Address* that have an email, else the
        customer itself; in one query for all of ``self`` (commercial partners).
        """
        contacts = self.search(
            [
                ("commercial_partner_id", "in", self.ids),
                ("id", "not in", self.ids),
                ("type", "=", "invoice"),
                ("email", "!=", False),
            ]
        ).grouped("commercial_partner_id")
        return {customer: contacts.get(customer) or customer for customer in self}

    @api.depends("country_id", "collection_contact_profile_id")
    @api.depends_context("company")
    def _compute_collection_followed_profile_id(self):
        profiles = self.env["collection.contact.profile"]._get_for_customers(self, self.env.company)
        for partner in self:
            partner.collection_followed_profile_id = profiles[partner]

    @api.depends("tz", "country_id", "phone")
    def _compute_collection_as_of_date(self):
        now = fields.Datetime.now()
        zones = self._get_collection_tz()
        for partner in self:
            try:
                tz = pytz.timezone(zones.get(partner) or "UTC")
            except pytz.UnknownTimeZoneError:
                tz = pytz.utc
            partner.collection_as_of_date = pytz.utc.localize(now).astimezone(tz).date()

    @api.depends_context("company", "collection_instalments")
    def _compute_collection_instalment_id(self):
        # set by the run while it renders instalment reminders: ((customer id, id), ...)
        chosen = dict(self.env.context.get("collection_instalments") or ())
        Instalment = self.env["collection.payment.plan.instalment"]
        for partner in self:
            instalment_id = chosen.get(partner.commercial_partner_id.id)
            if instalment_id:
                partner.collection_instalment_id = Instalment.browse(instalment_id)
                continue
            partner.collection_instalment_id = (
                Instalment.search(
                    [
                        ("plan_id.partner_id", "=", partner.commercial_partner_id.id),
                        ("plan_id.company_id", "=", self.env.company.id),
                        ("plan_id.state", "=", "open"),
                    ]
                ).filtered(lambda instalment: instalment.state != "paid")[:1]
                if partner.commercial_partner_id.id
                else Instalment
            )

    @api.depends_context("company")
    def _compute_collection_page_url(self):
        urls = self.env["collection.customer.page"]._get_urls(self, self.env.company)
        for partner in self:
            partner.collection_page_url = urls.get(partner.commercial_partner_id, False)

    @api.depends_context("company")
    def _compute_collection_open_invoice_ids(self):
        invoices = self.env["account.move"].search(
            self._get_collection_open_invoice_domain(), order="invoice_date_due, id"
        )
        by_partner = invoices.grouped("commercial_partner_id")
        for partner in self:
            partner.collection_open_invoice_ids = by_partner.get(
                partner.commercial_partner_id, invoices.browse()
            )

    @api.depends_context("company", "collection_level_invoices")
    def _compute_collection_level_invoice_ids(self):
        # set by the run while it renders a level's messages: ((customer id, invoice ids), ...)
        chosen = dict(self.env.context.get("collection_level_invoices") or ())
        Channel = self.env["collection.channel"]
        for partner in self:
            invoice_ids = chosen.get(partner.commercial_partner_id.id)
            invoices = (
                self.env["account.move"].browse(invoice_ids)
                if invoice_ids is not None
                else partner.collection_open_invoice_ids
            )
            partner.collection_level_invoice_ids = invoices
            partner.collection_level_amount = Channel._format_amounts(invoices)

    @api.depends_context("company")
    def _compute_collection_rollup(self):
        """Overdue amount, oldest due date, levels and next action, in two queries."""
        company = self.env.company
        today = fields.Date.context_today(self)
        base = self._get_collection_open_invoice_domain()
        Move = self.env["account.move"]
        overdue = {
            partner: (amount, oldest)
            for partner, amount, oldest in Move._read_group(
                [*base, ("invoice_date_due", "<", today)],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum", "invoice_date_due:min"],
            )
        }
        # per customer and next level: the earliest date decides the next action
        last_levels = {}
        next_steps = {}
        for partner, next_level, next_date, reached in Move._read_group(
            base,
            ["commercial_partner_id", "collection_next_level_id"],
            ["collection_next_date:min", "collection_last_level_id:recordset"],
        ):
            last_levels[partner] = last_levels.get(partner, reached.browse()) | reached
            if next_date and (partner not in next_steps or next_date < next_steps[partner][0]):
                next_steps[partner] = (next_date, next_level)
        for partner in self:
            commercial = partner.commercial_partner_id
            amount, oldest = overdue.get(commercial, (0.0, False))
            next_date, next_level = next_steps.get(commercial, (False, False))
            reached = last_levels.get(commercial)
            partner.collection_currency_id = company.currency_id
            partner.collection_overdue_amount = amount
            partner.collection_oldest_due_date = oldest
            partner.collection_max_level_id = reached and reached.sorted("day_offset")[-1:]
            partner.collection_next_date = next_date
            partner.collection_next_level_id = next_level

    @api.depends(
        "tz",
        "country_id",
        "phone",
        "is_company",
        "parent_id",
        "commercial_partner_id.tz",
        "commercial_partner_id.country_id",
        "commercial_partner_id.phone",
    )
    @api.depends_context("company")
    def _compute_collection_contact_tz(self):
        # a contact is reached in the hours of its company (the commercial partner); a
        # customer reads its own values, which in its form are the ones being edited
        customers = self.filtered(lambda partner: partner.is_company or not partner.parent_id)
        zones = (customers | (self - customers).commercial_partner_id)._get_collection_tz()
        for partner in self:
            customer = partner if partner in customers else partner.commercial_partner_id
            partner.collection_contact_tz = zones[customer]

    @api.depends("collection_promise_ids.state")
    def _compute_collection_promise_kept_ratio(self):
        counts = {
            (partner, state): count
            for partner, state, count in self.env["collection.promise"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "in", ("kept", "partial", "broken")),
                ],
                ["partner_id", "state"],
                ["__count"],
            )
        }
        for partner in self:
            customer = partner.commercial_partner_id
            kept = counts.get((customer, "kept"), 0)
            closed = (
                kept + counts.get((customer, "partial"), 0) + counts.get((customer, "broken"), 0)
            )
            partner.collection_promise_kept_ratio = 100.0 * kept / closed if closed else 0.0

    def action_collection_record_promise(self):
        """A new promise to pay from this customer, covering its open invoices."""
        self.ensure_one()
        invoices = self.env["account.move"].search(self._get_collection_open_invoice_domain())
        return self.env["collection.promise"]._action_new(invoices)

    def action_collection_propose_plan(self):
        """A new payment plan for this customer, covering its open invoices."""
        self.ensure_one()
        invoices = self.env["account.move"].search(self._get_collection_open_invoice_domain())
        return self.env["collection.payment.plan"]._action_new(invoices)

    def action_collection_open_dispute(self):
        """A new dispute of this customer, on its open invoices (to narrow down)."""
        self.ensure_one()
        invoices = self.env["account.move"].search(self._get_collection_open_invoice_domain())
        return self.env["collection.dispute"]._action_new(invoices)

    @api.depends_context("uid", "company")
    def _compute_collection_in_portfolio(self):
        mine = self.filtered_domain(self._get_collection_portfolio_domain())
        for partner in self:
            partner.collection_in_portfolio = partner in mine

    def _search_collection_in_portfolio(self, operator, value):
        if operator != "in":
            return NotImplemented
        return self._get_collection_portfolio_domain()

    @api.model
    def _get_collection_portfolio_domain(self):
        """Customers the current user follows, as a domain; a hook for other roles."""
        user = self.env.user
        if user.has_group("collections_workflow.collections_workflow_group_manager"):
            return Domain("customer_rank", ">", 0) | Domain("collection_advisor_id", "!=", False)
        mine = Domain("collection_advisor_id.user_id", "=", user.id)
        if user.has_group("collections_workflow.collections_workflow_group_supervisor"):
            mine |= Domain("collection_supervisor_id.user_id", "=", user.id)
        return mine

    @api.depends("commercial_partner_id.collection_advisor_id", "name", "lang")
    @api.depends_context("company")
    def _compute_collection_advisor_whatsapp_url(self):
        for partner in self:
            advisor = partner.commercial_partner_id.collection_advisor_id
            if not advisor:
                partner.collection_advisor_whatsapp_url = False
                continue
            text = partner.with_context(lang=partner.lang or self.env.lang).env._(
                "Hello %(advisor)s, this is %(customer)s about my account.",
                advisor=advisor.first_name,
                customer=partner.commercial_partner_id.name,
            )
            partner.collection_advisor_whatsapp_url = advisor.whatsapp_link_with_text(text)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "collection_advisor_id",
            "collection_optout_email",
            "collection_optout_sms",
            "collection_optout_whatsapp",
        ]

    def _get_collection_tz(self):
        """``{partner: time zone name}``: where each customer reads its messages.

        Its own time zone where it belongs to its country (Odoo fills it from the time
        zone of the user who created the customer, wherever that user works), else its
        phone number's, else its country's first one, else the company's, else UTC. A
        customer without a country, or of a country without any known zone, keeps its own.
        """
        company_tz = self.env.company.partner_id.tz or "UTC"
        result = {}
        for partner in self:
            country = partner.country_id.code
            zones = pytz.country_timezones.get(country, []) if country else []
            own = partner.tz if not zones or partner.tz in zones else None
            result[partner] = (
                own
                or contact_window.timezone_for_number(partner.phone, country)
                or (zones and zones[0])
                or company_tz
            )
        return result

    def write(self, vals):
        if "collection_advisor_id" in vals:
            self._check_collection_advisor_assignment(vals["collection_advisor_id"])
        return super().write(vals)

    def _check_collection_advisor_assignment(self, advisor_id):
        """Advisors work the customers they are given; supervisors and managers assign.

        Child contacts that follow their company's advisor are not an assignment.
        """
        user = self.env.user
        if (
            self.env.su
            or not user.has_group("collections_workflow.collections_workflow_group_advisor")
            or user.has_group("collections_workflow.collections_workflow_group_manager")
        ):
            return
        if user.has_group("collections_workflow.collections_workflow_group_supervisor"):
            self._check_collection_team_assignment(advisor_id)
            return
        changed = self.filtered(
            lambda partner: partner.is_company or not partner.parent_id
        ).filtered(lambda partner: partner.collection_advisor_id.id != (advisor_id or False))
        if changed:
            raise AccessError(
                self.env._(
                    "Only a collections supervisor or manager can change the advisor of %(names)s.",
                    names=", ".join(changed[:3].mapped("display_name")),
                )
            )

    def _check_collection_team_assignment(self, advisor_id):
        """A supervisor gives customers to the advisors of its team only: the customer stays
        in the team's portfolio and KPIs (a manager moves it between teams)."""
        advisor = self.env["collection.staff"].browse(advisor_id)
        if advisor.supervisor_id.user_id == self.env.user or advisor.user_id == self.env.user:
            return
        raise AccessError(
            self.env._(
                "%(advisor)s is not in your team: only a collections manager can give "
                "%(names)s to another team.",
                advisor=advisor.name or self.env._("No advisor"),
                names=", ".join(self[:3].mapped("display_name")),
            )
        )

    def message_update(self, msg_dict, update_vals=None):
        # a reply to a collection reminder: the advisor gets it as a task
        for partner in self:
            self.env["collection.reply"]._record_reply(partner, msg_dict)
        return super().message_update(msg_dict, update_vals=update_vals)

    def action_collection_open_file(self):
        """The customer's collections file in the current company (made on first use)."""
        self.ensure_one()
        self.check_access("read")
        file = self.env["collection.file"]._get_files(self)[self]
        file.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "collection.file",
            "res_id": file.id,
            "view_mode": "form",
        }

    def _action_collection_schedule_call(self):
        """Plan a call to the customer for the current user, today."""
        self.ensure_one()
        return self.env["collection.task"]._plan_call_today(
            self, self.env._("Call about the account of %(customer)s", customer=self.name)
        )

    def collection_advisor_mailto_link(self, subject=None):
        """``mailto:`` link to the customer's advisor, with an optional subject."""
        self.ensure_one()
        advisor = self.commercial_partner_id.collection_advisor_id
        return contact_links.mailto_link(advisor.email, subject)
