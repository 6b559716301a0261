# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import models

# compiled inline templates of the current collections runs, by (run, source, options)
_COMPILED = {}
_COMPILED_MAX = 256


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template once per collections run, not once per record.

        Mail templates are inline QWeb: the mail renderer parses and compiles them again
        for every record, which costs more than the rest of a reminder. Within a daily run
        (marked by the ``collections_qweb_cache`` context key) the compiled code is kept
        and reused for the next records; the key names the run, so nothing outlives it.
        """
        run_key = self.env.context.get("collections_qweb_cache")
        if not run_key or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            run_key,
            etree.tostring(template),
            tuple(self.env.context.get(name) or False for name in self._get_template_cache_keys()),
        )
        if key not in _COMPILED:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[key] = super()._compile(template)
        return _COMPILED[key]
