# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..tools import aging, qr


class CollectionStatementReport(models.AbstractModel):
    """The account statement PDF: a customer's open invoices and their aging."""

    _name = "report.collections_workflow.report_collection_statement"
    _description = "Collections Account Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        customers = self.env["res.partner"].browse(docids)
        today = fields.Date.context_today(self)
        by_customer = {}
        for customer in customers:
            invoices = customer.collection_open_invoice_ids
            by_customer[customer.id] = {
                "invoices": invoices,
                "currencies": self._get_currency_groups(invoices, today),
            }
        invoices = self.env["account.move"].concat(
            *(lines["invoices"] for lines in by_customer.values())
        )
        return {
            "doc_ids": docids,
            "qr_codes": self._get_qr_codes(invoices),
            "doc_model": "res.partner",
            "docs": customers,
            "today": today,
            "statement": by_customer,
            "buckets": [
                ("not_due", self.env._("Not due")),
                ("1_30", self.env._("1-30 days")),
                ("31_60", self.env._("31-60 days")),
                ("61_90", self.env._("61-90 days")),
                ("91_120", self.env._("91-120 days")),
                ("over_120", self.env._("Over 120 days")),
            ],
        }

    @api.model
    def _get_currency_groups(self, invoices, today):
        """One group per currency of ``invoices`` (amounts of two currencies never add
        up): ``{"currency", "invoices", "total", "aging": {bucket: amount}}``."""
        return [
            {
                "currency": currency,
                "invoices": group,
                "total": sum(group.mapped("amount_residual")),
                "aging": aging.aging(
                    [(invoice.invoice_date_due, invoice.amount_residual) for invoice in group],
                    today,
                ),
            }
            for currency, group in invoices.grouped("currency_id").items()
        ]

    @api.model
    def _get_qr_codes(self, invoices):
        """``{invoice id: data URI}``: a QR code of each invoice's payment link, embedded in
        the PDF (the PDF renderer fetches nothing; see tools/qr.py)."""
        return {invoice.id: qr.qr_data_uri(invoice.collection_payment_url) for invoice in invoices}
