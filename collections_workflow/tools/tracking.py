# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which links of a message are tracked, and how they are rewritten.

A tracked message has a random key; each of its web links becomes
``<base>/collections/r/<key>/<ref>`` (``ref``: the channel's letter and the link's number),
which records the click and redirects to the link, and an
email also carries a pixel, ``<base>/collections/o/<key>.gif``. Phone and email links stay
as they are: a redirect cannot open the phone or the mail client everywhere.
"""

import html
import re

HREF = re.compile(r'href="(https?://[^"]+)"')
TEXT_URL = re.compile(r"https?://[^\s<>\"']+")

TARGETS = [
    ("pay", "Payment Link"),
    ("page", "Customer Page"),
    ("advisor", "Advisor (WhatsApp)"),
    ("other", "Other Link"),
]


def classify(url):
    """What a link of a collections message leads to."""
    if "/my/invoices/" in url or "/instalment/" in url:
        return "pay"
    if "/collections/" in url or "/my/collections" in url:
        return "page"
    if url.startswith(("https://wa.me/", "https://api.whatsapp.com/")):
        return "advisor"
    return "other"


def rewrite(body, key, base, prefix, html_body=True):
    """``(body, links)``: ``body`` with its web links going through the tracking route of
    ``key``, and ``[(ref, url, target)]`` of the links rewritten (the same link twice is
    one), their refs starting with ``prefix`` (the channel's letter)."""
    refs = {}
    links = []

    def tracked(url):
        if url.startswith(f"{base}/collections/r/"):
            return url
        if url not in refs:
            refs[url] = f"{prefix}{len(refs) + 1}"
            links.append((refs[url], url, classify(url)))
        return f"{base}/collections/r/{key}/{refs[url]}"

    if html_body:
        body = HREF.sub(
            lambda match: f'href="{html.escape(tracked(html.unescape(match[1])))}"',
            body,
        )
    else:
        # a sentence's last stop is not part of its link
        body = TEXT_URL.sub(
            lambda match: tracked(match[0].rstrip(".,;:!?)"))
            + match[0][len(match[0].rstrip(".,;:!?)")) :],
            body,
        )
    return body, links


def pixel(key, base):
    """The HTML of an email's open pixel."""
    return (
        f'<img src="{base}/collections/o/{key}.gif" alt="" width="1" height="1" '
        'style="display: block; border: 0; width: 1px; height: 1px;"/>'
    )
