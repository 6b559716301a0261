"""Does a message template name the company and the advisor? (pure Python)

Every collection message must say who is writing: the company, and the customer's advisor.
The check reads the template's source, in which both appear as expressions such as
``object.company_id.name`` and ``object.collection_advisor_id.name``.
"""

import re

COMPANY = re.compile(r"\bcompany(_id)?\b|\bcompany_id\.|\.company\b")
ADVISOR = re.compile(r"\bcollection_advisor_")
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
