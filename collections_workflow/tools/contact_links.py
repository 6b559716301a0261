"""One-click contact links that a customer can use from an e-mail, an SMS or a portal."""

from urllib.parse import quote


def tel_link(number):
    """Return a ``tel:`` link for an E.164 number, or False."""
    return f"tel:{number}" if number else False


def mailto_link(email, subject=None):
    """Return a ``mailto:`` link, with an optional URL-encoded subject, or False."""
    if not email:
        return False
    link = f"mailto:{email}"
    if subject:
        link += "?subject=" + quote(subject, safe="")
    return link


def whatsapp_link(number, text=None):
    """Return a WhatsApp click-to-chat link (``https://wa.me/<digits>``).

    ``text`` is pre-filled in the customer's chat box, URL-encoded.
    """
    digits = "".join(char for char in number or "" if char.isdigit())
    if not digits:
        return False
    link = f"https://wa.me/{digits}"
    if text:
        link += "?text=" + quote(text, safe="")
    return link
