# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import pilot as pilot_tools

# metric: (denominator that must not be zero for a customer to count, higher is better,
# whether it is a percentage: its values and intervals stay within 0-100)
METRICS = {
    "cei": ("collectable", True, True),
    "dso": ("sales", False, False),
    "overdue_ratio": ("ar_end", False, True),
    "days_late": ("paid_amount", False, False),
    "paid7_ratio_email": ("sent_email", True, True),
    "open_ratio_email": ("sent_email", True, True),
    "click_ratio_email": ("sent_email", True, True),
    "promise_kept_ratio": ("promises_closed", True, True),
}


class CollectionPilotResult(models.TransientModel):
    """One KPI of a pilot: each group's mean over its customers with its 95% confidence
    interval, and the difference (challenger minus control) with its own."""

    _name = "collection.pilot.result"
    _description = "Strategy Pilot Result"
    _order = "id"

    pilot_id = fields.Many2one("collection.pilot", required=True, ondelete="cascade")
    metric = fields.Selection(
        [
            ("cei", "CEI (%)"),
            ("dso", "DSO"),
            ("overdue_ratio", "Overdue (%)"),
            ("days_late", "Average Days Late"),
            ("paid7_ratio_email", "Paid within 7 Days of an Email (%)"),
            ("open_ratio_email", "Emails Opened (%)"),
            ("click_ratio_email", "Emails Clicked (%)"),
            ("promise_kept_ratio", "Promises Kept (%)"),
        ],
        required=True,
    )
    challenger_mean = fields.Float(digits=(16, 2))
    challenger_low = fields.Float(string="Challenger: 95% Low", digits=(16, 2))
    challenger_high = fields.Float(string="Challenger: 95% High", digits=(16, 2))
    challenger_count = fields.Integer(string="Challenger Customers")
    control_mean = fields.Float(digits=(16, 2))
    control_low = fields.Float(string="Control: 95% Low", digits=(16, 2))
    control_high = fields.Float(string="Control: 95% High", digits=(16, 2))
    control_count = fields.Integer(string="Control Customers")
    difference = fields.Float(digits=(16, 2))
    difference_low = fields.Float(string="Difference: 95% Low", digits=(16, 2))
    difference_high = fields.Float(string="Difference: 95% High", digits=(16, 2))
    significant = fields.Boolean()
    verdict = fields.Selection(
        [
            ("challenger", "Challenger Better"),
            ("control", "Current Strategy Better"),
            ("none", "No Significant Difference"),
            ("insufficient", "Not Enough Data Yet"),
        ]
    )

    @api.model
    def _open_for(self, pilot):
        """Compute the pilot's results and open them."""
        self.search([("pilot_id", "=", pilot.id)]).unlink()
        self.create(self._prepare_results(pilot))
        action = self.env["ir.actions.actions"]._for_xml_id(
            "collections_workflow.collection_pilot_result_action"
        )
        action["domain"] = [("pilot_id", "=", pilot.id)]
        action["name"] = self.env._("Results of %(pilot)s", pilot=pilot.name)
        return action

    @api.model
    def _prepare_results(self, pilot):
        members = pilot.member_ids
        date_from = pilot.date_start or fields.Date.context_today(self)
        date_to = pilot.date_end or fields.Date.context_today(self)
        kpis = self.env["collection.kpi"]._compute(
            date_from, date_to, "customer", partners=members.partner_id
        )
        groups = {
            group: [member.partner_id.id for member in members if member.group == group]
            for group in ("challenger", "control")
        }
        days = (date_to - date_from).days
        vals_list = []
        for metric, (denominator, higher_is_better, percent) in METRICS.items():
            samples = {
                group: [
                    kpis[partner][metric]
                    for partner in partners
                    if partner in kpis
                    and self._denominator(kpis[partner], denominator)
                    and kpis[partner][metric] is not None
                ]
                for group, partners in groups.items()
            }
            challenger = pilot_tools.mean_ci(samples["challenger"])
            control = pilot_tools.mean_ci(samples["control"])
            difference, low, high, significant = pilot_tools.difference_ci(
                samples["challenger"], samples["control"]
            )
            enough = pilot_tools.enough_data(challenger[3], control[3], days)
            significant = significant and enough
            verdict = "none" if enough else "insufficient"
            if significant:
                verdict = "challenger" if (difference > 0) == higher_is_better else "control"
            # a mean between its bounds: 0-100 for a percentage, 0 and up otherwise
            mean_bounds = (0.0, 100.0 if percent else None)
            difference_bounds = (-100.0, 100.0) if percent else (None, None)
            vals_list.append(
                {
                    "pilot_id": pilot.id,
                    "metric": metric,
                    "challenger_mean": challenger[0],
                    "challenger_low": pilot_tools.bounded(challenger[1], *mean_bounds),
                    "challenger_high": pilot_tools.bounded(challenger[2], *mean_bounds),
                    "challenger_count": challenger[3],
                    "control_mean": control[0],
                    "control_low": pilot_tools.bounded(control[1], *mean_bounds),
                    "control_high": pilot_tools.bounded(control[2], *mean_bounds),
                    "control_count": control[3],
                    "difference": difference,
                    "difference_low": pilot_tools.bounded(low, *difference_bounds),
                    "difference_high": pilot_tools.bounded(high, *difference_bounds),
                    "significant": significant,
                    "verdict": verdict,
                }
            )
        return vals_list

    @api.model
    def _denominator(self, kpis, name):
        if name == "collectable":
            return kpis["ar_begin"] + kpis["sales"] - kpis["current_end"]
        return kpis[name]
