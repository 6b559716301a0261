# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import DUE, CollectionRunCase


@tagged("post_install", "-at_install")
class TestCollectionCharges(CollectionRunCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.fee_product, cls.interest_product = cls.env["product.product"].create(
            [
                {"name": "Late-payment fee", "type": "service", "taxes_id": [Command.clear()]},
                {
                    "name": "Late-payment interest",
                    "type": "service",
                    "taxes_id": [Command.clear()],
                },
            ]
        )
        cls.fee_level = cls.level[7]
        cls.fee_level.write(
            {
                "charge_type": "fixed",
                "charge_amount": 15.0,
                "charge_product_id": cls.fee_product.id,
            }
        )
        cls.interest_level = cls.level[30]
        # charged on the first run: these invoices were never reminded
        cls.interest_level.requires_contact = False

    def _charge_invoices(self):
        return self.env["account.move"].search([("collection_charge_level_id", "!=", False)])

    def _draft(self, partner, **vals):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Next delivery", "quantity": 1, "price_unit": 300.0, "tax_ids": []}
                    )
                ],
                **vals,
            }
        )

    def test_fixed_fee_one_draft_invoice_per_customer(self):
        billing = self.env["res.partner"].create(
            {
                "name": "Pagos Andes",
                "parent_id": self.customer_bruno.id,
                "type": "invoice",
                "email": "cobranza@andes.example.com",
            }
        )
        first = self._invoice(self.customer_bruno, amount=1000.0)
        second = self._invoice(billing, amount=500.0)
        other = self._invoice(self.customer_carla, amount=200.0)
        with freeze_time(DUE + timedelta(days=7)):
            events = self.Run._run()
        charges = self._charge_invoices()
        self.assertEqual(len(charges), 2, "one draft charge invoice per customer")
        self.assertRecordValues(
            charges.sorted(lambda move: move.partner_id.name),
            [
                {
                    "partner_id": self.customer_bruno.id,
                    "move_type": "out_invoice",
                    "state": "draft",
                    "auto_post": "no",
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "collection_charge_level_id": self.fee_level.id,
                    "amount_untaxed": 30.0,
                    "amount_total": 30.0,
                },
                {
                    "partner_id": self.customer_carla.id,
                    "move_type": "out_invoice",
                    "state": "draft",
                    "auto_post": "no",
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "collection_charge_level_id": self.fee_level.id,
                    "amount_untaxed": 15.0,
                    "amount_total": 15.0,
                },
            ],
        )
        bruno = charges.filtered(lambda move: move.partner_id == self.customer_bruno)
        self.assertRecordValues(
            bruno.invoice_line_ids.sorted("name"),
            [
                {
                    "name": f"Late-payment fee on {first.name} (7 days late)",
                    "product_id": self.fee_product.id,
                    "quantity": 1.0,
                    "price_unit": 15.0,
                },
                {
                    "name": f"Late-payment fee on {second.name} (7 days late)",
                    "product_id": self.fee_product.id,
                    "quantity": 1.0,
                    "price_unit": 15.0,
                },
            ],
        )
        carla = charges - bruno
        self.assertEqual(
            carla.invoice_line_ids.name, f"Late-payment fee on {other.name} (7 days late)"
        )
        # each invoice's event says where its charge went
        done = events.filtered(lambda event: event.state == "done")
        self.assertEqual(done.invoice_id, first | second | other)
        for event in done:
            charge = charges.filtered(lambda move, event=event: move.partner_id == event.partner_id)
            self.assertEqual(
                event.note,
                f"Late-payment charge of {event.currency_id.format(15.0)} on "
                f"{event.invoice_id.name} added to the draft invoice #{charge.id}, for "
                "accounting to validate.",
            )

        # the following runs, up to the hand-over, neither charge again nor post anything
        self._run_days(DUE + timedelta(days=7), DUE + timedelta(days=90))
        self.assertEqual(self._charge_invoices(), charges)
        self.assertEqual(charges.mapped("state"), ["draft", "draft"])
        self.assertEqual(len(bruno.invoice_line_ids), 2)
        self.assertFalse(charges.collection_event_ids, "a draft is not collected")
        self.assertEqual(first.collection_status, "handed_over")

    def test_interest_pro_rated_by_days_late(self):
        self.interest_level.write(
            {
                "charge_type": "interest",
                "charge_rate": 2.0,
                "charge_product_id": self.interest_product.id,
            }
        )
        on_time = self._invoice(self.customer_bruno, amount=1000.0)
        earlier = self._invoice(self.customer_carla, amount=1000.0, due=DUE - timedelta(days=15))
        partly_paid = self._invoice(self.customer_elena, amount=1000.0)
        with freeze_time(DUE + timedelta(days=1)):
            self._register_payment(partly_paid, amount=400.0)
        self.assertEqual(partly_paid.amount_residual, 600.0)
        with freeze_time(DUE + timedelta(days=30)):
            self.Run._run()
        lines = self._charge_invoices().invoice_line_ids
        by_invoice = {
            invoice: lines.filtered(lambda line, invoice=invoice: invoice.name in line.name)
            for invoice in (on_time, earlier, partly_paid)
        }
        # 1000.00 x 2 / 100 x 30 / 30; 1000.00 x 2 / 100 x 45 / 30; 600.00 x 2 / 100 x 30 / 30
        self.assertEqual(by_invoice[on_time].price_unit, 20.0)
        self.assertEqual(by_invoice[earlier].price_unit, 30.0)
        self.assertEqual(by_invoice[partly_paid].price_unit, 12.0)
        self.assertEqual(
            by_invoice[earlier].name,
            f"Late-payment interest on {earlier.name} (45 days late)",
        )
        self.assertEqual(lines.move_id.mapped("state"), ["draft"] * 3)

    def test_charge_in_invoice_currency(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_bruno.id,
                "currency_id": self.eur.id,
                "invoice_date": DUE - timedelta(days=30),
                "invoice_date_due": DUE,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Servicio", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        with freeze_time(DUE + timedelta(days=7)):
            self.Run._run()
        charge = self._charge_invoices()
        self.assertEqual(charge.currency_id, self.eur)
        # 15.00 in the company's currency, at 2 EUR for 1 (the test rates)
        self.assertEqual(charge.amount_total, 30.0)

    def test_next_invoice_mode_adds_a_line_to_the_latest_draft(self):
        self.fee_level.charge_mode = "next_invoice"
        older = self._draft(self.customer_bruno)
        latest = self._draft(self.customer_bruno)
        # a draft set to post itself would post the charge without a human
        self._draft(self.customer_bruno, auto_post="at_date", invoice_date=DUE + timedelta(days=60))
        invoice = self._invoice(self.customer_bruno)
        other = self._invoice(self.customer_carla)
        with freeze_time(DUE + timedelta(days=7)):
            self.Run._run()
        self.assertEqual(len(older.invoice_line_ids), 1)
        self.assertRecordValues(
            latest.invoice_line_ids.sorted("id"),
            [
                {"name": "Next delivery", "price_unit": 300.0},
                {"name": f"Late-payment fee on {invoice.name} (7 days late)", "price_unit": 15.0},
            ],
        )
        self.assertRecordValues(
            latest, [{"state": "draft", "amount_total": 315.0, "collection_charge_level_id": False}]
        )
        # a customer without a draft invoice gets a new one
        charge = self._charge_invoices()
        self.assertEqual(charge.partner_id, self.customer_carla)
        self.assertEqual(
            charge.invoice_line_ids.name, f"Late-payment fee on {other.name} (7 days late)"
        )
        self.assertEqual(charge.state, "draft")

    def test_each_level_charges_once(self):
        self.interest_level.write(
            {
                "charge_type": "interest",
                "charge_rate": 1.5,
                "charge_product_id": self.interest_product.id,
            }
        )
        invoice = self._invoice(self.customer_bruno)
        with freeze_time(DUE + timedelta(days=7)):
            self.Run._run()
            self.Run._run()
        self._run_days(DUE + timedelta(days=7), DUE + timedelta(days=40))
        charges = self._charge_invoices()
        self.assertEqual(charges.collection_charge_level_id, self.fee_level | self.interest_level)
        self.assertRecordValues(
            charges.sorted(lambda move: move.collection_charge_level_id.day_offset),
            [
                {"state": "draft", "amount_total": 15.0},
                {"state": "draft", "amount_total": 15.0},  # 1000.00 x 1.5 / 100 x 30 / 30
            ],
        )
        self.assertEqual(len(charges.invoice_line_ids), 2)
        charged = invoice.collection_event_ids.filtered(
            lambda event: "Late-payment charge" in (event.note or "")
        )
        self.assertEqual(charged.level_id, self.fee_level | self.interest_level)

    def test_nothing_charged_before_the_due_date_is_past(self):
        self.level[0].write(
            {
                "charge_type": "interest",
                "charge_rate": 2.0,
                "charge_product_id": self.interest_product.id,
            }
        )
        self.level[-3].write(
            {
                "charge_type": "fixed",
                "charge_amount": 15.0,
                "charge_product_id": self.fee_product.id,
            }
        )
        self._invoice(self.customer_bruno)
        self._run_days(DUE - timedelta(days=3), DUE)
        self.assertFalse(self._charge_invoices())

    def test_charge_needs_a_product_and_an_amount(self):
        level = self.level[3]
        with self.assertRaisesRegex(ValidationError, f"Level {level.name} .*Charge Product"):
            level.write({"charge_type": "fixed", "charge_amount": 15.0})
        with self.assertRaisesRegex(ValidationError, "Monthly Interest .* more than zero"):
            level.write({"charge_type": "interest", "charge_product_id": self.fee_product.id})
        level.write(
            {
                "charge_type": "fixed",
                "charge_amount": 15.0,
                "charge_product_id": self.fee_product.id,
            }
        )
        self.assertEqual(level.charge_mode, "invoice")
