# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Collections Workflow",
    "summary": "Receivables collection: advisors, supervisors and the customer portfolio",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/collections-workflow/collections_workflow",
    "author": "collections_workflow contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["account", "phone_validation", "sms"],
    "external_dependencies": {"python": ["phonenumbers", "openpyxl"]},
    "data": [
        "security/collections_workflow_groups.xml",
        "security/ir.model.access.csv",
        "security/collections_workflow_security.xml",
        "data/mail_template_data.xml",
        "data/collection_template_data.xml",
        "data/collection_strategy_data.xml",
        "data/ir_cron_data.xml",
        "views/collection_staff_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/collection_strategy_views.xml",
        "views/collection_event_views.xml",
        "wizard/res_partner_collection_import_views.xml",
        "wizard/collection_run_preview_views.xml",
        "views/collection_worklist_views.xml",
        "views/collections_workflow_menus.xml",
    ],
    "demo": [
        "demo/collection_staff_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_tests": [
            "collections_workflow/static/tests/tours/**/*",
        ],
    },
}
