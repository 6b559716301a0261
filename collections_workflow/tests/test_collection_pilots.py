# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from ..tools import pilot as pilot_tools
from .common import DUE, CollectionRunCase

START = DUE - timedelta(days=40)


@tagged("post_install", "-at_install")
class TestCollectionPilots(CollectionRunCase):
    """A manager tries a challenger strategy on a share of a segment, compares both
    groups, then adopts it or stops."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sme = cls.env["res.partner.category"].create({"name": "PYME"})
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Pyme {index:02d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "category_id": [(6, 0, cls.sme.ids)],
                    "email": f"pagos{index}@pyme.example.com",
                    "collection_advisor_id": cls.bruno.id,
                }
                for index in range(40)
            ]
        )
        cls.Pilot = cls.env["collection.pilot"]

    def _pilot(self, **values):
        return self.Pilot.create(
            {
                "name": "Llamar antes a las PYME",
                "incumbent_strategy_id": self.standard.id,
                "challenger_strategy_id": self.strategic.id,
                "partner_category_ids": [(6, 0, self.sme.ids)],
                "share": 50.0,
                "seed": "pilot-test",
                **values,
            }
        )

    def _start(self, pilot):
        with freeze_time(START):
            pilot.action_start()

    def _groups(self, pilot):
        members = pilot.member_ids
        return (
            members.filtered(lambda m: m.group == "challenger").partner_id,
            members.filtered(lambda m: m.group == "control").partner_id,
        )

    def test_assignment_is_stable_and_follows_the_hash(self):
        pilot = self._pilot()
        self._start(pilot)
        challengers, controls = self._groups(pilot)
        self.assertEqual(len(challengers | controls), 40)
        expected = self.customers.filtered(
            lambda partner: pilot_tools.is_challenger("pilot-test", partner.id, 50.0)
        )
        self.assertEqual(challengers, expected)
        self.assertTrue(challengers and controls)
        # the same draw on another run: a copy of the pilot with the same seed
        again = self._pilot(name="Otra vez")
        self.assertEqual(
            self.customers.filtered(
                lambda partner: pilot_tools.is_challenger(again.seed, partner.id, 50.0)
            ),
            expected,
        )
        # customers outside the segment (no tag) stay out
        self.assertNotIn(self.customer_bruno, pilot.member_ids.partner_id)
        with self.assertRaisesRegex(UserError, "one pilot at a time"):
            self._start(again)

    def test_each_customer_follows_one_strategy(self):
        pilot = self._pilot()
        earlier = self._invoice(self.customers[0])
        self._start(pilot)
        challengers, controls = self._groups(pilot)
        challenger, control = challengers[0], controls[0]
        self.assertEqual(self._invoice(challenger).collection_strategy_id, self.strategic)
        self.assertEqual(self._invoice(control).collection_strategy_id, self.standard)
        expected = self.strategic if self.customers[0] in challengers else self.standard
        self.assertEqual(earlier.collection_strategy_id, expected)
        # stop: everyone back to the current strategy; the pilot's history stays
        with freeze_time(DUE + timedelta(days=20)):
            pilot.action_stop()
        self.assertEqual(pilot.state, "stopped")
        self.assertEqual(self._invoice(challenger).collection_strategy_id, self.standard)
        self.assertEqual(earlier.collection_strategy_id, self.standard)
        self.assertEqual(len(pilot.member_ids), 40)
        with self.assertRaisesRegex(UserError, "not running"):
            pilot.action_adopt()

    def test_adopt_moves_the_whole_segment(self):
        pilot = self._pilot()
        self._start(pilot)
        invoice = self._invoice(self._groups(pilot)[1][0])
        self.assertEqual(invoice.collection_strategy_id, self.standard)
        pilot.action_adopt()
        self.assertEqual(pilot.state, "adopted")
        self.assertEqual(set(self.customers.mapped("collection_strategy_id")), {self.strategic})
        self.assertEqual(invoice.collection_strategy_id, self.strategic)
        self.assertEqual(self._invoice(self.customers[1]).collection_strategy_id, self.strategic)

    def _challengers_pay_on_time(self):
        """A started pilot whose challenger customers pay on their due date, the others
        not at all; returns the pilot and its groups."""
        pilot = self._pilot()
        self._start(pilot)
        challengers, controls = self._groups(pilot)
        invoices = {partner: self._invoice(partner, 1000.0) for partner in challengers | controls}
        for partner in challengers:
            with freeze_time(DUE):
                self._register_payment(invoices[partner], amount=1000.0, payment_date=DUE)
        return pilot, challengers, controls

    def test_compare_shows_a_significant_difference(self):
        pilot, challengers, controls = self._challengers_pay_on_time()
        with freeze_time(DUE + timedelta(days=30)):
            action = pilot.action_compare()
            results = self.env["collection.pilot.result"].search(action["domain"])
        overdue = results.filtered(lambda r: r.metric == "overdue_ratio")
        self.assertEqual(overdue.challenger_count + overdue.control_count, len(controls))
        dso = results.filtered(lambda r: r.metric == "dso")
        self.assertEqual(dso.challenger_count, len(challengers))
        self.assertEqual(dso.control_count, len(controls))
        self.assertAlmostEqual(dso.challenger_mean, 0.0)
        self.assertGreater(dso.control_mean, 0.0)
        self.assertTrue(dso.significant)
        self.assertEqual(dso.verdict, "challenger")
        self.assertLess(dso.difference_high, 0)
        # a supervisor compares within its team: Diego's team has none of these customers
        with freeze_time(DUE + timedelta(days=30)):
            action = pilot.with_user(self.user_diego).action_compare()
            theirs = (
                self.env["collection.pilot.result"]
                .with_user(self.user_diego)
                .search(action["domain"])
            )
        dso = theirs.filtered(lambda r: r.metric == "dso")
        self.assertEqual((dso.challenger_count, dso.control_count), (0, 0))

    def test_compare_right_after_the_start_says_not_enough_data(self):
        pilot = self._challengers_pay_on_time()[0]
        with freeze_time(START + timedelta(days=3)):
            action = pilot.action_compare()
            results = self.env["collection.pilot.result"].search(action["domain"])
        self.assertEqual(set(results.mapped("verdict")), {"insufficient"})
        self.assertFalse(any(results.mapped("significant")))
        for result in results.filtered(lambda r: r.metric in ("cei", "overdue_ratio")):
            for bound in (result.challenger_low, result.challenger_high, result.control_low):
                self.assertTrue(0 <= bound <= 100, "a percentage's interval stays a percentage")

    def test_only_a_manager_runs_pilots(self):
        pilot = self._pilot()
        with self.assertRaises(AccessError):
            pilot.with_user(self.user_ana).action_start()
        with self.assertRaises(AccessError):
            self.Pilot.with_user(self.user_bruno).search([])
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._pilot(share=0)
        with self.assertRaisesRegex(ValidationError, "other than the current"):
            self._pilot(challenger_strategy_id=self.standard.id)
