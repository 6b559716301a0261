# Copyright 2026 collections_workflow contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Remove the demo portfolio's invoices and their payments.

    Posted entries are never deleted by the module data clean-up, and they would keep the demo
    customers alive (and make their deletion fail). Only records this module created as demo
    data, through their XML ids, and the payments registered on them are removed.
    """
    move_ids = (
        env["ir.model.data"]
        .search([("module", "=", "collections_workflow"), ("model", "=", "account.move")])
        .mapped("res_id")
    )
    moves = env["account.move"].browse(move_ids).exists()
    if not moves:
        return
    # the demo registered its payments through the wizard, whose records still point at them
    env["account.payment.register"].search([("line_ids.move_id", "in", moves.ids)]).unlink()
    payments = moves._get_reconciled_payments()
    payments.action_draft()
    payments.with_context(force_delete=True).unlink()
    moves.filtered(lambda move: move.state == "posted").button_draft()
    moves.with_context(force_delete=True).unlink()


def post_init_hook(env):
    """Name the shipped records that have no translatable name in the company's language.

    A calendar's and a partner's names are plain text, so, as Odoo names the calendar it
    creates for a company, they are written once, translated, when the addon is installed.
    """
    lang = env.company.partner_id.lang or env.lang
    name_shipped_records(env(context=dict(env.context, lang=lang)))


def name_shipped_records(env):
    names = {
        "resource_calendar_collection_contact_hours": env._("Collections contact hours"),
        "resource_calendar_attendance_collection_0": env._("Monday"),
        "resource_calendar_attendance_collection_1": env._("Tuesday"),
        "resource_calendar_attendance_collection_2": env._("Wednesday"),
        "resource_calendar_attendance_collection_3": env._("Thursday"),
        "resource_calendar_attendance_collection_4": env._("Friday"),
        "resource_calendar_attendance_collection_5": env._("Saturday"),
        "res_partner_collection_legal_counsel": env._("Legal Counsel (Collections)"),
    }
    for xmlid, name in names.items():
        record = env.ref(f"collections_workflow.{xmlid}", raise_if_not_found=False)
        if record:
            record.name = name
    name_profile_calendars(env)


def name_profile_calendars(env):
    """The contact profiles' calendars, and their days, in the company's language."""
    weekdays = [
        env._("Monday"),
        env._("Tuesday"),
        env._("Wednesday"),
        env._("Thursday"),
        env._("Friday"),
        env._("Saturday"),
        env._("Sunday"),
    ]
    names = {
        "cl": env._("Collections: allowed hours (Chile)"),
        "pe": env._("Collections: allowed hours (Peru)"),
        "mx": env._("Collections: allowed hours (Mexico)"),
        "co": env._("Collections: allowed hours (Colombia)"),
        "default": env._("Collections: allowed hours (strict default)"),
    }
    for code, name in names.items():
        calendar = env.ref(
            f"collections_workflow.resource_calendar_collection_profile_{code}",
            raise_if_not_found=False,
        )
        if calendar:
            calendar.name = name
            for attendance in calendar.attendance_ids:
                attendance.name = weekdays[int(attendance.dayofweek)]
