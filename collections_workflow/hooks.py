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
