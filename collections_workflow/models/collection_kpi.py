# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL, formatLang

from ..tools import channels

# how each KPI groups: the column of the invoice (and of events, promises, disputes)
GROUPS = {
    "company": "company_id",
    "supervisor": "collection_supervisor_id",
    "advisor": "collection_advisor_id",
    "strategy": "collection_strategy_id",
    "company_advisor": ("company_id", "collection_advisor_id"),
    "customer": "commercial_partner_id",
}
EVENT_GROUPS = {
    "company": "company_id",
    "supervisor": "supervisor_id",
    "advisor": "advisor_id",
    "strategy": "strategy_id",
    "company_advisor": ("company_id", "advisor_id"),
    "customer": "partner_id",
}
CHANNELS = channels.MESSAGES
# the messages whose links are tracked (see tools/tracking.py)
TRACKED = ("email", "sms")
# the documents whose open amount makes the receivables (see _get_receivable_domain)
RECEIVABLE_MOVE_TYPES = ("out_invoice", "out_receipt", "out_refund")
# the period of the KPIs every view shows by default (DSO and CEI: the usual quarter)
PERIOD_DAYS = 90
# the ratios whose denominator may be empty: None ("n/a") then, never 0
RATIOS = (
    "dso",
    "best_dso",
    "add",
    "cei",
    "overdue_ratio",
    "days_to_pay",
    "days_late",
    "promise_kept_ratio",
    "plan_kept_ratio",
    *(f"paid7_ratio_{channel}" for channel in CHANNELS),
    "open_ratio_email",
    *(f"click_ratio_{channel}" for channel in TRACKED),
)


class CollectionKpi(models.AbstractModel):
    """Collection KPIs for a period, per company, supervisor, advisor or strategy.

    Everything is read from stored data in a handful of SQL queries, within the records
    the current user may read (record rules apply): customer invoices and their
    reconciliations (amounts in the company's currency), collection events, promises and
    disputes. The formulas are written down in the README (section "KPIs").
    """

    _name = "collection.kpi"
    _description = "Collection KPIs"

    # ------------------------------------------------------------------ definitions
    @api.model
    def _get_receivable_domain(self):
        """The receivables, defined once for every figure of the addon (overview, KPIs,
        KPI report, supervisor report, aging): the open amount of the posted customer
        invoices and receipts minus the open amount of the posted customer credit notes,
        that is their residual in the company's currency, signed
        (``amount_residual_signed``: negative for a credit note), as Odoo's aged
        receivable adds up the customers' open receivable items."""
        return Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "in", RECEIVABLE_MOVE_TYPES),
                ("amount_residual", "!=", 0),
            ]
        )

    @api.model
    def _get_receivable_sql(self, alias):
        """``_get_receivable_domain`` for SQL on ``account_move AS alias``, whatever its
        open amount (the KPIs read it at a date)."""
        return SQL(
            "%s = 'posted' AND %s IN %s",
            SQL.identifier(alias, "state"),
            SQL.identifier(alias, "move_type"),
            RECEIVABLE_MOVE_TYPES,
        )

    @api.model
    def _get_period(self, today):
        """The period (first day, last day) of the KPIs shown by default: the PERIOD_DAYS
        days up to ``today``, the same for the overview, the KPI report and the
        supervisor report, so that the same scope gives the same figures."""
        return today - timedelta(days=PERIOD_DAYS - 1), today

    @api.model
    def _format_ratio(self, value, digits=1):
        """A ratio as it reads: "n/a" when it has no value (an empty denominator)."""
        if value is None or value is False:
            return self.env._("n/a")
        return formatLang(self.env, value, digits=digits)

    @api.model
    def _compute(self, date_from, date_to, group="company", partners=None):
        """``{group id: {kpi: value}}`` for the period from ``date_from`` to ``date_to``
        (both included). Group id None gathers what has no such group; with
        ``company_advisor`` the keys are (company id, advisor id) pairs. ``partners``
        (commercial partners) limits the KPIs to those customers."""
        result = defaultdict(self._empty)
        days = (date_to - date_from).days + 1
        self = self.with_context(
            collection_kpi_partner_ids=None if partners is None else tuple(partners.ids)
        )
        for row in self._read_receivables(date_from, date_to, group):
            kpis = result[self._key(row.pop("grp"))]
            kpis.update({key: value or 0.0 for key, value in row.items()})
        for row in self._read_events(date_from, date_to, group):
            kpis = result[self._key(row.pop("grp"))]
            kpis.update({key: value or 0 for key, value in row.items()})
        for grp, closed, kept in self._read_promises(date_from, date_to, group):
            result[self._key(grp)].update(promises_closed=closed, promises_kept=kept)
        for grp, closed, kept in self._read_plans(date_from, date_to, group):
            result[self._key(grp)].update(plans_closed=closed, plans_kept=kept)
        for grp, count, age in self._read_disputes(date_to, group):
            result[self._key(grp)].update(disputes_open=count, dispute_age=float(age or 0.0))
        for kpis in result.values():
            self._derive(kpis, days)
        return dict(result)

    @api.model
    def _compute_one(self, date_from, date_to, group, key):
        """The KPIs of one group (``_compute``'s key ``key``), empty ones when it has
        none: what the overview and the supervisor report show of a scope."""
        kpis = self._compute(date_from, date_to, group).get(key)
        return kpis or self._derive(self._empty(), (date_to - date_from).days + 1)

    @api.model
    def _key(self, grp):
        return tuple(grp) if isinstance(grp, list) else grp

    @api.model
    def _group_column(self, alias, columns):
        if isinstance(columns, str):
            return SQL.identifier(alias, columns)
        return SQL("ARRAY[%s]", SQL(", ").join(SQL.identifier(alias, column) for column in columns))

    @api.model
    def _empty(self):
        values = dict.fromkeys(
            (
                "sales",
                "ar_begin",
                "ar_end",
                "current_end",
                "overdue_end",
                "collected",
                "paid_amount",
                "days_to_pay_weighted",
                "days_late_weighted",
                "promises_closed",
                "promises_kept",
                "plans_closed",
                "plans_kept",
                "disputes_open",
                "dispute_age",
            ),
            0.0,
        )
        for channel in CHANNELS:
            values[f"sent_{channel}"] = 0
            values[f"paid7_{channel}"] = 0
        values["opened_email"] = 0
        for channel in TRACKED:
            values[f"clicked_{channel}"] = 0
        return values

    @api.model
    def _derive(self, kpis, days):
        """The ratios, from the sums (see the README for the formulas and sources).

        A ratio whose denominator is empty (no credit sales in the period for the DSO,
        nothing paid, no promise closed...) is None, shown "n/a": neither 0 nor a huge
        number."""

        def ratio(numerator, denominator, factor=1.0):
            return numerator / denominator * factor if denominator > 0 else None

        sales, ar_end = kpis["sales"], kpis["ar_end"]
        kpis["dso"] = ratio(ar_end, sales, days)
        kpis["best_dso"] = ratio(kpis["current_end"], sales, days)
        kpis["add"] = None if kpis["dso"] is None else kpis["dso"] - kpis["best_dso"]
        collectable = kpis["ar_begin"] + sales - kpis["current_end"]
        kpis["cei"] = ratio(kpis["ar_begin"] + sales - ar_end, collectable, 100)
        kpis["overdue_ratio"] = ratio(kpis["overdue_end"], ar_end, 100)
        paid = kpis["paid_amount"]
        kpis["days_to_pay"] = ratio(kpis["days_to_pay_weighted"], paid)
        kpis["days_late"] = ratio(kpis["days_late_weighted"], paid)
        kpis["promise_kept_ratio"] = ratio(kpis["promises_kept"], kpis["promises_closed"], 100)
        kpis["plan_kept_ratio"] = ratio(kpis["plans_kept"], kpis["plans_closed"], 100)
        for channel in CHANNELS:
            kpis[f"paid7_ratio_{channel}"] = ratio(
                kpis[f"paid7_{channel}"], kpis[f"sent_{channel}"], 100
            )
        kpis["open_ratio_email"] = ratio(kpis["opened_email"], kpis["sent_email"], 100)
        for channel in TRACKED:
            kpis[f"click_ratio_{channel}"] = ratio(
                kpis[f"clicked_{channel}"], kpis[f"sent_{channel}"], 100
            )
        return kpis

    # ------------------------------------------------------------------ queries
    @api.model
    def _scope(self, model, alias, partner_column="partner_id"):
        """``alias.id IN (the records of ``model`` the user may read)``, and of the
        customers the KPIs are limited to, if any."""
        query = self.env[model]._search([])
        scope = SQL("%s IN %s", SQL.identifier(alias, "id"), query.subselect())
        partner_ids = self.env.context.get("collection_kpi_partner_ids")
        if partner_ids is not None:
            scope = SQL(
                "%s AND %s IN %s",
                scope,
                SQL.identifier(alias, partner_column),
                partner_ids or (0,),
            )
        return scope

    @api.model
    def _read_receivables(self, date_from, date_to, group):
        """Per group: credit sales of the period (net of credit notes), receivables at its
        start and end (all, not yet due, overdue), collected, and the paid invoices' days
        to pay and days late.

        The receivables are those of ``_get_receivable_domain`` read at a date: each
        document's amount (company currency, signed) less what was reconciled with it by
        then, as Odoo computes its residual. At today's date they are the residuals."""
        column = self._group_column("move", GROUPS[group])
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH inv AS (
                    SELECT move.id, %(column)s AS grp, move.amount_total_signed AS amount,
                           move.move_type != 'out_refund' AS is_invoice,
                           move.invoice_date, move.invoice_date_due AS due
                      FROM account_move move
                     WHERE %(receivable)s
                       AND move.invoice_date <= %(date_to)s
                       AND %(scope)s
                ),
                applied AS (
                    -- a reconciliation lowers the open amount of an invoice (its debit
                    -- side) and of a credit note (its credit side) alike
                    SELECT line.move_id AS inv_id, part.max_date,
                           CASE WHEN part.debit_move_id = line.id THEN part.amount
                                ELSE -part.amount END AS amount,
                           part.debit_move_id = line.id
                               AND other_move.move_type != 'out_refund' AS is_payment
                      FROM inv
                      JOIN account_move_line line ON line.move_id = inv.id
                      JOIN account_partial_reconcile part
                        ON line.id IN (part.debit_move_id, part.credit_move_id)
                      JOIN account_move_line other_line
                        ON other_line.id = CASE WHEN part.debit_move_id = line.id
                                                THEN part.credit_move_id
                                                ELSE part.debit_move_id END
                      JOIN account_move other_move ON other_move.id = other_line.move_id
                     WHERE line.display_type = 'payment_term'
                ),
                paid AS (
                    SELECT inv_id,
                           SUM(amount) FILTER (WHERE max_date < %(date_from)s) AS before_start,
                           SUM(amount) FILTER (WHERE max_date <= %(date_to)s) AS by_end,
                           SUM(amount) FILTER (
                               WHERE max_date BETWEEN %(date_from)s AND %(date_to)s
                                 AND is_payment
                           ) AS collected,
                           MAX(max_date) FILTER (WHERE max_date <= %(date_to)s) AS last_paid
                      FROM applied
                  GROUP BY inv_id
                ),
                item AS (
                    SELECT inv.*, inv.amount - COALESCE(paid.by_end, 0) AS open_end,
                           inv.amount - COALESCE(paid.before_start, 0) AS open_begin,
                           COALESCE(paid.collected, 0) AS collected, paid.last_paid
                      FROM inv LEFT JOIN paid ON paid.inv_id = inv.id
                )
                SELECT grp,
                       SUM(amount) FILTER (WHERE invoice_date >= %(date_from)s) AS sales,
                       SUM(open_begin) FILTER (WHERE invoice_date < %(date_from)s) AS ar_begin,
                       SUM(open_end) AS ar_end,
                       SUM(open_end) FILTER (WHERE due >= %(date_to)s) AS current_end,
                       SUM(open_end) FILTER (WHERE due < %(date_to)s) AS overdue_end,
                       SUM(collected) AS collected,
                       SUM(amount) FILTER (WHERE %(fully_paid)s) AS paid_amount,
                       SUM(amount * (last_paid - invoice_date)) FILTER (WHERE %(fully_paid)s)
                           AS days_to_pay_weighted,
                       SUM(amount * GREATEST(last_paid - due, 0)) FILTER (WHERE %(fully_paid)s)
                           AS days_late_weighted
                  FROM item
              GROUP BY grp
                """,
                column=column,
                date_from=date_from,
                date_to=date_to,
                receivable=self._get_receivable_sql("move"),
                scope=self._scope("account.move", "move", "commercial_partner_id"),
                fully_paid=SQL(
                    "is_invoice AND ABS(open_end) < 0.005 AND last_paid BETWEEN %s AND %s",
                    date_from,
                    date_to,
                ),
            )
        )
        return [
            {
                key: float(value) if key != "grp" and value is not None else value
                for key, value in row.items()
            }
            for row in self.env.cr.dictfetchall()
        ]

    @api.model
    def _read_events(self, date_from, date_to, group):
        """Per group and channel: messages sent in the period, how many of them a payment
        of the customer followed within 7 days, and how many were opened (emails) or had
        a link clicked (emails, SMS)."""
        column = self._group_column("event", EVENT_GROUPS[group])
        for model in ("collection.event", "account.move", "account.move.line"):
            self.env[model].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        counts = SQL(", ").join(
            SQL(
                "COUNT(*) FILTER (WHERE event.%(sent)s) AS %(sent)s, "
                "COUNT(*) FILTER (WHERE event.%(sent)s AND paid.found) AS %(paid7)s",
                sent=SQL.identifier(f"sent_{channel}"),
                paid7=SQL.identifier(f"paid7_{channel}"),
            )
            for channel in CHANNELS
        )
        clicks = SQL(", ").join(
            SQL(
                "COUNT(*) FILTER (WHERE event.%(sent)s AND EXISTS ("
                "SELECT 1 FROM collection_event_link link WHERE link.key = event.tracking_key "
                "AND link.channel = %(channel)s AND link.clicked_at IS NOT NULL)) AS %(clicked)s",
                sent=SQL.identifier(f"sent_{channel}"),
                channel=channel,
                clicked=SQL.identifier(f"clicked_{channel}"),
            )
            for channel in TRACKED
        )
        self.env["collection.event.link"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH sent AS (
                    SELECT event.*
                      FROM collection_event event
                     WHERE event.state = 'done'
                       AND event.date BETWEEN %(date_from)s AND %(date_to)s
                       AND (%(any_sent)s)
                       AND %(scope)s
                ),
                payment AS (
                    SELECT DISTINCT line.partner_id, line.company_id, part.max_date
                      FROM account_partial_reconcile part
                      JOIN account_move_line line ON line.id = part.debit_move_id
                      JOIN account_move_line credit_line ON credit_line.id = part.credit_move_id
                      JOIN account_move credit_move ON credit_move.id = credit_line.move_id
                     WHERE part.max_date BETWEEN %(date_from)s AND %(date_to)s::date + 7
                       AND credit_move.move_type != 'out_refund'
                       AND line.partner_id IN (SELECT partner_id FROM sent)
                ),
                followed AS (
                    SELECT event.id, BOOL_OR(payment.partner_id IS NOT NULL) AS found
                      FROM sent event
                 LEFT JOIN payment ON payment.partner_id = event.partner_id
                                  AND payment.company_id = event.company_id
                                  AND payment.max_date BETWEEN event.date AND event.date + 7
                  GROUP BY event.id
                )
                SELECT %(column)s AS grp, %(counts)s, %(clicks)s,
                       COUNT(*) FILTER (WHERE event.sent_email AND event.opened_at IS NOT NULL)
                           AS opened_email
                  FROM sent event
                  JOIN followed paid ON paid.id = event.id
              GROUP BY 1
                """,
                column=column,
                counts=counts,
                clicks=clicks,
                date_from=date_from,
                date_to=date_to,
                scope=self._scope("collection.event", "event"),
                any_sent=SQL(" OR ").join(
                    SQL("event.%s", SQL.identifier(channels.sent_field(message)))
                    for message in CHANNELS
                ),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _group_of_hold(self, table, group):
        """The group column of a promise, a plan or a dispute (the strategy: of its
        invoices)."""
        if group != "strategy":
            return self._group_column("hold", EVENT_GROUPS[group])
        relation = f"{table}_account_move_rel"
        key = {"collection_promise": "promise_id", "collection_payment_plan": "plan_id"}.get(
            table, "dispute_id"
        )
        return SQL(
            "(SELECT MIN(move.collection_strategy_id) FROM %s rel "
            "JOIN account_move move ON move.id = rel.move_id WHERE rel.%s = hold.id)",
            SQL.identifier(relation),
            SQL.identifier(key),
        )

    @api.model
    def _read_promises(self, date_from, date_to, group):
        """Per group: the promises due in the period and closed, and those kept."""
        return self._read_closed_holds(
            "collection.promise",
            "promise_date",
            ("kept", "partial", "broken"),
            date_from,
            date_to,
            group,
        )

    @api.model
    def _read_plans(self, date_from, date_to, group):
        """Per group: the payment plans that ended in the period (their last instalment's
        date, or the day they broke), kept or broken, and those kept."""
        return self._read_closed_holds(
            "collection.payment.plan", "end_date", ("kept", "broken"), date_from, date_to, group
        )

    @api.model
    def _read_closed_holds(self, model, date_field, closed_states, date_from, date_to, group):
        """Per group: the records of ``model`` (promises, plans) closed in one of
        ``closed_states`` whose ``date_field`` is in the period, and those kept."""
        self.env[model].flush_model()
        self.env["account.move"].flush_model(["collection_strategy_id"])
        table = self.env[model]._table
        self.env.cr.execute(
            SQL(
                """
                SELECT %(column)s, COUNT(*), COUNT(*) FILTER (WHERE hold.state = 'kept')
                  FROM %(table)s hold
                 WHERE %(date)s BETWEEN %(date_from)s AND %(date_to)s
                   AND hold.state IN %(closed)s
                   AND %(scope)s
              GROUP BY 1
                """,
                column=self._group_of_hold(table, group),
                table=SQL.identifier(table),
                date=SQL.identifier("hold", date_field),
                date_from=date_from,
                date_to=date_to,
                closed=tuple(closed_states),
                scope=self._scope(model, "hold"),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _read_disputes(self, date_to, group):
        """Per group: the disputes open at the end of the period, and their average age."""
        self.env["collection.dispute"].flush_model()
        self.env["account.move"].flush_model(["collection_strategy_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT %(column)s, COUNT(*), AVG(%(date_to)s::date - hold.date_open)
                  FROM collection_dispute hold
                 WHERE hold.date_open <= %(date_to)s
                   AND hold.state != 'cancelled'
                   AND (hold.date_closed IS NULL OR hold.date_closed > %(date_to)s)
                   AND %(scope)s
              GROUP BY 1
                """,
                column=self._group_of_hold("collection_dispute", group),
                date_to=date_to,
                scope=self._scope("collection.dispute", "hold"),
            )
        )
        return self.env.cr.fetchall()
