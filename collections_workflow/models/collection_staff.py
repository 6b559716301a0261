# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.phone_validation.tools import phone_validation

from ..tools import contact_links
from .collection_hold_mixin import MANAGER


class CollectionStaff(models.Model):
    """A business advisor, or the supervisor a team of advisors reports to.

    Staff need no Odoo user: a bank's business officer may never log in. When a user is
    linked, that user receives the collection tasks and sees the portfolio.
    """

    _name = "collection.staff"
    _description = "Collections Advisor or Supervisor"
    _inherit = ["mail.thread"]
    _order = "last_name, first_name, id"
    _check_company_auto = True

    first_name = fields.Char(required=True, tracking=True)
    last_name = fields.Char(required=True, tracking=True)
    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    role = fields.Selection(
        [("advisor", "Advisor"), ("supervisor", "Supervisor")],
        required=True,
        default="advisor",
        tracking=True,
    )
    phone = fields.Char(tracking=True, help="Stored in E.164 form, e.g. +56912345678.")
    whatsapp = fields.Char(
        string="WhatsApp",
        tracking=True,
        help="Number the customers reach on WhatsApp, stored in E.164 form.",
    )
    email = fields.Char(tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="User",
        tracking=True,
        check_company=True,
        domain=[("share", "=", False)],
        help="Odoo user who receives this person's collection tasks and sees the portfolio.",
    )
    supervisor_id = fields.Many2one(
        "collection.staff",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        domain=[("role", "=", "supervisor")],
    )
    advisor_ids = fields.One2many("collection.staff", "supervisor_id", string="Team")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    country_id = fields.Many2one(
        "res.country",
        help="Country used to read the phone numbers. Defaults to the company's country.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    customer_count = fields.Integer(compute="_compute_customer_count")
    phone_link = fields.Char(compute="_compute_links")
    whatsapp_link = fields.Char(string="WhatsApp Link", compute="_compute_links")
    email_link = fields.Char(compute="_compute_links")

    _name_company_uniq = models.UniqueIndex(
        "(company_id, role, lower(first_name), lower(last_name)) WHERE active",
        "An advisor or supervisor with this first and last name already exists in this company.",
    )

    @api.depends("first_name", "last_name")
    def _compute_name(self):
        for staff in self:
            staff.name = " ".join(part for part in (staff.first_name, staff.last_name) if part)

    @api.depends("phone", "whatsapp", "email")
    def _compute_links(self):
        for staff in self:
            staff.phone_link = contact_links.tel_link(staff.phone)
            staff.whatsapp_link = contact_links.whatsapp_link(staff.whatsapp or staff.phone)
            staff.email_link = contact_links.mailto_link(staff.email)

    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("collection_advisor_id", "in", self.ids)],
                ["collection_advisor_id"],
                ["__count"],
            )
        )
        team_counts = dict(
            self.env["res.partner"]._read_group(
                [("collection_supervisor_id", "in", self.ids)],
                ["collection_supervisor_id"],
                ["__count"],
            )
        )
        for staff in self:
            if staff.role == "supervisor":
                staff.customer_count = team_counts.get(staff, 0)
            else:
                staff.customer_count = counts.get(staff, 0)

    @api.constrains("role", "supervisor_id")
    def _check_supervisor(self):
        for staff in self:
            if staff.supervisor_id and staff.role != "advisor":
                raise ValidationError(
                    self.env._(
                        "%(name)s is a supervisor and cannot report to another supervisor.",
                        name=staff.name,
                    )
                )
            if staff.supervisor_id and staff.supervisor_id.role != "supervisor":
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot report to %(other)s, who is not a supervisor.",
                        name=staff.name,
                        other=staff.supervisor_id.name,
                    )
                )
            if staff.role == "advisor" and staff.advisor_ids:
                raise ValidationError(
                    self.env._("%(name)s leads a team and must stay a supervisor.", name=staff.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_phone_vals(vals)
        staff = super().create(vals_list)
        staff._set_home_actions()
        return staff

    def write(self, vals):
        if "user_id" in vals and not self.env.su and not self.env.user.has_group(MANAGER):
            # the user sees the portfolio of the person it is linked to
            raise AccessError(
                self.env._(
                    "Only a collections manager links a user to %(staff)s.",
                    staff=", ".join(self.mapped("name")),
                )
            )
        if not {"phone", "whatsapp", "country_id"} & vals.keys():
            result = super().write(vals)
        else:
            # numbers are read against each record's own country: write them one by one
            for staff in self:
                staff_vals = dict(vals)
                self._normalize_phone_vals(staff_vals, staff)
                super(CollectionStaff, staff).write(staff_vals)
            result = True
        if vals.get("user_id"):
            self._set_home_actions()
        return result

    def _set_home_actions(self):
        self.filtered(
            lambda staff: staff.role in ("advisor", "supervisor")
        ).user_id._collection_set_home_action()

    def _phone_country(self, vals, staff=None):
        if vals.get("country_id"):
            return self.env["res.country"].browse(vals["country_id"])
        if staff and staff.country_id:
            return staff.country_id
        company = (
            self.env["res.company"].browse(vals.get("company_id"))
            if vals.get("company_id")
            else (staff.company_id if staff else self.env.company)
        )
        return company.country_id

    def _normalize_phone_vals(self, vals, staff=None):
        """Store phone and WhatsApp numbers in E.164, refusing what cannot be parsed."""
        country = self._phone_country(vals, staff)
        labels = {"phone": self.env._("Phone"), "whatsapp": self.env._("WhatsApp")}
        for fname in ("phone", "whatsapp"):
            number = vals.get(fname) if fname in vals else (staff[fname] if staff else False)
            if not number:
                continue
            vals[fname] = self._format_phone_number(
                number,
                country,
                labels[fname],
                staff.name if staff else f"{vals.get('first_name')} {vals.get('last_name')}",
            )

    @api.model
    def _format_phone_number(self, number, country, label, who=""):
        """Return ``number`` in E.164, or raise a ValidationError naming it."""
        try:
            return phone_validation.phone_format(
                number,
                country.code if country else None,
                country.phone_code if country else None,
                force_format="E164",
                raise_exception=True,
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "%(who)s: the %(field)s number %(number)s is not valid (%(reason)s).",
                    who=who or self.env._("Advisor"),
                    field=label,
                    number=number,
                    reason=error.args[0],
                )
            ) from error

    def whatsapp_link_with_text(self, text):
        """WhatsApp click-to-chat link to this person with ``text`` pre-filled."""
        self.ensure_one()
        return contact_links.whatsapp_link(self.whatsapp or self.phone, text)

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.res_partner_action_collections"
        )
        field = "collection_supervisor_id" if self.role == "supervisor" else "collection_advisor_id"
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {}
        return action
