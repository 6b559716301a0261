# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _collection_can_batch_pdf(self):
        """Whether wkhtmltopdf converts several documents in one call (patched Qt only:
        Debian's build refuses, see ``_run_wkhtmltopdf``)."""
        return _wkhtml().is_patched_qt

    def _collection_is_own_report(self, report_ref):
        return self._get_report(report_ref).report_name.startswith("collections_workflow.")

    def _collection_render_pdfs(self, report_ref, res_ids):
        """``{res_id: content}``: each document of ``res_ids`` on its own, prepared and
        rendered together (one pass over the records, as a multi-record report).

        In Odoo's test mode, which renders reports as HTML, and for the reports of other
        modules that an unpatched wkhtmltopdf cannot convert together, each is rendered
        alone.
        """
        if self._collection_can_batch_pdf() or self._collection_is_own_report(report_ref):
            rendered, kind = self._pre_render_qweb_pdf(report_ref, res_ids=list(res_ids))
            if kind == "pdf":
                return {res_id: rendered[res_id]["stream"].getvalue() for res_id in res_ids}
        return {res_id: self._render_qweb_pdf(report_ref, [res_id])[0] for res_id in res_ids}

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        # the addon's documents print many at a time (the day's letters, the statements
        # of a batch): with an unpatched wkhtmltopdf, they are rendered together, then
        # each converted on its own (or read from the PDF kept on its record)
        if (
            res_ids
            and len(res_ids) > 1
            and len(set(res_ids)) == len(res_ids)
            and not self._collection_can_batch_pdf()
            and self._collection_is_own_report(report_ref)
        ):
            return self._collection_prepare_streams_one_by_one(report_ref, data, res_ids)
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)

    def _collection_prepare_streams_one_by_one(self, report_ref, data, res_ids):
        """Odoo's streams (``{res_id: {"stream", "attachment"}}``), one conversion per
        document but one rendering of the HTML for all of them."""
        data = dict(data or {}, report_type="pdf", debug=False)
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids)
        streams = {}
        for record in records:
            attachment = report.attachment and report.retrieve_attachment(record)
            kept = attachment and report.attachment_use and attachment.mimetype == "application/pdf"
            streams[record.id] = {
                "stream": io.BytesIO(attachment.raw) if kept else None,
                "attachment": attachment or None,
            }
        missing = [res_id for res_id, stream in streams.items() if not stream["stream"]]
        if not missing:
            return streams
        html = self.with_context(debug=False)._render_qweb_html(report_ref, missing, data=data)[0]
        bodies, html_ids, header, footer, paperformat_args = report.with_context(
            debug=False
        )._prepare_html(html, report_model=report.model)
        if len(bodies) != len(missing) or set(html_ids) != set(missing):
            # a template that does not mark each document: as Odoo does, one at a time
            for res_id in missing:
                single = super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data), res_ids=[res_id]
                )
                streams[res_id]["stream"] = single[res_id]["stream"]
            return streams
        for body, res_id in zip(bodies, html_ids, strict=True):
            content = self._run_wkhtmltopdf(
                [body],
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=self.env.context.get("landscape"),
                specific_paperformat_args=paperformat_args,
                set_viewport_size=self.env.context.get("set_viewport_size"),
            )
            streams[res_id]["stream"] = io.BytesIO(content)
        return streams
