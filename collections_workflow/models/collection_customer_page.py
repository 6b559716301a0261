# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date, formatLang, hash_sign, verify_hash_signed

TOKEN_SCOPE = "collections_workflow.customer_page"
# the invoices a customer may promise or plan from its page: reminded, or paused by hand
PAGE_STATUSES = ("active", "paused")
# the longest plan a customer may ask for on its page, whatever the strategy
MAX_PAGE_INSTALMENTS = 24


class CollectionCustomerPage(models.AbstractModel):
    """The customer's collections page: who opens it, what it shows, what it does.

    Each message links the page of its customer with a signed token that names the
    customer and the company and expires (``res.company.collection_page_link_days``);
    portal users also find their own at ``/my/collections``. Whatever the visitor sends
    is read against that customer's open invoices only.
    """

    _name = "collection.customer.page"
    _description = "Customer Collections Page"

    @api.model
    def _get_urls(self, partners, company):
        """``{commercial partner: link to its page in company}``, valid for the company's
        link days from now."""
        expires = int(time.time()) + max(company.collection_page_link_days, 1) * 86400
        base = company.get_base_url()
        # the database secret signs the link: read by the superuser
        env = self.env(su=True)
        prefixes = self._get_lang_prefixes()
        return {
            customer: f"{base}{prefixes.get(customer.lang, '')}/collections/"
            + hash_sign(env, TOKEN_SCOPE, [customer.id, company.id, expires])
            for customer in partners.commercial_partner_id.filtered("id")
        }

    @api.model
    def _get_lang_prefixes(self):
        """``{language code: "/<url code>"}`` of the active languages but the website's
        default: a link opens the page in its customer's language, and the page's
        language selector still works."""
        active = self.env["res.lang"]._get_active_by("code")
        default = self.env["ir.default"].sudo()._get("res.partner", "lang") or next(
            iter(active), None
        )
        return {code: f"/{lang.url_code}" for code, lang in active.items() if code != default}

    @api.model
    def _get_customer(self, token):
        """``(customer, company, expired)`` of a page link, as the superuser.

        Raises AccessError for a link this database did not sign.
        """
        env = self.env(su=True)
        try:
            values = verify_hash_signed(env, TOKEN_SCOPE, token)
        except ValueError:
            values = None
        if not isinstance(values, list) or len(values) != 3:
            raise AccessError(self.env._("This link is not valid."))
        partner_id, company_id, expires = values
        customer = env["res.partner"].browse(partner_id).exists()
        company = env["res.company"].browse(company_id).exists()
        if not customer or not company:
            raise AccessError(self.env._("This link is not valid."))
        return customer.with_company(company), company, expires <= time.time()

    @api.model
    def _get_values(self, customer, company):
        """What the page shows ``customer`` (a commercial partner) of ``company``."""
        customer = customer.with_company(company)
        invoices = customer.collection_open_invoice_ids
        today = customer.collection_as_of_date
        statuses = dict(invoices._fields["collection_status"]._description_selection(self.env))
        rows = [
            {
                "invoice": invoice,
                "late": self._get_late_label(invoice, today),
                "status": statuses[invoice.collection_status],
                "selectable": invoice.collection_status in PAGE_STATUSES,
                "pay_url": invoice.get_portal_url(
                    query_string="&payment=True", anchor="portal_pay"
                ),
            }
            for invoice in invoices
        ]
        holds = self._get_holds(customer, company)
        strategy = invoices.collection_strategy_id[:1] or company.collection_strategy_id
        share = strategy.page_promise_min_share
        return {
            "title": self.env._("Your account with %(company)s", company=company.name),
            "promise_rule": self.env._(
                "A promise within %(days)s days and for at least %(share)s %% of the selected "
                "invoices is recorded at once; otherwise your advisor answers it. Either way, "
                "we stop reminding you meanwhile.",
                days=strategy.page_promise_max_days,
                share=formatLang(self.env, share, digits=1 if share % 1 else 0),
            ),
            "plan_rule": self.env._(
                "Up to %(count)s monthly instalments, the first by %(date)s, are agreed at "
                "once; otherwise your advisor answers your request.",
                count=strategy.page_plan_max_instalments,
                date=format_date(self.env, today + timedelta(days=strategy.page_plan_first_days)),
            ),
            "customer": customer,
            "company": company,
            "today": today,
            "rows": rows,
            "totals": self.env[
                "report.collections_workflow.report_collection_statement"
            ]._get_currency_groups(invoices, today),
            "advisor": customer.collection_advisor_id,
            "promises": holds["collection.promise"],
            "plans": holds["collection.payment.plan"],
            "max_instalments": MAX_PAGE_INSTALMENTS,
        }

    @api.model
    def _get_late_label(self, invoice, today):
        days = (today - invoice.invoice_date_due).days if invoice.invoice_date_due else 0
        if days <= 0:
            return False
        return self.env._("%(days)s days late", days=days)

    @api.model
    def _get_holds(self, customer, company):
        """The customer's running promises and plans, and its requests the advisor
        declined in the last month: what the page answers."""
        since = customer.collection_as_of_date - timedelta(days=30)
        domain = [
            ("partner_id", "=", customer.id),
            ("company_id", "=", company.id),
            "|",
            ("state", "=", "open"),
            "&",
            ("page_request", "=", "declined"),
            ("write_date", ">=", since),
        ]
        return {
            model: self.env[model].sudo().search(domain)
            for model in ("collection.promise", "collection.payment.plan")
        }

    @api.model
    def _get_invoices(self, customer, company, invoice_ids, payable=False):
        """The customer's open invoices among ``invoice_ids``, in one currency, which it
        may promise or plan (or pay, when ``payable``): anything else is refused,
        whoever's it is."""
        customer = customer.with_company(company)
        invoice_ids = {int(invoice_id) for invoice_id in invoice_ids or ()}
        invoices = customer.collection_open_invoice_ids.filtered(
            lambda move: move.id in invoice_ids
        )
        if not invoice_ids:
            raise ValidationError(self.env._("Choose at least one invoice."))
        if len(invoices) != len(invoice_ids):
            raise ValidationError(self.env._("Choose among your open invoices."))
        held = invoices.filtered(lambda move: move.collection_status not in PAGE_STATUSES)
        if held and not payable:
            statuses = dict(held._fields["collection_status"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "Invoice %(invoice)s already has an answer: %(status)s.",
                    invoice=held[0].name,
                    status=statuses[held[0].collection_status],
                )
            )
        if len(invoices.currency_id) > 1:
            raise ValidationError(
                self.env._(
                    "Choose invoices in one currency: a payment, a promise or a plan has one."
                )
            )
        return invoices

    @api.model
    def _get_instalment(self, customer, company, instalment_id):
        """The instalment ``instalment_id`` of one of the customer's running plans, still
        to pay; anything else is refused, whoever's it is."""
        instalment = (
            self.env["collection.payment.plan.instalment"].sudo().browse(instalment_id).exists()
        )
        plan = instalment.plan_id
        if (
            not instalment
            or plan.partner_id != customer
            or plan.company_id != company
            or plan.state != "open"
            or instalment.state == "paid"
        ):
            raise ValidationError(self.env._("This instalment is not yours to pay, or is paid."))
        return instalment

    @api.model
    def _propose_promise(self, customer, company, invoice_ids, promise_date, amount):
        """Record the customer's promise to pay: at once within its strategy's limits,
        else as a request to its advisor. Either way it holds the reminders, and the
        advisor gets a task on the customer's file."""
        invoices = self._get_invoices(customer, company, invoice_ids)
        today = customer.with_company(company).collection_as_of_date
        currency = invoices.currency_id
        due = sum(invoices.mapped("amount_residual"))
        if not promise_date or promise_date < today:
            raise ValidationError(self.env._("Choose a date from today on."))
        if currency.compare_amounts(amount, 0.0) <= 0 or currency.compare_amounts(amount, due) > 0:
            raise ValidationError(
                self.env._(
                    "Choose an amount above zero and up to what the invoices owe, %(due)s.",
                    due=currency.format(due),
                )
            )
        strategies = invoices.collection_strategy_id
        max_days = min(strategies.mapped("page_promise_max_days"), default=0)
        min_share = max(strategies.mapped("page_promise_min_share"), default=100.0)
        within = (
            max_days > 0
            and promise_date <= today + timedelta(days=max_days)
            and currency.compare_amounts(amount, currency.round(due * min_share / 100.0)) >= 0
        )
        promise = (
            self.env["collection.promise"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "invoice_ids": invoices.ids,
                    "currency_id": currency.id,
                    "amount": amount,
                    "promise_date": promise_date,
                    "channel": "portal",
                    "page_request": False if within else "requested",
                }
            )
        )
        # the advisor reads it in its own language, whichever the customer's
        env = self._get_advisor_env(promise)
        promise = promise.with_env(env)
        if within:
            summary = env._(
                "Promise made on the customer page: %(promise)s.", promise=promise.display_name
            )
        else:
            summary = env._(
                "Promise asked on the customer page, beyond the strategy's limits (%(days)s "
                "days, %(share)s %%): accept or decline %(promise)s.",
                days=max_days,
                share=formatLang(env, min_share, digits=1 if min_share % 1 else 0),
                promise=promise.display_name,
            )
        promise._notify_advisors(today, {promise: summary})
        return promise

    @api.model
    def _request_plan(self, customer, company, invoice_ids, count, first_date):
        """Agree the customer's payment plan of ``count`` monthly instalments from
        ``first_date``: at once within its strategy's limits, else as a request to its
        advisor. The instalments split what the invoices owe evenly, the last one taking
        the rounding."""
        invoices = self._get_invoices(customer, company, invoice_ids)
        today = customer.with_company(company).collection_as_of_date
        if not first_date or first_date < today:
            raise ValidationError(self.env._("Choose a first payment date from today on."))
        if not 1 <= count <= MAX_PAGE_INSTALMENTS:
            raise ValidationError(
                self.env._("Choose from 1 to %(count)s instalments.", count=MAX_PAGE_INSTALMENTS)
            )
        currency = invoices.currency_id
        due = sum(invoices.mapped("amount_residual"))
        share = currency.round(due / count)
        amounts = [share] * (count - 1) + [currency.round(due - share * (count - 1))]
        strategies = invoices.collection_strategy_id
        max_count = min(strategies.mapped("page_plan_max_instalments"), default=0)
        first_days = min(strategies.mapped("page_plan_first_days"), default=0)
        within = count <= max_count and first_date <= today + timedelta(days=first_days)
        plan = (
            self.env["collection.payment.plan"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "invoice_ids": invoices.ids,
                    "currency_id": currency.id,
                    "page_request": False if within else "requested",
                    "instalment_ids": [
                        Command.create(
                            {"date": first_date + relativedelta(months=index), "amount": amount}
                        )
                        for index, amount in enumerate(amounts)
                    ],
                }
            )
        )
        env = self._get_advisor_env(plan)
        plan = plan.with_env(env)
        if within:
            summary = env._(
                "Payment plan agreed on the customer page: %(plan)s.", plan=plan.display_name
            )
        else:
            summary = env._(
                "Payment plan asked on the customer page, beyond the strategy's limits "
                "(%(count)s instalments, the first within %(days)s days): accept or "
                "decline %(plan)s.",
                count=max_count,
                days=first_days,
                plan=plan.display_name,
            )
        plan._notify_advisors(today, {plan: summary})
        return plan

    @api.model
    def _get_advisor_env(self, record):
        """The environment of ``record`` in its advisor's language (else its company's)."""
        lang = record.advisor_id.user_id.lang or record.company_id.partner_id.lang
        return record.with_context(lang=lang).env

    @api.model
    def _get_statement_pdf(self, customer, company):
        """The customer's statement PDF, traced on its collections file."""
        report = self.env["ir.actions.report"].sudo().with_company(company)
        pdf = report._render_qweb_pdf(
            "collections_workflow.action_report_collection_statement", customer.ids
        )[0]
        files = self.env["collection.file"]._get_files(customer, company)
        files[customer]._message_log(
            body=self.env._("Statement downloaded from the customer page.")
        )
        return pdf
