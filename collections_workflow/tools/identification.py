"""Does a message template name the company and the advisor? (pure Python)

Every collection message must say who is writing: the company, and the customer's advisor.
The check reads the template's source, in which both appear as expressions such as
``object.company_id.name`` and ``object.collection_advisor_id.name``.
"""

import re

COMPANY = re.compile(r"\bcompany(_id)?\b|\bcompany_id\.|\.company\b")
ADVISOR = re.compile(r"\bcollection_advisor_")
# the amount owed, and the date it was computed on
AMOUNT = re.compile(
    r"\b(amount_residual|amount_total|amount_due|collection_level_amount|collection_open_amount)\b"
)
AS_OF = re.compile(r"\bcollection_as_of_date\b")
# how to settle: the online payment link, the payment reference, or whom to call to agree on it
SETTLEMENT = re.compile(
    r"\b(collection_payment_url|collection_payment_qr_url|collection_page_url|collection_pay_url"
    r"|payment_reference"
    r"|partner_bank_id"
    r"|collection_advisor_whatsapp_url)\b|\badvisor(_id)?\.(phone|phone_link)\b"
)
# what the message never shows: HTML comments
HIDDEN = re.compile(r"<!--.*?(-->|$)", re.DOTALL)


def missing_identification(source):
    """What the template's source does not name: a subset of ``("company", "advisor")``."""
    source = HIDDEN.sub("", source or "")
    missing = []
    if not COMPANY.search(source):
        missing.append("company")
    if not ADVISOR.search(source):
        missing.append("advisor")
    return missing


def missing_content(source, amount_date=False, settlement=False):
    """What a country's rules ask a template to say and its source does not: a subset of
    ``("amount_date", "settlement")``."""
    source = HIDDEN.sub("", source or "")
    missing = []
    if amount_date and not (AMOUNT.search(source) and AS_OF.search(source)):
        missing.append("amount_date")
    if settlement and not SETTLEMENT.search(source):
        missing.append("settlement")
    return missing
