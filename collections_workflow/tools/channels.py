# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The channels a level reaches a customer through: the one place that lists them.

The level's fields, the run's delivery, the contact rules, the events' flags, the KPIs and
the snapshots all read this registry: adding a channel is one entry here, its fields
(``flag`` and ``template`` on the level; ``sent_<message>`` on the event, the KPI report
and the snapshot; a cap on the company where it is capped) and its delivery method
``collection.channel._deliver_<code>``.
"""

from dataclasses import dataclass, field
from typing import NamedTuple


class Channel(NamedTuple):
    code: str
    #: the level's boolean field that turns the channel on, and its template field
    flag: str
    template: str
    #: the kind of message it sends, counted by the contact rules, events and KPIs
    message: str
    #: the company field capping its messages in any 7 days (None: only the total cap)
    cap_field: str | None
    #: whether it reaches the customer at once, and so waits for its contact hours
    live: bool
    #: how it is delivered: Odoo's mail queue, Odoo's SMS queue, the addon's outbox after
    #: the run's commit, or the record's chatter
    delivery: str


CHANNELS = (
    Channel(
        "email", "use_email", "email_template_id", "email", "collection_cap_email", True, "mail"
    ),
    Channel(
        "statement",
        "use_statement",
        "statement_template_id",
        "email",
        "collection_cap_email",
        True,
        "mail",
    ),
    Channel("sms", "use_sms", "sms_template_id", "sms", "collection_cap_sms", True, "sms"),
    Channel(
        "whatsapp",
        "use_whatsapp",
        "whatsapp_template_id",
        "whatsapp",
        "collection_cap_whatsapp",
        True,
        "outbox",
    ),
    Channel("letter", "use_letter", "letter_template_id", "letter", None, False, "outbox"),
)

#: the kinds of message, in the order reports show them; each has its event flag
MESSAGES = tuple(dict.fromkeys(channel.message for channel in CHANNELS))


def sent_field(message):
    """The event's flag for a message of that kind (``sent_email``...)."""
    return f"sent_{message}"


def cap_fields():
    """``{message: company cap field or None}``."""
    caps = {}
    for channel in CHANNELS:
        caps.setdefault(channel.message, channel.cap_field)
    return caps


def live_messages():
    return {channel.message for channel in CHANNELS if channel.live}


@dataclass
class Delivery:
    """What one level's channels and tasks did for one record (a customer or an invoice).

    Each delivery step returns ``{record: Delivery}``; the run adds them up with
    ``merge`` and records the result on the record's events.
    """

    #: the kinds of message that reached the customer (``email``, ``sms``...)
    sent: list = field(default_factory=list)
    #: why a channel did not reach it, in the user's words
    problems: list = field(default_factory=list)
    #: ``(kind, mail or False)``: what the outbox delivers after the run's commit
    outbox: list = field(default_factory=list)
    #: the queued SMS, and the letter kept for printing
    sms: object = None
    letter: str | None = None
    #: whether a call task was planned (the contact profiles limit calls per week)
    called: bool = False
    #: what the advisor is told on the customer's file (a call task refused)
    notices: list = field(default_factory=list)
    #: the key of its tracked messages (see tools/tracking.py)
    tracking_key: str | None = None

    def __add__(self, other):
        return Delivery(
            sent=self.sent + other.sent,
            problems=self.problems + other.problems,
            called=self.called or other.called,
            notices=self.notices + other.notices,
            outbox=self.outbox + other.outbox,
            sms=other.sms if other.sms is not None else self.sms,
            letter=other.letter if other.letter is not None else self.letter,
            tracking_key=other.tracking_key or self.tracking_key,
        )


def merge(*deliveries):
    """Add up ``{record: Delivery}`` mappings, record by record, in order."""
    total = {}
    for mapping in deliveries:
        for record, delivery in mapping.items():
            total[record] = total[record] + delivery if record in total else delivery
    return total
