# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..tools.channels import MESSAGES, sent_field

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]


class CollectionEffectivenessReport(models.Model):
    """What each message of the run led to: one row per step's message of one kind.

    A row is a message that went out (an event done, with its channel sent): when, in the
    customer's time zone (hour and weekday), on which channel and template, at which level;
    whether its email was opened and its links clicked (see tools/tracking.py), whether a
    payment of the customer followed within 7 days (the KPIs' definition, see
    ``collection.kpi._read_events``), and after how many days the first one came.
    """

    _name = "collection.effectiveness.report"
    _description = "Channel Effectiveness"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "event_id"
    _depends = {
        "collection.event": [
            "advisor_id",
            "company_id",
            "date",
            "invoice_id",
            "level_id",
            "opened_at",
            "partner_id",
            "state",
            "strategy_id",
            "supervisor_id",
            "tracking_key",
            *(sent_field(message) for message in MESSAGES),
        ],
        "collection.event.link": ["channel", "clicked_at", "key"],
        "account.partial.reconcile": ["max_date", "debit_move_id", "credit_move_id"],
    }

    event_id = fields.Many2one("collection.event", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    advisor_id = fields.Many2one("collection.staff", readonly=True)
    supervisor_id = fields.Many2one("collection.staff", readonly=True)
    strategy_id = fields.Many2one("collection.strategy", readonly=True)
    level_id = fields.Many2one("collection.level", readonly=True)
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("whatsapp", "WhatsApp"), ("letter", "Letter")],
        readonly=True,
    )
    mail_template_id = fields.Many2one("mail.template", string="Template", readonly=True)
    sms_template_id = fields.Many2one("sms.template", string="Text Template", readonly=True)
    hour = fields.Integer(string="Hour Sent", readonly=True, aggregator=None)
    weekday = fields.Selection(WEEKDAYS, string="Weekday Sent", readonly=True)
    sent = fields.Integer(readonly=True)
    opened = fields.Integer(readonly=True)
    clicked = fields.Integer(readonly=True)
    paid_7 = fields.Integer(string="Paid Within 7 Days", readonly=True)
    days_to_payment = fields.Float(
        string="Days to Payment",
        readonly=True,
        aggregator="avg",
        help="Days from the message to the customer's first payment after it (the day it "
        "was reconciled), for the customers who paid since.",
    )

    @property
    def _table_query(self):
        kinds = SQL(", ").join(
            SQL(
                "(%s, %s, e.%s, %s, %s)",
                index,
                message,
                SQL.identifier(sent_field(message)),
                mail_template,
                sms_template,
            )
            for index, (message, mail_template, sms_template) in enumerate(
                [
                    (
                        "email",
                        SQL("COALESCE(l.email_template_id, l.statement_template_id)"),
                        SQL("NULL::integer"),
                    ),
                    ("sms", SQL("NULL::integer"), SQL("l.sms_template_id")),
                    ("whatsapp", SQL("NULL::integer"), SQL("l.whatsapp_template_id")),
                    ("letter", SQL("l.letter_template_id"), SQL("NULL::integer")),
                ]
            )
        )
        return SQL(
            """
            WITH zones AS (SELECT name FROM pg_timezone_names)
            SELECT
                e.id * 10 + kind.position AS id,
                e.id AS event_id,
                e.date,
                e.company_id,
                e.partner_id,
                e.invoice_id,
                e.advisor_id,
                e.supervisor_id,
                e.strategy_id,
                e.level_id,
                kind.channel,
                kind.mail_template_id,
                kind.sms_template_id,
                EXTRACT(HOUR FROM local.sent_at)::integer AS hour,
                EXTRACT(ISODOW FROM local.sent_at)::varchar AS weekday,
                1 AS sent,
                CASE WHEN kind.channel = 'email' AND e.opened_at IS NOT NULL
                     THEN 1 ELSE 0 END AS opened,
                CASE WHEN EXISTS (
                    SELECT 1 FROM collection_event_link link
                    WHERE link.key = e.tracking_key AND link.channel = kind.channel
                      AND link.clicked_at IS NOT NULL
                ) THEN 1 ELSE 0 END AS clicked,
                CASE WHEN paid.paid_on <= e.date + 7 THEN 1 ELSE 0 END AS paid_7,
                paid.paid_on - e.date AS days_to_payment
            FROM collection_event e
            JOIN collection_level l ON l.id = e.level_id
            JOIN res_partner customer ON customer.id = e.partner_id
            JOIN res_company company ON company.id = e.company_id
            JOIN res_partner company_partner ON company_partner.id = company.partner_id
            LEFT JOIN zones ON zones.name = COALESCE(customer.tz, company_partner.tz)
            CROSS JOIN LATERAL (VALUES %(kinds)s)
                AS kind(position, channel, is_sent, mail_template_id, sms_template_id)
            CROSS JOIN LATERAL (
                SELECT (e.create_date AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(zones.name, 'UTC')
                    AS sent_at
            ) AS local
            LEFT JOIN LATERAL (
                -- the KPIs' "paid within 7 days": a payment of the customer (not a credit
                -- note) reconciled from the message's day on (see collection.kpi)
                SELECT MIN(part.max_date) AS paid_on
                FROM account_partial_reconcile part
                JOIN account_move_line line ON line.id = part.debit_move_id
                JOIN account_move_line credit_line ON credit_line.id = part.credit_move_id
                JOIN account_move credit_move ON credit_move.id = credit_line.move_id
                WHERE line.partner_id = e.partner_id
                  AND line.company_id = e.company_id
                  AND part.max_date >= e.date
                  AND credit_move.move_type != 'out_refund'
            ) AS paid ON TRUE
            WHERE e.state = 'done' AND kind.is_sent
            """,
            kinds=kinds,
        )
