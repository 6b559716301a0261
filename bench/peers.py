"""The peers the benchmark sets beside the addon: OCA's ``account_credit_control``.

``oca_addons_dir()`` brings the addon from PyPI into the ignored ``.local/`` folder (unzipped,
never installed into site-packages, where it would join the Odoo namespace of every run);
``measure_oca(env, today)`` times, on a database where it is installed, what its user does
each day: generate the credit lines, mark them to be sent, email them.
"""

import shutil
import subprocess
import sys
import time
import zipfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCA_DISTRIBUTION = "odoo-addon-account-credit-control"
OCA_VERSION = "19.0.1.0.0.13"
OCA_LEVELS = (10, 30, 60)


def oca_addons_dir() -> str:
    """Return the folder holding the ``account_credit_control`` addon, to append to the
    ``--addons-path``: its wheel downloaded from PyPI into ``.local/wheels`` and unzipped
    into ``.local/oca`` the first time, reused afterwards."""
    target = ROOT / ".local" / "oca"
    addons = target / "odoo" / "addons"
    wheel_name = OCA_DISTRIBUTION.replace("-", "_") + f"-{OCA_VERSION}"
    # RECORD comes last in a wheel: there, the unzipping went to its end
    if (target / f"{wheel_name}.dist-info" / "RECORD").is_file():
        return str(addons)
    wheels = ROOT / ".local" / "wheels"
    found = sorted(wheels.glob(f"{wheel_name}-*.whl"))
    if not found:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "-d",
                str(wheels),
                f"{OCA_DISTRIBUTION}=={OCA_VERSION}",
            ],
            check=True,
        )
        found = sorted(wheels.glob(f"{wheel_name}-*.whl"))
    # another version's files must not linger beside this one's
    shutil.rmtree(target, ignore_errors=True)
    with zipfile.ZipFile(found[-1]) as wheel:
        wheel.extractall(target)
    return str(addons)


def _oca_policy(env):
    """Create the benchmark's policy: e-mail levels 10, 30 and 60 days after the due date,
    with OCA's default template (its summary PDF attached) and invoice table, on every
    receivable account, and make it the company's policy (which covers every customer)."""
    from odoo.fields import Command

    company = env.company
    template = env.ref("account_credit_control.email_template_credit_control_base")
    # OCA's own first level gives the texts the levels require
    texts = env.ref("account_credit_control.3_time_1")
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.ids)]
    )
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench (email)",
            "company_id": company.id,
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": f"Email {days}",
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "channel": "email",
                        "email_template_id": template.id,
                        "mail_show_invoice_detail": True,
                        "custom_text": texts.custom_text,
                        "custom_mail_text": texts.custom_mail_text,
                    }
                )
                for level, days in enumerate(OCA_LEVELS, start=1)
            ],
        }
    )
    company.credit_policy_id = policy
    return policy


def measure_oca(env, today) -> dict:
    """Configure OCA credit control on the benchmark portfolio and time one controlling day
    as its user goes through it: a run generating the lines for ``today``, the marker wizard
    (to be sent), the emailer wizard (one communication and one e-mail per customer and
    level, its summary PDF attached). The e-mails stay queued (``mail_notify_force_send``
    off) and nothing is committed: the caller rolls back.

    :param env: a superuser environment on a database with ``account_credit_control``
        installed and the portfolio built
    :param date today: the controlling date
    :return: the figures, by name
    """
    # imported when called: collections_bench imports this module
    from collections_bench import stub_pdf_conversion

    from odoo.fields import Command

    stub_pdf_conversion()
    env = env(context=dict(env.context, mail_notify_force_send=False))
    policy = _oca_policy(env)
    env.flush_all()
    cr = env.cr
    mails_before = env["mail.mail"].search_count([("model", "=", "credit.control.communication")])
    active = {"active_model": "credit.control.line"}
    env.invalidate_all()
    queries = cr.sql_log_count
    marks = [time.perf_counter()]
    run = env["credit.control.run"].create({"date": today, "policy_ids": [Command.set(policy.ids)]})
    run.generate_credit_lines()
    env.flush_all()
    marks.append(time.perf_counter())
    lines = run.line_ids
    env["credit.control.marker"].with_context(**active, active_ids=lines.ids).create(
        {"name": "to_be_sent"}
    ).mark_lines()
    env.flush_all()
    marks.append(time.perf_counter())
    env["credit.control.emailer"].with_context(**active, active_ids=lines.ids).create(
        {}
    ).email_lines()
    env.flush_all()
    marks.append(time.perf_counter())
    queries = cr.sql_log_count - queries
    customers = len(lines.communication_id.partner_id)
    mails = (
        env["mail.mail"].search_count([("model", "=", "credit.control.communication")])
        - mails_before
    )
    generate, mark, email = (end - begin for begin, end in pairwise(marks))
    seconds = marks[-1] - marks[0]
    return {
        "oca_customers": customers,
        "oca_lines": len(lines),
        "oca_communications": len(lines.communication_id),
        "oca_mails": mails,
        "oca_seconds": round(seconds, 3),
        "oca_generate_seconds": round(generate, 3),
        "oca_mark_seconds": round(mark, 3),
        "oca_email_seconds": round(email, 3),
        "oca_queries": queries,
        "oca_ms_per_customer": round(1000 * seconds / max(customers, 1), 2),
        "oca_queries_per_customer": round(queries / max(customers, 1), 2),
    }
