# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import contact_links


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
    collection_in_portfolio = fields.Boolean(
        string="In My Portfolio",
        compute="_compute_collection_in_portfolio",
        search="_search_collection_in_portfolio",
        help="Customers the current user follows: an advisor's own customers, a "
        "supervisor's team's customers, every customer for a collections manager.",
    )
    collection_advisor_whatsapp_url = fields.Char(
        string="Advisor WhatsApp Link",
        compute="_compute_collection_advisor_whatsapp_url",
        help="Click-to-chat link to the advisor, with a message naming the customer.",
    )

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
        return super()._commercial_fields() + ["collection_advisor_id"]

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
            or user.has_group("collections_workflow.collections_workflow_group_supervisor")
        ):
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

    def collection_advisor_mailto_link(self, subject=None):
        """``mailto:`` link to the customer's advisor, with an optional subject."""
        self.ensure_one()
        advisor = self.commercial_partner_id.collection_advisor_id
        return contact_links.mailto_link(advisor.email, subject)
