"""Benchmark of the collections daily run (not a test: it prints figures).

    python3 bench/collections_bench.py --customers 2000 --invoices 10000

Builds a portfolio in a throwaway PostgreSQL cluster (.local/pg/bench), with the addon
installed and an e-mail-only strategy, then measures in a fresh process the first daily run
(which catches up on every invoice already late) and the seven ordinary days after it, and
prints one ``name: value`` line per figure. The built portfolio is kept as a template
database, so a second run with the same sizes starts at once.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from datetime import (
    date,
    datetime,
    time as day_time,
    timedelta,
)
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PG_BENCH_PORT", "55442"))
SOCK = ROOT / ".local" / "pg" / "bench" / "sock"
TODAY = date(2026, 6, 15)


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout.strip()


def psql(sql, db="postgres"):
    return sh("psql", "-h", str(SOCK), "-p", str(PORT), "-d", db, "-qAtc", sql)


def odoo_args(db):
    addons = subprocess.run(
        [
            "bash",
            "-c",
            f"source {ROOT}/scripts/lib.sh && odoo_addons_path",
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout.strip()
    return [
        f"--addons-path={addons}",
        f"--db_host={SOCK}",
        f"--db_port={PORT}",
        "-d",
        db,
        "--max-cron-threads=0",
        "--no-http",
        "--log-level=warn",
    ]


def ensure_cluster():
    sh(str(ROOT / "scripts" / "pg_cluster.sh"), "ensure", "bench", str(PORT))


def open_env(db):
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(odoo_args(db))
    registry = Registry(db)
    cr = registry.cursor()
    return cr, api.Environment(cr, odoo.SUPERUSER_ID, {})


def build(db, customers, invoices):
    """Install the addon and create the portfolio in ``db`` (a new database)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            *odoo_args(db),
            "-i",
            "collections_workflow",
            "--stop-after-init",
        ],
        check=True,
        capture_output=True,
    )
    cr, env = open_env(db)
    from odoo.fields import Command

    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    rng = random.Random(19)
    supervisors = env["collection.staff"].create(
        [
            {"first_name": f"Supervisor{i}", "last_name": "Bench", "role": "supervisor"}
            for i in range(5)
        ]
    )
    advisors = env["collection.staff"].create(
        [
            {
                "first_name": f"Advisor{i}",
                "last_name": "Bench",
                "supervisor_id": supervisors[i % 5].id,
                "email": f"advisor{i}@example.com",
            }
            for i in range(40)
        ]
    )
    template = env.ref("collections_workflow.mail_template_collection_overdue")
    strategy = env["collection.strategy"].create(
        {
            "name": "Bench (email)",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": f"Email {day}",
                        "day_offset": day,
                        "use_email": True,
                        "email_template_id": template.id,
                    }
                )
                for day in (-3, 0, 3, 15, 30)
            ],
        }
    )
    company.collection_strategy_id = strategy
    partners = env["res.partner"].create(
        [
            {
                "name": f"Cliente {i:06d}",
                "email": f"cliente{i}@example.com",
                "customer_rank": 1,
                "is_company": True,
            }
            for i in range(customers)
        ]
    )
    for advisor_index, advisor in enumerate(advisors):
        partners[advisor_index::40].collection_advisor_id = advisor
    batch = 500
    for start in range(0, invoices, batch):
        vals = []
        for i in range(start, min(start + batch, invoices)):
            due = TODAY + timedelta(days=rng.randint(-40, 10))
            vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partners[i % customers].id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Servicio",
                                "quantity": 1,
                                "price_unit": rng.choice([350, 920, 1800, 5200]),
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        env["account.move"].create(vals).action_post()
        cr.commit()
    cr.commit()
    cr.close()
    from odoo.sql_db import close_db

    close_db(db)


def stub_pdf_conversion():
    """wkhtmltopdf is an external program (3.4 s a document with Debian's build): the
    benchmark measures what the addon does around it, the conversion returns a blank page."""
    import io

    from odoo.tools.pdf import PdfFileWriter

    from odoo.addons.base.models.ir_actions_report import IrActionsReport

    writer = PdfFileWriter()
    writer.addBlankPage(595, 842)
    blank = io.BytesIO()
    writer.write(blank)
    IrActionsReport._run_wkhtmltopdf = lambda self, bodies, **kwargs: blank.getvalue()


def measure(db, per_invoice=False, attach=False):
    cr, env = open_env(db)
    levels = env["collection.strategy"].search([("name", "=", "Bench (email)")]).level_ids
    if not per_invoice:
        # one message per customer and level, listing its invoices: how OCA credit control
        # and Enterprise follow-ups remind, and so the figure to set beside theirs
        statement = env.ref("collections_workflow.mail_template_collection_statement")
        levels.write({"group_invoices": True, "email_template_id": statement.id})
    if attach:
        # the account statement PDF attached, as the shipped strategies do
        levels.write({"attach_pdf": True})
        stub_pdf_conversion()
    env.flush_all()
    # the bench runs at any hour: contact hours off, the weekly contact limits on
    env.company.collection_contact_calendar_id = False
    env.flush_all()
    run = env["collection.run"]
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    events = run._run(today=TODAY, now=datetime.combine(TODAY, day_time(13, 0)))
    env.flush_all()
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    done = events.filtered(lambda event: event.state == "done")
    acted = len(done.invoice_id)
    customers = len(done.partner_id)
    mails = env["mail.mail"].search_count([])
    pdf = {}
    if attach:
        # the outbox's job, after the run: each email's PDF prepared, rendered, attached
        env.invalidate_all()
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        delivered = env["collection.outbox"]._deliver()
        env.flush_all()
        pdf_seconds = time.perf_counter() - start
        pdf_queries = cr.sql_log_count - queries_before
        pdf = {
            "pdfs_attached": len(delivered.filtered(lambda item: item.state == "done")),
            "pdf_seconds": round(pdf_seconds, 3),
            "pdf_ms_per_customer": round(1000 * pdf_seconds / max(customers, 1), 2),
            "pdf_queries_per_customer": round(pdf_queries / max(customers, 1), 2),
        }
    # then the ordinary days: each run acts only on what became due since the day before
    steady = {"seconds": 0.0, "queries": 0, "customers": 0}
    for day in range(1, 8):
        env.invalidate_all()
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        day_events = run._run(
            today=TODAY + timedelta(days=day),
            now=datetime.combine(TODAY + timedelta(days=day), day_time(13, 0)),
        )
        env.flush_all()
        steady["seconds"] += time.perf_counter() - start
        steady["queries"] += cr.sql_log_count - queries_before
        steady["customers"] += len(
            day_events.filtered(lambda event: event.state == "done").partner_id
        )
    cr.rollback()
    cr.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "run_seconds": round(seconds, 3),
        "invoices_acted": acted,
        "customers_acted": customers,
        "events": len(events),
        "mails_queued": mails,
        "queries": queries,
        "queries_per_invoice": round(queries / max(acted, 1), 2),
        "queries_per_customer": round(queries / max(customers, 1), 2),
        "ms_per_customer": round(1000 * seconds / max(customers, 1), 2),
        "next_days_customers_acted": steady["customers"],
        "next_days_ms_per_customer": round(
            1000 * steady["seconds"] / max(steady["customers"], 1), 2
        ),
        "next_days_queries_per_customer": round(steady["queries"] / max(steady["customers"], 1), 2),
        **pdf,
        "peak_rss_mb": round(rss, 1),
    }
    for name, value in figures.items():
        print(f"{name}: {value}")


def scale_up(env, target):
    """Copy the built invoices (with their payment-term lines) until there are ``target``
    of them, and settle about a third by SQL: a synthetic scale-up for the reporting
    queries only (the daily run is measured on the portfolio built through the ORM)."""
    cr = env.cr
    cr.execute("SELECT COUNT(*), MAX(id) FROM account_move WHERE move_type = 'out_invoice'")
    base, last_built = cr.fetchone()
    copies = max(target // base - 1, 0)
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'account_move' AND column_name NOT IN ('id', 'name')"
    )
    move_columns = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'account_move_line' AND column_name NOT IN ('id', 'move_id')"
    )
    line_columns = [row[0] for row in cr.fetchall()]
    moves = ", ".join(f'"{column}"' for column in move_columns)
    lines = ", ".join(f'"{column}"' for column in line_columns)
    for copy in range(1, copies + 1):
        cr.execute(
            "CREATE TEMP TABLE copy_map ON COMMIT DROP AS "
            "SELECT id AS old_id, nextval('account_move_id_seq') AS new_id "
            "FROM account_move WHERE move_type = 'out_invoice' AND id <= %s",
            [last_built],
        )
        cr.execute(
            f"INSERT INTO account_move (id, name, {moves}) "
            f"SELECT map.new_id, move.name || '-{copy}', "
            + ", ".join(
                f'move."{column}" - {copy * 3}'
                if column in ("invoice_date", "invoice_date_due", "date")
                else f'move."{column}"'
                for column in move_columns
            )
            + " FROM account_move move JOIN copy_map map ON map.old_id = move.id"
        )
        cr.execute(
            f"INSERT INTO account_move_line (move_id, {lines}) "
            f"SELECT map.new_id, {', '.join('line.' + c for c in lines.split(', '))} "
            "FROM account_move_line line JOIN copy_map map ON map.old_id = line.move_id "
            "WHERE line.display_type = 'payment_term'"
        )
        cr.commit()
    # one real payment gives the credit side of the synthetic settlements
    cr.execute(
        "SELECT line.id FROM account_move_line line JOIN account_move move "
        "ON move.id = line.move_id WHERE move.move_type = 'entry' AND line.credit > 0 LIMIT 1"
    )
    credit = cr.fetchone()
    if credit:
        cr.execute(
            "INSERT INTO account_partial_reconcile "
            "(debit_move_id, credit_move_id, amount, debit_amount_currency, "
            "credit_amount_currency, max_date, company_id, debit_currency_id, "
            "credit_currency_id) "
            "SELECT line.id, %s, line.balance, line.balance, line.balance, "
            "move.invoice_date_due + (line.id %% 20), line.company_id, line.currency_id, "
            "line.currency_id FROM account_move_line line "
            "JOIN account_move move ON move.id = line.move_id "
            "WHERE line.display_type = 'payment_term' AND move.move_type = 'out_invoice' "
            "AND line.id %% 3 = 0",
            credit,
        )
    cr.execute("ANALYZE")
    cr.commit()
    cr.execute("SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'")
    return cr.fetchone()[0]


def measure_reports(db, target):
    """Time the KPIs and the aging on ``target`` invoices."""
    cr, env = open_env(db)
    # events to count: the first daily run, kept
    env.company.collection_contact_calendar_id = False
    env["collection.run"]._run(today=TODAY, now=datetime.combine(TODAY, day_time(13, 0)))
    env.flush_all()
    cr.commit()
    # one payment registered through the ORM
    invoice = env["account.move"].search([("move_type", "=", "out_invoice")], limit=1)
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({"payment_date": TODAY})._create_payments()
    cr.commit()
    invoices = scale_up(env, target)
    env.invalidate_all()
    figures = {"report_invoices": invoices}
    timings = {
        "kpis_90_days_by_advisor_seconds": lambda: env["collection.kpi"]._compute(
            TODAY - timedelta(days=89), TODAY, "advisor"
        ),
        "kpis_90_days_company_seconds": lambda: env["collection.kpi"]._compute(
            TODAY - timedelta(days=89), TODAY, "company"
        ),
        "aging_by_bucket_seconds": lambda: env["collection.aging.report"]._read_group(
            [], ["bucket"], ["amount_residual:sum"]
        ),
        "aging_by_advisor_and_bucket_seconds": lambda: env["collection.aging.report"]._read_group(
            [], ["advisor_id", "bucket"], ["amount_residual:sum"]
        ),
        "daily_snapshot_seconds": lambda: env["collection.kpi.snapshot"]._take(TODAY),
    }
    for name, job in timings.items():
        env.invalidate_all()
        start = time.perf_counter()
        job()
        env.flush_all()
        figures[name] = round(time.perf_counter() - start, 3)
    cr.rollback()
    cr.close()
    for name, value in figures.items():
        print(f"{name}: {value}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument(
        "--per-invoice",
        action="store_true",
        help="one email per invoice instead of one per customer and level",
    )
    parser.add_argument(
        "--reports",
        type=int,
        metavar="INVOICES",
        help="time the KPIs and the aging instead, the portfolio copied up to INVOICES",
    )
    parser.add_argument(
        "--attach",
        action="store_true",
        help="attach the account statement PDF (its conversion stubbed) and time the outbox",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.reports:
            measure_reports(args.measure, args.reports)
        else:
            measure(args.measure, args.per_invoice, args.attach)
        return
    ensure_cluster()
    template = f"cw_bench_{args.customers}_{args.invoices}"
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        started = time.perf_counter()
        build(template + "_build", args.customers, args.invoices)
        psql(f'ALTER DATABASE "{template}_build" RENAME TO "{template}"')
        print(f"build_seconds: {round(time.perf_counter() - started, 1)}")
    psql("DROP DATABASE IF EXISTS cw_bench_run")
    psql(f'CREATE DATABASE cw_bench_run TEMPLATE "{template}"')
    # the template may predate the addon's code: bring its database up to date first
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            *odoo_args("cw_bench_run"),
            "-u",
            "collections_workflow",
            "--stop-after-init",
        ],
        check=True,
        capture_output=True,
    )
    print(f"customers: {args.customers}")
    print(f"invoices: {args.invoices}")
    print(f"emails: {'one per invoice' if args.per_invoice else 'one per customer and level'}")
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            "cw_bench_run",
            *(["--per-invoice"] if args.per_invoice else []),
            *(["--attach"] if args.attach else []),
            *(["--reports", str(args.reports)] if args.reports else []),
        ],
        text=True,
        capture_output=True,
    )
    sys.stdout.write(result.stdout)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        sys.exit(result.returncode)


if __name__ == "__main__":
    main()
