# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain


class CollectionCharge(models.AbstractModel):
    """Late-payment charges of a collection level, added to draft customer invoices.

    The daily run adds them; accounting checks and posts them. Nothing here posts an
    invoice, and the charge invoices are created with ``auto_post`` off.
    """

    _name = "collection.charge"
    _description = "Collection Late-Payment Charges"

    @api.model
    def _create_charges(self, level, invoices, today):
        """Charge the overdue ``invoices`` reaching ``level`` ``today`` for paying late.

        One line per invoice charged, on one draft invoice per customer and currency: a
        new draft, or, when the level adds its charges to the next invoice, the
        customer's latest draft invoice. Returns ``(charges, refusals)``: the charge line
        of each invoice charged, and why the charge of an invoice was refused.
        """
        amounts, refusals = self._get_charge_amounts(level, invoices, today)
        if not amounts:
            return {}, refusals
        by_target = defaultdict(list)
        for invoice in amounts:
            by_target[invoice.commercial_partner_id, invoice.currency_id].append(invoice)
        targets = {}
        if level.charge_mode == "next_invoice":
            targets = self._get_next_invoices(level, list(by_target))
        missing = [key for key in by_target if key not in targets]
        new_moves = (
            self.env["account.move"]
            .with_company(level.company_id)
            .create(
                [
                    self._prepare_charge_move_vals(level, partner, currency)
                    for partner, currency in missing
                ]
            )
        )
        targets.update(zip(missing, new_moves, strict=True))
        charged = [invoice for key_invoices in by_target.values() for invoice in key_invoices]
        lines = self.env["account.move.line"].create(
            [
                self._prepare_charge_line_vals(
                    level,
                    invoice,
                    amounts[invoice],
                    targets[invoice.commercial_partner_id, invoice.currency_id],
                    today,
                )
                for invoice in charged
            ]
        )
        return dict(zip(charged, lines, strict=True)), refusals

    @api.model
    def _get_days_late(self, invoice, today):
        return (today - invoice.invoice_date_due).days

    @api.model
    def _get_charge_amounts(self, level, invoices, today):
        """``(charges, refusals)``: what ``level`` charges each invoice ``today`` (its
        amount and kind), and why it charges nothing where the customer's contact profile
        refuses the charge.

        A profile with collection fee brackets caps every fee (Chile: after 20 days
        late, 9/6/3 % by UF bracket); interest follows its own rate. A level with the
        country preset charges the profile's fee, else its yearly interest.
        """
        Profile = self.env["collection.contact.profile"]
        profiles = Profile._get_for_customers(invoices.commercial_partner_id, level.company_id)
        amounts, refusals = {}, {}
        for invoice in invoices:
            profile = profiles[invoice.commercial_partner_id]
            if self._get_days_late(invoice, today) <= 0 or invoice.collection_charge_level_id:
                continue
            kind = self._get_charge_kind(level, profile)
            # the law caps collection fees; interest follows its own rate
            capped = profile and kind == "fee"
            cap, reason = profile._get_max_fee(invoice, today) if capped else (None, False)
            amount = self._get_charge_amount(level, invoice, today, profile)
            if reason:
                # the profile allows no fee at all today
                refusals[invoice] = reason
                continue
            if invoice.currency_id.is_zero(amount):
                continue
            if cap is not None and invoice.currency_id.compare_amounts(amount, cap) > 0:
                refusals[invoice] = self.env._(
                    "Charge of %(amount)s on %(invoice)s refused: %(profile)s caps collection "
                    "charges at %(cap)s for this debt (%(law)s).",
                    amount=invoice.currency_id.format(amount),
                    invoice=invoice.name,
                    profile=profile.name,
                    cap=invoice.currency_id.format(cap),
                    law=profile.legal_source or "-",
                )
                continue
            amounts[invoice] = (amount, kind)
        return amounts, refusals

    @api.model
    def _get_charge_kind(self, level, profile):
        """``fee`` or ``interest``: how the charge line of ``level`` is named."""
        if level.charge_type == "country":
            return "fee" if profile.fee_bracket_ids else "interest"
        return "interest" if level.charge_type == "interest" else "fee"

    @api.model
    def _get_charge_amount(self, level, invoice, today, profile=None):
        """What ``level`` charges ``invoice`` ``today``, in the invoice's currency.

        Only invoices past their due date are charged, and never a charge invoice itself
        (no interest on interest).
        """
        days_late = self._get_days_late(invoice, today)
        if days_late <= 0 or invoice.collection_charge_level_id:
            return 0.0
        currency = invoice.currency_id
        if level.charge_type == "fixed":
            return level.currency_id._convert(
                level.charge_amount, currency, invoice.company_id, today
            )
        if level.charge_type == "interest":
            return currency.round(
                invoice.amount_residual * level.charge_rate / 100 * days_late / 30
            )
        if level.charge_type == "country" and profile:
            if profile.fee_bracket_ids:
                fee, _reason = profile._get_max_fee(invoice, today)
                return currency.round(fee)
            return currency.round(
                invoice.amount_residual * profile.interest_rate_yearly / 100 * days_late / 365
            )
        return 0.0

    @api.model
    def _get_next_invoices_domain(self, level, partners, currencies):
        # a draft set to post itself would post the charge without a human: left alone
        return Domain(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "draft"),
                ("auto_post", "=", "no"),
                ("company_id", "=", level.company_id.id),
                ("commercial_partner_id", "in", partners.ids),
                ("currency_id", "in", currencies.ids),
                ("collection_charge_level_id", "=", False),
            ]
        )

    @api.model
    def _get_next_invoices(self, level, keys):
        """The latest draft customer invoice of each (customer, currency) in ``keys``.

        Invoices created only to hold charges are not "next invoices": each keeps the
        charges of the one level that created it.
        """
        partners = self.env["res.partner"].union(*(partner for partner, __ in keys))
        currencies = self.env["res.currency"].union(*(currency for __, currency in keys))
        drafts = self.env["account.move"].search(
            self._get_next_invoices_domain(level, partners, currencies), order="id desc"
        )
        targets = {}
        for draft in drafts:
            key = (draft.commercial_partner_id, draft.currency_id)
            if key in keys:
                targets.setdefault(key, draft)
        return targets

    @api.model
    def _prepare_charge_move_vals(self, level, partner, currency):
        return {
            "move_type": "out_invoice",
            "company_id": level.company_id.id,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "auto_post": "no",
            "collection_charge_level_id": level.id,
        }

    @api.model
    def _prepare_charge_line_vals(self, level, invoice, charge, move, today):
        amount, kind = charge
        days_late = self._get_days_late(invoice, today)
        if kind == "interest":
            name = self.env._(
                "Late-payment interest on %(invoice)s (%(days)s days late)",
                invoice=invoice.name,
                days=days_late,
            )
        else:
            name = self.env._(
                "Late-payment fee on %(invoice)s (%(days)s days late)",
                invoice=invoice.name,
                days=days_late,
            )
        return {
            "move_id": move.id,
            "product_id": level.charge_product_id.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": amount,
        }

    @api.model
    def _get_charge_notes(self, invoices_by_record, charges, refusals=None):
        """A note per record of the run naming the charges added for its invoices, and
        those refused."""
        refusals = refusals or {}
        notes = {}
        for record, invoices in invoices_by_record.items():
            lines = [refusals[invoice] for invoice in invoices if invoice in refusals] + [
                self.env._(
                    "Late-payment charge of %(amount)s on %(invoice)s added to the draft "
                    "invoice %(draft)s, for accounting to validate.",
                    amount=charges[invoice].currency_id.format(charges[invoice].price_unit),
                    invoice=invoice.name,
                    draft=self._get_draft_reference(charges[invoice].move_id),
                )
                for invoice in invoices
                if invoice in charges
            ]
            if lines:
                notes[record] = "\n".join(lines)
        return notes

    @api.model
    def _get_draft_reference(self, move):
        # a draft that was never posted has no number yet
        return move.name if move.name and move.name != "/" else f"#{move.id}"
