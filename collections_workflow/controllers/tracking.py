# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, http
from odoo.http import request

# a transparent 1x1 GIF
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


class CollectionTracking(http.Controller):
    """The opens and clicks of the run's tracked messages (see tools/tracking.py)."""

    @http.route("/collections/o/<string:key>.gif", type="http", auth="public", methods=["GET"])
    def collection_open(self, key, **kwargs):
        """An email opened: its event's first open, recorded once."""
        # the run's events are its own record: written as the superuser
        event = (
            request.env["collection.event"]
            .sudo()
            .search([("tracking_key", "=", key), ("opened_at", "=", False)], limit=1)
        )
        if event:
            event.write({"opened_at": fields.Datetime.now()})
        return request.make_response(
            PIXEL,
            headers=[
                ("Content-Type", "image/gif"),
                ("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"),
            ],
        )

    @http.route(
        "/collections/r/<string:key>/<string:ref>", type="http", auth="public", methods=["GET"]
    )
    def collection_click(self, key, ref, **kwargs):
        """A link clicked: counted, then followed (only to the link the run wrote)."""
        link = (
            request.env["collection.event.link"]
            .sudo()
            .search([("key", "=", key), ("ref", "=", ref)], limit=1)
        )
        if not link:
            raise request.not_found()
        link._record_click()
        return request.redirect(link.url, code=303, local=False)
