# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What changed in data that is noupdate:

- the shipped Standard strategy's messages go one per customer and day: each shipped level
  still on its shipped template per invoice moves to the template per customer;
- the customers' record rules reach their contacts and their creation: they are written
  again as the security file now says;
- what collections wrote on the customers' own chatter moves to their collections files;
- the users of advisors and supervisors open Odoo on Collections.
"""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

RULES = (
    "res_partner_rule_collections_advisor_write",
    "res_partner_rule_collections_supervisor_write",
    "res_partner_rule_collections_manager",
)
# level: (template field, its shipped template's name)
LEVELS = {
    "collection_level_standard_before_due": ("email_template_id", "before_due"),
    "collection_level_standard_due_today": ("email_template_id", "due_today"),
    "collection_level_standard_overdue": ("email_template_id", "overdue"),
    "collection_level_standard_letter": ("letter_template_id", "formal_letter"),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})

    def ref(xmlid):
        return env.ref(f"collections_workflow.{xmlid}", raise_if_not_found=False)

    for level_xmlid, (fname, template) in LEVELS.items():
        level = ref(level_xmlid)
        shipped = ref(f"mail_template_collection_{template}")
        if not level or level.group_invoices or not shipped or level[fname] != shipped:
            continue
        vals = {
            "group_invoices": True,
            fname: ref(f"mail_template_collection_{template}_customer").id,
        }
        if level.use_sms and level.sms_template_id == ref("sms_template_collection_due_today"):
            vals["sms_template_id"] = ref("sms_template_collection_due_today_customer").id
        elif level.use_sms:
            continue
        level.write(vals)
    _update_rules(env)
    env["collection.file"]._move_from_customers()
    # advisors and supervisors already linked open Odoo on Collections
    env["collection.staff"].search([("user_id", "!=", False)])._set_home_actions()


def _update_rules(env):
    tree = etree.parse(file_path("collections_workflow/security/collections_workflow_security.xml"))
    for xmlid in RULES:
        rule = env.ref(f"collections_workflow.{xmlid}", raise_if_not_found=False)
        record = tree.find(f".//record[@id='{xmlid}']")
        if rule and record is not None:
            rule.write(
                {
                    "name": record.findtext("field[@name='name']"),
                    "domain_force": record.findtext("field[@name='domain_force']").strip(),
                    "perm_create": True,
                }
            )
