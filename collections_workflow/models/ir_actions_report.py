# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _collection_can_batch_pdf(self):
        """Whether wkhtmltopdf converts several documents in one call (patched Qt only:
        Debian's build refuses, see ``_run_wkhtmltopdf``)."""
        return _wkhtml().is_patched_qt

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        # the addon's documents print many at a time (the day's letters): with an
        # unpatched wkhtmltopdf, each is converted on its own (or read from the PDF kept
        # on its record), then Odoo merges them
        if (
            res_ids
            and len(res_ids) > 1
            and len(set(res_ids)) == len(res_ids)
            and not self._collection_can_batch_pdf()
            and self._get_report(report_ref).report_name.startswith("collections_workflow.")
        ):
            streams = {}
            for res_id in res_ids:
                single = super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
                streams[res_id] = single[res_id]
            return streams
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
