# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a customer's reply to a reminder says, when its words are clear.

Plain Python (no Odoo): ``read_reply(text, today)`` returns the intent ("dispute",
"paid", "promise" or None) and, for a promise, the date it names, if any. The phrases
are Latin American Spanish and English; a dispute outweighs a payment, which outweighs
a promise ("we did not receive it, we will not pay" is a dispute).
"""

import re
import unicodedata
from datetime import date, timedelta

# the characters of a reply read for its meaning: a customer writes at the top, the rest
# is mostly the quoted reminder (and a huge email would cost seconds to read whole)
MAX_TEXT = 20000

DISPUTE = (
    "no recibi",
    "no recibimos",
    "no ha llegado",
    "no llego",
    "nunca llego",
    "no corresponde",
    "error en la factura",
    "factura erronea",
    "factura incorrecta",
    "mal facturad",
    "cobro indebido",
    "cobro duplicado",
    "factura duplicada",
    "reclamo",
    "disputa",
    "precio incorrecto",
    "cantidad incorrecta",
    "defectuos",
    "en mal estado",
    "not received",
    "never arrived",
    "wrong invoice",
    "invoice is wrong",
    "incorrect invoice",
    "incorrect amount",
    "overcharged",
    "duplicate invoice",
    "dispute",
    "damaged",
    "defective",
)
PAID = (
    "ya pague",
    "ya pagamos",
    "ya se pago",
    "ya fue pagad",
    "ya esta pagad",
    "ya realizamos el pago",
    "ya hicimos el pago",
    "ya cancelamos",
    "ya esta cancelad",
    "ya fue cancelad",
    "pago realizado",
    "transferencia realizada",
    "comprobante de pago",
    "adjunto comprobante",
    "adjunto el comprobante",
    "already paid",
    "has been paid",
    "was paid",
    "we paid",
    "i paid",
    "payment was made",
    "proof of payment",
    "payment confirmation",
)
PROMISE = (
    "pagare",
    "pagaremos",
    "vamos a pagar",
    "voy a pagar",
    "realizaremos el pago",
    "haremos el pago",
    "transferiremos",
    "depositaremos",
    "se pagara",
    "el pago se hara",
    "podremos pagar",
    "will pay",
    "we'll pay",
    "i'll pay",
    "going to pay",
    "will transfer",
    "payment will be",
)
WEEKDAYS = {
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
}
DATE_RE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?\b")


def normalize(text):
    """Lower case, without accents, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


def _has(text, phrases):
    return any(re.search(r"(?<!\w)" + re.escape(phrase), text) for phrase in phrases)


def _negated_promise(text):
    return _has(
        text, ("no pagaremos", "no vamos a pagar", "no pagare", "won't pay", "will not pay")
    )


def find_date(text, today):
    """The first date the text names: dd/mm[/yyyy], a weekday, tomorrow; else None.

    A day and month without a year is the next such day from ``today``; a weekday is
    the next one after ``today``.
    """
    text = normalize(text)
    match = DATE_RE.search(text)
    if match:
        day, month, year = match.groups()
        try:
            if year:
                year = int(year) + (2000 if len(year) == 2 else 0)
                return date(year, int(month), int(day))
            found = date(today.year, int(month), int(day))
            return found if found >= today else date(today.year + 1, int(month), int(day))
        except ValueError:
            return None
    if _has(text, ("pasado manana", "day after tomorrow")):
        return today + timedelta(days=2)
    if _has(text, ("manana", "tomorrow")):
        return today + timedelta(days=1)
    for name, weekday in WEEKDAYS.items():
        if re.search(r"(?<!\w)" + name + r"(?!\w)", text):
            return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if _has(text, ("proxima semana", "next week")):
        return today + timedelta(days=7)
    return None


def read_reply(text, today):
    """``(intent, promised date)`` of a reply; ``(None, None)`` when it is not clear."""
    text = normalize(text)
    if _has(text, DISPUTE) or _negated_promise(text):
        return "dispute", None
    if _has(text, PAID):
        return "paid", None
    if _has(text, PROMISE):
        return "promise", find_date(text, today)
    return None, None
