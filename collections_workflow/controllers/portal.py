# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.http import content_disposition, request

from odoo.addons.account_payment.controllers.portal import PortalAccount

PAGE_ROUTES = ("/my/collections", "/collections/<string:token>")


def _routes(suffix=""):
    return [route + suffix for route in PAGE_ROUTES]


def _page_route(suffix="", method="GET"):
    """A page of the customer's collections page, by a link or at /my/collections."""
    return http.route(
        _routes(suffix), type="http", auth="public", methods=[method], website=True, sitemap=False
    )


class CollectionCustomerPage(PortalAccount):
    """The customer's collections page, by the link of a message or, for a portal user,
    at /my/collections: its open invoices, its statement, payment online through Odoo's
    payment providers, and a promise or a payment plan within its strategy's limits."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "collection_invoice_count" in counters:
            customer = request.env.user.partner_id.commercial_partner_id
            values["collection_invoice_count"] = request.env["account.move"].search_count(
                [
                    *request.env["account.move"]._get_collection_open_domain(),
                    ("commercial_partner_id", "=", customer.id),
                ],
                limit=1,
            )
        return values

    def _get_collection_visitor(self, token):
        """``(customer, company, base path)`` of the page the visitor may open, or the
        response it gets instead (the login, an expired link's page)."""
        if token:
            try:
                customer, company, expired = request.env["collection.customer.page"]._get_customer(
                    token
                )
            except AccessError:
                raise request.not_found() from None
            if expired:
                return request.render(
                    "collections_workflow.customer_page_expired",
                    {
                        "company": company,
                        "message": request.env._(
                            "The latest message from %(company)s has a new one. You can "
                            "also write to us, and we will send it again.",
                            company=company.name,
                        ),
                    },
                    status=410,
                )
            return customer, company, f"/collections/{token}"
        if request.env.user._is_public():
            return request.redirect("/web/login?" + url_encode({"redirect": "/my/collections"}))
        # a portal user's own page: its commercial partner, read as the superuser as a
        # link's page is, and in its own company
        customer = request.env.user.partner_id.commercial_partner_id.sudo()
        return customer.with_company(request.env.company), request.env.company, PAGE_ROUTES[0]

    def _render_collection_page(self, visitor, error=None, done=None):
        customer, company, base = visitor
        values = request.env["collection.customer.page"]._get_values(customer, company)
        values.update(
            {
                "base": base,
                "error": error,
                "done": done,
                "page_name": "collections",
                "no_breadcrumbs": request.env.user._is_public(),
            }
        )
        return request.render("collections_workflow.customer_page", values)

    @_page_route()
    def collection_page(self, token=None, done=None, **kwargs):
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            return visitor
        return self._render_collection_page(visitor, done=done)

    @_page_route("/statement")
    def collection_page_statement(self, token=None, **kwargs):
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            return visitor
        customer, company, _base = visitor
        pdf = request.env["collection.customer.page"]._get_statement_pdf(customer, company)
        filename = request.env._("Statement - %(customer)s.pdf", customer=customer.name)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @_page_route("/answer", method="POST")
    def collection_page_answer(self, token=None, action=None, **post):
        """The page's one form: pay, promise or ask for a plan for the ticked invoices."""
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            return visitor
        customer, company, base = visitor
        Page = request.env["collection.customer.page"]
        try:
            invoice_ids = self._parse_ids(request.httprequest.form.getlist("invoice_ids"))
            if action == "pay":
                invoices = Page._get_invoices(customer, company, invoice_ids, payable=True)
                if len(invoices) == 1:
                    return request.redirect(
                        invoices.get_portal_url(query_string="&payment=True", anchor="portal_pay")
                    )
                return request.redirect(
                    f"{base}/pay?" + url_encode({"invoice_ids": ",".join(map(str, invoice_ids))})
                )
            with request.env.cr.savepoint():
                if action == "promise":
                    record = Page._propose_promise(
                        customer,
                        company,
                        invoice_ids,
                        self._parse_date(post.get("promise_date")),
                        self._parse_amount(post.get("amount")),
                    )
                elif action == "plan":
                    record = Page._request_plan(
                        customer,
                        company,
                        invoice_ids,
                        self._parse_count(post.get("instalments")),
                        self._parse_date(post.get("first_date")),
                    )
                else:
                    raise request.not_found()
        except (UserError, ValidationError) as error:
            return self._render_collection_page(visitor, error=error.args[0])
        done = action if not record.page_request else f"{action}_request"
        return request.redirect(f"{base}?" + url_encode({"done": done}))

    @_page_route("/pay")
    def collection_page_pay(self, token=None, invoice_ids="", **kwargs):
        """Pay several invoices at once, with Odoo's payment form."""
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            return visitor
        customer, company, base = visitor
        try:
            invoices = request.env["collection.customer.page"]._get_invoices(
                customer, company, self._parse_ids(invoice_ids.split(",")), payable=True
            )
        except ValidationError as error:
            return self._render_collection_page(visitor, error=error.args[0])
        return self._render_payment_form(
            visitor,
            invoices,
            sum(invoices.mapped("amount_residual")),
            f"{base}/transaction/" + "-".join(map(str, invoices.ids)),
        )

    def _render_payment_form(self, visitor, invoices, amount, transaction_route):
        """Odoo's payment form for ``amount`` on ``invoices``, back to the page once paid."""
        customer, company, base = visitor
        currency = invoices.currency_id
        reference = (
            company.get_next_batch_payment_communication() if len(invoices) > 1 else invoices.name
        )
        values = {
            "page_name": "collections",
            "payment": {
                "date": fields.Date.context_today(customer),
                "reference": reference,
                "amount": amount,
                "currency": currency,
            },
            "amount": amount,
        }
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": customer,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": base,
                "transaction_route": transaction_route,
            }
        )
        return request.render("account_payment.portal_overdue_invoices_page", values)

    @_page_route("/instalment/<int:instalment_id>")
    def collection_page_instalment(self, instalment_id, token=None, **kwargs):
        """Pay what remains of one instalment of a running plan, as its reminders link."""
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            return visitor
        customer, company, base = visitor
        try:
            instalment = request.env["collection.customer.page"]._get_instalment(
                customer, company, instalment_id
            )
        except ValidationError as error:
            return self._render_collection_page(visitor, error=error.args[0])
        return self._render_payment_form(
            visitor,
            instalment.plan_id.invoice_ids.filtered(lambda move: move._is_collection_open()),
            instalment.amount_due,
            f"{base}/transaction/instalment/{instalment.id}",
        )

    @http.route(
        _routes("/transaction/instalment/<int:instalment_id>"), type="jsonrpc", auth="public"
    )
    def collection_page_instalment_transaction(
        self, instalment_id, token=None, access_token=None, **kwargs
    ):
        """A draft transaction for what remains of the instalment, on its plan's invoices.

        ``access_token``: the payment form sends one; the page's link is the access here."""
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            raise ValidationError(request.env._("This link has expired."))
        customer, company, _base = visitor
        instalment = request.env["collection.customer.page"]._get_instalment(
            customer, company, instalment_id
        )
        invoices = instalment.plan_id.invoice_ids.filtered(lambda move: move._is_collection_open())
        return self._create_collection_transaction(invoices, instalment.amount_due, kwargs)

    @http.route(_routes("/transaction/<string:invoice_ids>"), type="jsonrpc", auth="public")
    def collection_page_transaction(
        self, invoice_ids, token=None, payment_reference=None, access_token=None, **kwargs
    ):
        """A draft transaction for the customer's invoices, for what they owe now.

        ``access_token``: the payment form sends one; the page's link is the access here."""
        visitor = self._get_collection_visitor(token)
        if not isinstance(visitor, tuple):
            raise ValidationError(request.env._("This link has expired."))
        customer, company, _base = visitor
        invoices = request.env["collection.customer.page"]._get_invoices(
            customer, company, self._parse_ids(invoice_ids.split("-")), payable=True
        )
        return self._create_collection_transaction(
            invoices, sum(invoices.mapped("amount_residual")), kwargs, customer, payment_reference
        )

    def _create_collection_transaction(
        self, invoices, amount, kwargs, customer=None, payment_reference=None
    ):
        """A draft transaction of ``amount`` on ``invoices``, whatever amount the browser
        sent, for the logged-in user or else the customer."""
        customer = customer or invoices.commercial_partner_id
        logged_in = not request.env.user._is_public()
        partner = request.env.user.partner_id if logged_in else customer
        payment_reference = payment_reference or kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        kwargs.update(
            {
                "amount": amount,
                "currency_id": invoices.currency_id.id,
                "partner_id": partner.id,
                "reference_prefix": payment_reference,
            }
        )
        transaction = self._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]}, **kwargs
        )
        return transaction._get_processing_values()

    @staticmethod
    def _parse(value, cast, message):
        """``cast(value)``, or a ValidationError saying ``message`` (the visitor's words
        are read, never trusted)."""
        try:
            return cast(value)
        except ValueError:
            raise ValidationError(message) from None

    def _parse_ids(self, values):
        return self._parse(
            values,
            lambda ids: [int(value) for value in ids if value],
            request.env._("Choose among your open invoices."),
        )

    def _parse_date(self, value):
        return self._parse(
            value or False, fields.Date.to_date, request.env._("Choose a date from the calendar.")
        )

    def _parse_amount(self, value):
        return self._parse(value or 0.0, float, request.env._("Write the amount as a number."))

    def _parse_count(self, value):
        return self._parse(value or 0, int, request.env._("Choose how many instalments."))
