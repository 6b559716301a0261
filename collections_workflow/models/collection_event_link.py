# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import tracking


class CollectionEventLink(models.Model):
    """A link of a tracked collections message: where it leads, and when it was clicked.

    The run writes them as it renders its messages (the message's ``key`` is then on its
    event, see ``collection.event.tracking_key``); the redirect route counts the clicks.
    """

    _name = "collection.event.link"
    _description = "Collections Message Link"
    _order = "id"

    key = fields.Char(required=True, index=True, readonly=True)
    ref = fields.Char(required=True, readonly=True)
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], required=True, readonly=True)
    target = fields.Selection(tracking.TARGETS, required=True, readonly=True)
    url = fields.Char(string="URL", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    clicked_at = fields.Datetime(string="First Click", readonly=True)
    click_count = fields.Integer(string="Clicks", readonly=True)

    _key_ref_uniq = models.Constraint("UNIQUE(key, ref)", "A message's links are numbered once.")

    @api.model
    def _track(self, bodies, channel, company, prefix, html_body=True):
        """``bodies`` (``{key: body}``) with their links tracked, the links written; the
        links' refs start with ``prefix`` (one letter per kind of message)."""
        base = company.get_base_url()
        tracked, vals_list = {}, []
        for key, body in bodies.items():
            tracked[key], links = tracking.rewrite(body or "", key, base, prefix, html_body)
            if html_body:
                tracked[key] += tracking.pixel(key, base)
            vals_list += [
                {
                    "key": key,
                    "ref": ref,
                    "channel": channel,
                    "target": target,
                    "url": url,
                    "company_id": company.id,
                }
                for ref, url, target in links
            ]
        # the run's own record, which no user writes
        self.sudo().create(vals_list)
        return tracked

    def _record_click(self):
        """The first click's time, and one more click; its event's first click too."""
        self.ensure_one()
        now = fields.Datetime.now()
        self.sudo().write(
            {"clicked_at": self.clicked_at or now, "click_count": self.click_count + 1}
        )
        event = (
            self.env["collection.event"].sudo().search([("tracking_key", "=", self.key)], limit=1)
        )
        if event and not event.clicked_at:
            event.write({"clicked_at": now})
