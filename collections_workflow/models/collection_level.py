# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import channels, identification
from ..tools.legal import LEGAL_STATUSES

# a reminder at most three months before the due date, a step at most three years after it
MIN_DAY_OFFSET = -90
MAX_DAY_OFFSET = 1095


class CollectionLevel(models.Model):
    """One step of a strategy: when it fires, on which channels, which task for whom,
    which server action runs, and whether the invoices are handed over."""

    _name = "collection.level"
    _description = "Collection Level"
    _order = "strategy_id, day_offset, id"
    _check_company_auto = True

    strategy_id = fields.Many2one(
        "collection.strategy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="strategy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    trigger = fields.Selection(
        [
            ("due", "Days from the Due Date"),
            ("instalment", "Days from Each Instalment"),
            ("receipt", "Invoice Paid in Full"),
        ],
        string="When",
        required=True,
        default="due",
        help="Days from the Due Date: a step of the strategy's escalation, on its day. "
        "Days from Each Instalment: a reminder of each instalment of a running payment plan, "
        "on its day (negative before the instalment's date, 0 on it), with its own payment "
        "link. Invoice Paid in Full: a thank-you to the customer once an invoice it was reminded "
        "of is paid, one message per customer and day, in its contact hours.",
    )
    day_offset = fields.Integer(
        string="Day",
        required=True,
        help="Day on which the level fires, relative to the invoice's due date: negative "
        "before it, 0 on it, positive after it.",
    )
    group_invoices = fields.Boolean(
        string="One Message per Customer",
        help="All the customer's invoices at this level go into one message, sent from the "
        "customer's record, instead of one message per invoice.",
    )
    requires_contact = fields.Boolean(
        string="Requires Earlier Contact",
        help="The level acts only once the invoice (or its customer, for a level with one "
        "message per customer) got a message from an earlier level. An invoice never "
        "contacted starts at the first level that writes to the customer without it, and "
        "the later levels keep their spacing from that day.",
    )
    use_email = fields.Boolean(string="Email")
    email_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', 'in', ['account.move', 'res.partner'])]",
    )
    use_sms = fields.Boolean(string="SMS")
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model', 'in', ['account.move', 'res.partner'])]",
    )
    use_whatsapp = fields.Boolean(string="WhatsApp")
    whatsapp_template_id = fields.Many2one(
        "sms.template",
        string="WhatsApp Template",
        domain="[('model', 'in', ['account.move', 'res.partner'])]",
        help="Text of the WhatsApp message; the advisor gets a task with a one-click link "
        "that opens the chat with this text.",
    )
    whatsapp_cloud_template_ids = fields.One2many(
        "collection.whatsapp.template",
        "level_id",
        string="Approved WhatsApp Templates",
        help="Automatic mode: the template approved by Meta for each language.",
    )
    use_letter = fields.Boolean(string="Letter")
    letter_template_id = fields.Many2one(
        "mail.template",
        string="Letter Template",
        domain="[('model', 'in', ['account.move', 'res.partner'])]",
        help="Body of the letter, kept as a PDF on the customer to print and post.",
    )
    attach_pdf = fields.Boolean(
        string="Attach PDFs",
        help="Attach the invoices' PDF to the level's emails, or the statement's PDF (open "
        "items and their aging) to its statement.",
    )
    use_call = fields.Boolean(string="Call Task")
    use_statement = fields.Boolean(
        string="Account Statement",
        help="Send the customer's statement of open items instead of a reminder.",
    )
    statement_template_id = fields.Many2one(
        "mail.template",
        string="Statement Template",
        domain="[('model', '=', 'res.partner')]",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Task Type",
        help="A task created for each customer reaching this level.",
    )
    activity_summary = fields.Char(string="Task Summary", translate=True)
    activity_deadline_days = fields.Integer(string="Task Deadline (Days)")
    activity_assignee = fields.Selection(
        [("advisor", "The advisor"), ("supervisor", "The supervisor"), ("user", "A named user")],
        string="Task For",
        default="advisor",
    )
    activity_user_id = fields.Many2one("res.users", string="Task User", check_company=True)
    server_action_id = fields.Many2one(
        "ir.actions.server",
        string="Server Action",
        domain="[('model_id.model', '=', 'account.move')]",
        help="Runs once on the invoices that reach this level.",
    )
    handover = fields.Selection(
        [("agency", "Collection agency"), ("legal", "Legal")],
        string="Hand Over To",
        help="The invoices are handed over and automation stops for them.",
    )
    handover_partner_id = fields.Many2one(
        "res.partner", string="Agency or Lawyer", check_company=True
    )
    legal_stop = fields.Selection(
        LEGAL_STATUSES,
        string="Stops Extrajudicial Collection",
        help="Hand-over to legal: the customers are marked with these legal proceedings, "
        "and none of their invoices gets a message any more on any channel.",
    )
    charge_type = fields.Selection(
        [
            ("none", "No Charge"),
            ("fixed", "Fixed Fee"),
            ("interest", "Interest"),
            ("country", "Country Preset"),
        ],
        string="Late-Payment Charge",
        default="none",
        required=True,
        help="Charge the invoices that reach this level, overdue, for paying late. The "
        "charge is added to a draft invoice that accounting validates: it is never posted "
        "automatically. Country Preset: what the customer's contact profile sets (Chile: "
        "the collection fee by UF bracket; Mexico: 6 % a year). Every charge stays within "
        "the customer's profile.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_amount = fields.Monetary(
        string="Fixed Fee",
        help="Fee charged for each overdue invoice, in the company's currency (converted to "
        "the invoice's currency at the day's rate).",
    )
    charge_rate = fields.Float(
        string="Monthly Interest (%)",
        digits=(16, 4),
        help="Interest per month on each overdue invoice's amount due, pro-rated by the days "
        "it is late: amount due x rate / 100 x days late / 30, rounded in the invoice's "
        "currency. E.g. 1,000.00 at 2% and 45 days late: 30.00.",
    )
    charge_product_id = fields.Many2one(
        "product.product",
        string="Charge Product",
        check_company=True,
        help="Product invoiced for the charge: its income account and taxes apply.",
    )
    charge_mode = fields.Selection(
        [("invoice", "Draft Charge Invoice"), ("next_invoice", "Line on the Next Invoice")],
        string="Charge As",
        default="invoice",
        required=True,
        help="Draft Charge Invoice: one new draft invoice per customer with a line per "
        "overdue invoice. Line on the Next Invoice: the lines go on the customer's latest "
        "draft invoice, or on a new draft invoice when it has none.",
    )

    _strategy_day_uniq = models.Constraint(
        "UNIQUE(strategy_id, trigger, day_offset)",
        "Two levels of the same strategy cannot fire on the same day, and a strategy has "
        "one receipt.",
    )

    @api.constrains(
        "use_email",
        "email_template_id",
        "use_sms",
        "sms_template_id",
        "use_whatsapp",
        "whatsapp_template_id",
        "use_letter",
        "letter_template_id",
        "use_statement",
        "statement_template_id",
        "group_invoices",
    )
    def _check_channel_templates(self):
        for level in self:
            for channel, template_field in self._channel_template_fields().items():
                template = level[template_field]
                if level[channel] and not template:
                    raise ValidationError(
                        self.env._(
                            "Level %(level)s of %(strategy)s uses the channel %(channel)s "
                            "but has no %(field)s.",
                            level=level.name,
                            strategy=level.strategy_id.name,
                            channel=level._fields[channel].get_description(self.env)["string"],
                            field=level._fields[template_field].get_description(self.env)["string"],
                        )
                    )
                if level[channel]:
                    level._check_template_identification(template, template_field)
                    level._check_template_country_content(template, template_field)
                # one message per customer is rendered on the customer, else on the invoice
                grouped = level._is_per_customer()
                expected = "res.partner" if grouped else "account.move"
                if level[channel] and template.model != expected:
                    raise ValidationError(
                        self.env._(
                            "Level %(level)s: its %(field)s must be a template on %(expected)s, "
                            "not on %(model)s.",
                            level=level.name,
                            field=level._fields[template_field].get_description(self.env)["string"],
                            expected=self.env["ir.model"]._get(expected).name,
                            model=self.env["ir.model"]._get(template.model).name,
                        )
                    )

    def _check_template_identification(self, template, template_field):
        """Refuse a template that would not say which company writes, and who advises."""
        self.ensure_one()
        missing = identification.missing_identification(self._get_template_source(template))
        if not missing:
            return
        labels = {
            ("company", "advisor"): self.env._("the company or the advisor"),
            ("company",): self.env._("the company"),
            ("advisor",): self.env._("the advisor"),
        }
        raise ValidationError(
            self.env._(
                "Level %(level)s: the %(field)s %(template)s does not name %(missing)s. Every "
                "collection message says which company writes and who the customer's advisor "
                "is, e.g. {{ object.company_id.name }} and "
                "{{ object.collection_advisor_id.name }}.",
                level=self.name,
                field=self._fields[template_field].get_description(self.env)["string"],
                template=template.name,
                missing=labels[tuple(missing)],
            )
        )

    def _check_template_country_content(self, template, template_field):
        """Refuse a template that lacks what the contact profiles of the level's company
        ask a message to say (Mexico: the amount and the date it was computed on, and how
        to settle)."""
        self.ensure_one()
        if self.trigger == "receipt":
            return  # a thank-you asks the customer for nothing
        source = self._get_template_source(template)
        labels = {
            "amount_date": self.env._("the amount owed and the date it was computed on"),
            "settlement": self.env._("how to settle (e.g. the online payment link)"),
        }
        for profile in self._get_company_profiles():
            missing = identification.missing_content(
                source,
                amount_date=profile.require_amount_date,
                settlement=profile.require_settlement,
            )
            if missing:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the %(field)s %(template)s does not state "
                        "%(missing)s, which %(profile)s requires in every collection message "
                        "(%(law)s), e.g. {{ object.amount_residual }} as of "
                        "{{ object.collection_as_of_date }} and "
                        "{{ object.collection_payment_url }}.",
                        level=self.name,
                        field=self._fields[template_field].get_description(self.env)["string"],
                        template=template.name,
                        missing=self.env._(" and ").join(labels[key] for key in missing),
                        profile=profile.name,
                        law=profile.legal_source or "-",
                    )
                )

    @api.model
    def _get_template_source(self, template):
        """The source of a mail or SMS template's body, as written (in English)."""
        source_field = "body_html" if template._name == "mail.template" else "body"
        return template.with_context(lang="en_US")[source_field]

    def _get_company_profiles(self):
        """The contact profiles the level's messages must satisfy: its company's country's
        and those the company keeps for itself."""
        self.ensure_one()
        company = self.company_id
        if not company.collection_use_contact_profiles:
            return self.env["collection.contact.profile"]
        Profile = self.env["collection.contact.profile"].sudo()
        home = Profile._get_for_customers(company.partner_id, company)[company.partner_id]
        return home | Profile.search([("company_id", "=", company.id)])

    @api.model
    def _check_templates_in_use(self, templates):
        """Re-check the levels that use ``templates`` (mail or SMS) after an edit."""
        fields_by_model = defaultdict(list)
        for template_field in self._channel_template_fields().values():
            fields_by_model[self._fields[template_field].comodel_name].append(template_field)
        domain = Domain.OR(
            [(template_field, "in", templates.ids)]
            for template_field in fields_by_model[templates._name]
        )
        self.sudo().search(domain)._check_channel_templates()

    @api.constrains("day_offset", "trigger")
    def _check_day_offset(self):
        for level in self:
            if level.trigger == "instalment" and level.day_offset > 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s reminds an instalment before or on its date: its "
                        "%(field)s must be 0 or less, not %(day)s.",
                        level=level.name,
                        field=level._fields["day_offset"].get_description(self.env)["string"],
                        day=level.day_offset,
                    )
                )
            if not MIN_DAY_OFFSET <= level.day_offset <= MAX_DAY_OFFSET:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: its %(field)s must be between %(min)s (days before the "
                        "due date) and %(max)s (days after it), not %(day)s.",
                        level=level.name,
                        field=level._fields["day_offset"].get_description(self.env)["string"],
                        min=MIN_DAY_OFFSET,
                        max=MAX_DAY_OFFSET,
                        day=level.day_offset,
                    )
                )

    @api.constrains("handover", "handover_partner_id")
    def _check_handover(self):
        for level in self:
            if level.handover and not level.handover_partner_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s hands the invoices over: choose the agency or lawyer.",
                        level=level.name,
                    )
                )

    @api.constrains("charge_type", "charge_product_id", "charge_amount", "charge_rate")
    def _check_charge(self):
        for level in self:
            if level.charge_type == "none":
                continue
            if not level.charge_product_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s adds a late-payment charge: choose its %(field)s.",
                        level=level.name,
                        field=level._fields["charge_product_id"].get_description(self.env)[
                            "string"
                        ],
                    )
                )
            value_field = {"fixed": "charge_amount", "interest": "charge_rate"}.get(
                level.charge_type
            )
            if value_field and level[value_field] <= 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s adds a late-payment charge: its %(field)s must be "
                        "more than zero.",
                        level=level.name,
                        field=level._fields[value_field].get_description(self.env)["string"],
                    )
                )

    @api.constrains("activity_assignee", "activity_user_id", "activity_type_id")
    def _check_activity_user(self):
        for level in self:
            if (
                level.activity_type_id
                and level.activity_assignee == "user"
                and not level.activity_user_id
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s assigns its task to a named user: choose the user.",
                        level=level.name,
                    )
                )

    def _is_per_customer(self):
        """Whether the level acts once per customer rather than once per invoice."""
        self.ensure_one()
        return self.group_invoices or self.use_statement or self.trigger != "due"

    def _sends_messages(self):
        """Whether the level sends the customer anything (not only tasks for us)."""
        self.ensure_one()
        return any(self[channel] for channel in self._channel_template_fields())

    def _get_contact_channels(self):
        """The messages the level sends a customer, one entry per message."""
        self.ensure_one()
        return [channel.message for channel in self._get_channels()]

    def _get_channels(self):
        """The level's channels (see ``tools/channels.py``), in delivery order."""
        self.ensure_one()
        return [channel for channel in channels.CHANNELS if self[channel.flag]]

    @api.model
    def _channel_template_fields(self):
        return {channel.flag: channel.template for channel in channels.CHANNELS}

    def _get_channel_labels(self):
        """Names of the channels this level uses, in the user's language."""
        self.ensure_one()
        flags = [*self._channel_template_fields(), "use_call"]
        return [
            self._fields[flag].get_description(self.env)["string"] for flag in flags if self[flag]
        ]
