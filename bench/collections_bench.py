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
# the e-mail levels, in days after the due date, as the peers are set up (bench/peers.py)
LEVEL_DAYS = (10, 30, 60)


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout.strip()


def psql(sql, db="postgres"):
    return sh("psql", "-h", str(SOCK), "-p", str(PORT), "-d", db, "-qAtc", sql)


def odoo_args(db, extra_addons=()):
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
        f"--addons-path={','.join([addons, *extra_addons])}",
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


def open_env(db, extra_addons=()):
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(odoo_args(db, extra_addons))
    registry = Registry(db)
    cr = registry.cursor()
    return cr, api.Environment(cr, odoo.SUPERUSER_ID, {})


# the portfolio built through the ORM; a larger one copies it (see ``replicate``)
CORE_CUSTOMERS = 2000
CORE_INVOICES = 10000


def build(db, customers, invoices):
    """Install the addon and create the portfolio in ``db`` (a new database).

    Up to 2,000 customers and 10,000 invoices, everything goes through the ORM: customers,
    invoices posted in batches, a payment registered on one invoice in twenty. A larger
    portfolio is that core copied by SQL (see ``replicate``).
    """
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

    factor = max(customers // CORE_CUSTOMERS, 1)
    customers, invoices = customers // factor, invoices // factor
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
                for day in LEVEL_DAYS
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
    posted = env["account.move"]
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
        moves = env["account.move"].create(vals)
        moves.action_post()
        posted |= moves
        cr.commit()
    # one invoice in twenty paid, through the payment wizard
    paid = posted[::20]
    for start in range(0, len(paid), 100):
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid[start : start + 100].ids
        ).create(
            {"payment_date": TODAY - timedelta(days=1), "group_payment": False}
        )._create_payments()
        cr.commit()
    if factor > 1:
        replicate(env, partners, factor)
    cr.commit()
    cr.close()
    from odoo.sql_db import close_db

    close_db(db)


def _columns(cr, table, leave_out):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return [row[0] for row in cr.fetchall() if row[0] not in leave_out]


def _map(column, table):
    """The SQL of the copy's id for the source row's ``column``, a row of ``table``."""
    return f"pg_temp.map_id(src.{column}, '{table}')"


def _copy_rows(cr, table, where, replace, params=()):
    """``INSERT INTO table SELECT ... FROM table WHERE where``, each column in
    ``replace`` given by its SQL expression (over the source row ``src``)."""
    columns = _columns(cr, table, {"id"})
    values = ", ".join(replace.get(column, f'src."{column}"') for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    cr.execute(
        f'INSERT INTO "{table}" (id, {names}) SELECT pg_temp.map_id(src.id, %s), {values} '
        f'FROM "{table}" src WHERE {where}',
        [table, *params],
    )


def replicate(env, partners, factor):
    """Copy the ORM-built core ``factor - 1`` times by SQL: the customers, their invoices
    and payment entries with all their lines and reconciliations, due dates moved by a
    few days a copy; then the addon's own stored fields on the copied invoices are
    computed afresh, by the addon's code (nothing of the addon's is copied as is)."""
    cr = env.cr
    cr.execute("SELECT id FROM account_move WHERE partner_id = ANY(%s)", [partners.ids])
    core_moves = [row[0] for row in cr.fetchall()]
    cr.execute(
        "CREATE TEMP TABLE bench_map (tbl text, old_id int, new_id int, PRIMARY KEY (tbl, old_id))"
    )
    cr.execute(
        "CREATE FUNCTION pg_temp.map_id(old int, tbl text) RETURNS int LANGUAGE sql STABLE "
        "AS $$ SELECT new_id FROM bench_map WHERE bench_map.tbl = $2 AND old_id = $1 $$"
    )
    sources = {
        "res_partner": ("id = ANY(%s)", [partners.ids]),
        "account_move": ("id = ANY(%s)", [core_moves]),
        "account_move_line": ("move_id = ANY(%s)", [core_moves]),
        "account_full_reconcile": (
            "id IN (SELECT full_reconcile_id FROM account_move_line WHERE move_id = ANY(%s))",
            [core_moves],
        ),
        "account_partial_reconcile": (
            "debit_move_id IN (SELECT id FROM account_move_line WHERE move_id = ANY(%s))",
            [core_moves],
        ),
    }
    new_moves = []
    for copy in range(1, factor):
        cr.execute("TRUNCATE bench_map")
        for table, (where, params) in sources.items():
            cr.execute(
                f"INSERT INTO bench_map SELECT %s, id, nextval('{table}_id_seq') "
                f'FROM "{table}" WHERE {where}',
                [table, *params],
            )
        shift = (copy % 5) - 2

        def day(column, shift=shift):
            return f"src.{column} + {shift}"

        _copy_rows(
            cr,
            "res_partner",
            "src.id = ANY(%s)",
            {
                "name": f"src.name || ' / {copy}'",
                "complete_name": f"src.complete_name || ' / {copy}'",
                "email": f"'c{copy}.' || src.email",
                "commercial_partner_id": _map("id", "res_partner"),
            },
            [partners.ids],
        )
        _copy_rows(
            cr,
            "account_move",
            "src.id = ANY(%s)",
            {
                "name": f"src.name || '-{copy}'",
                "partner_id": _map("partner_id", "res_partner"),
                "commercial_partner_id": _map("commercial_partner_id", "res_partner"),
                "partner_shipping_id": _map("partner_shipping_id", "res_partner"),
                "invoice_date": day("invoice_date"),
                "invoice_date_due": day("invoice_date_due"),
                "date": day("date"),
                "origin_payment_id": "NULL",
                "access_token": "NULL",
            },
            [core_moves],
        )
        _copy_rows(
            cr,
            "account_full_reconcile",
            "src.id IN (SELECT old_id FROM bench_map WHERE tbl = 'account_full_reconcile')",
            {},
        )
        _copy_rows(
            cr,
            "account_move_line",
            "src.move_id = ANY(%s)",
            {
                "move_id": _map("move_id", "account_move"),
                "partner_id": _map("partner_id", "res_partner"),
                "move_name": f"src.move_name || '-{copy}'",
                "full_reconcile_id": _map("full_reconcile_id", "account_full_reconcile"),
                "date": day("date"),
                "invoice_date": day("invoice_date"),
                "date_maturity": day("date_maturity"),
                "payment_id": "NULL",
            },
            [core_moves],
        )
        _copy_rows(
            cr,
            "account_partial_reconcile",
            "src.id IN (SELECT old_id FROM bench_map WHERE tbl = 'account_partial_reconcile')",
            {
                "debit_move_id": _map("debit_move_id", "account_move_line"),
                "credit_move_id": _map("credit_move_id", "account_move_line"),
                "full_reconcile_id": _map("full_reconcile_id", "account_full_reconcile"),
                "exchange_move_id": "NULL",
            },
        )
        cr.execute("SELECT new_id FROM bench_map WHERE tbl = 'account_move'")
        new_moves += [row[0] for row in cr.fetchall()]
        env.cr.commit()
    # the addon's stored fields on the copies: computed by the addon's own code
    Move = env["account.move"]
    fields_to_compute = [
        field
        for field in Move._fields.values()
        if field.store and field.compute and field._module == "collections_workflow"
    ]
    for start in range(0, len(new_moves), 5000):
        env.invalidate_all()
        moves = Move.browse(new_moves[start : start + 5000])
        for field in fields_to_compute:
            env.add_to_compute(field, moves)
        env.flush_all()
        env.cr.commit()
    cr.execute("ANALYZE")


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
    any_hour(env)
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


def any_hour(env):
    """Contact hours off (the company's and the country profiles'), all else on."""
    env.company.collection_contact_calendar_id = False
    if "collection.contact.profile" in env:
        env["collection.contact.profile"].search([]).write({"calendar_id": False})


def measure_reports(db, target):
    """Time the KPIs and the aging on ``target`` invoices."""
    cr, env = open_env(db)
    # events to count: the first daily run, kept
    any_hour(env)
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


def measure_worker(db, start_at, attach=False):
    """One cron worker's share of the first run: batches committed as the job commits
    them, beside the other workers, all starting at ``start_at`` (a Unix time: Odoo
    loaded, each waits for the others)."""
    cr, env = open_env(db)
    if attach:
        stub_pdf_conversion()
    # the registry is loaded by open_env: wait for the others
    time.sleep(max(start_at - time.time(), 0))
    queries = cr.sql_log_count
    start = time.perf_counter()
    events = env["collection.run"]._run(
        today=TODAY, now=datetime.combine(TODAY, day_time(13, 0)), commit=True
    )
    seconds = time.perf_counter() - start
    print(f"worker_end: {time.time()}")
    customers = len(events.filtered(lambda event: event.state == "done").partner_id)
    print(f"worker_seconds: {round(seconds, 3)}")
    print(f"worker_customers: {customers}")
    print(f"worker_queries: {cr.sql_log_count - queries}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"worker_peak_rss_mb: {round(rss, 1)}")
    cr.close()


def measure_peer(db):
    from peers import measure_oca, oca_addons_dir

    cr, env = open_env(db, [oca_addons_dir()])
    any_hour(env)
    for name, value in measure_oca(env, TODAY).items():
        print(f"{name}: {value}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"oca_peak_rss_mb: {round(rss, 1)}")
    cr.rollback()
    cr.close()


def prepare(template, db, install=(), extra_addons=()):
    """A fresh copy of the portfolio, brought up to the addon's code (the template may
    predate it), with ``install`` added."""
    psql(f"DROP DATABASE IF EXISTS {db}")
    psql(f'CREATE DATABASE {db} TEMPLATE "{template}"')
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            *odoo_args(db, extra_addons),
            *(["-i", ",".join(install)] if install else []),
            "-u",
            "collections_workflow",
            "--stop-after-init",
        ],
        check=True,
        capture_output=True,
    )


def child(*args):
    """Run this script's measuring part in a fresh process; return its figures."""
    result = subprocess.run(
        [sys.executable, __file__, *args], text=True, capture_output=True, check=False
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        sys.exit(result.returncode)
    return dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)


def run_workers(template, workers, attach):
    """The first run shared by ``workers`` processes started together, each committing
    its batches: the elapsed time until the last one ends."""
    prepare(template, "cw_bench_workers")
    if attach:
        psql(
            "UPDATE collection_level SET attach_pdf = true, group_invoices = true",
            "cw_bench_workers",
        )
    # each worker loads Odoo first, then all start together
    start_at = time.time() + 15
    command = [
        sys.executable,
        __file__,
        "--measure-worker",
        "cw_bench_workers",
        "--start-at",
        str(start_at),
        *(["--attach"] if attach else []),
    ]
    processes = [
        subprocess.Popen(command, text=True, stdout=subprocess.PIPE) for _index in range(workers)
    ]
    outputs = [process.communicate()[0] for process in processes]
    if any(process.returncode for process in processes):
        sys.exit("a worker failed")
    figures = [
        dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
        for output in outputs
    ]
    seconds = max(float(figure["worker_end"]) for figure in figures) - start_at
    customers = sum(int(figure["worker_customers"]) for figure in figures)
    queries = sum(int(figure["worker_queries"]) for figure in figures)
    print(f"workers: {workers}")
    print(f"workers_seconds: {round(seconds, 1)}")
    print(f"workers_customers_acted: {customers}")
    print(f"workers_customers_per_worker: {[int(f['worker_customers']) for f in figures]}")
    print(f"workers_seconds_per_worker: {[float(f['worker_seconds']) for f in figures]}")
    print(f"workers_ms_per_customer: {round(1000 * seconds / max(customers, 1), 2)}")
    print(f"workers_queries_per_customer: {round(queries / max(customers, 1), 2)}")
    print(f"workers_peak_rss_mb: {max(float(f['worker_peak_rss_mb']) for f in figures)}")
    # one event per invoice and level, whichever worker wrote it
    print(
        "workers_duplicate_events: "
        + psql(
            "SELECT COUNT(*) FROM (SELECT invoice_id, level_id FROM collection_event "
            "GROUP BY 1, 2 HAVING COUNT(*) > 1) twice",
            "cw_bench_workers",
        )
    )


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
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="time the first run shared by N processes started together, as N cron "
        "workers share it (batches committed)",
    )
    parser.add_argument(
        "--compare",
        choices=["oca"],
        help="also time OCA's account_credit_control (from PyPI) on the same portfolio",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--measure-worker", help=argparse.SUPPRESS)
    parser.add_argument("--measure-peer", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_worker:
        measure_worker(args.measure_worker, args.start_at, args.attach)
        return
    if args.measure_peer:
        measure_peer(args.measure_peer)
        return
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
        psql(f'DROP DATABASE IF EXISTS "{template}_build"')
        build(template + "_build", args.customers, args.invoices)
        psql(f'ALTER DATABASE "{template}_build" RENAME TO "{template}"')
        print(f"build_seconds: {round(time.perf_counter() - started, 1)}")
    print(f"customers: {args.customers}")
    print(f"invoices: {args.invoices}")
    print(f"emails: {'one per invoice' if args.per_invoice else 'one per customer and level'}")
    if args.workers:
        run_workers(template, args.workers, args.attach)
        return
    prepare(template, "cw_bench_run")
    figures = child(
        "--measure",
        "cw_bench_run",
        *(["--per-invoice"] if args.per_invoice else []),
        *(["--attach"] if args.attach else []),
        *(["--reports", str(args.reports)] if args.reports else []),
    )
    for name, value in figures.items():
        print(f"{name}: {value}")
    if args.compare == "oca":
        from peers import oca_addons_dir

        prepare(template, "cw_bench_oca", ["account_credit_control"], [oca_addons_dir()])
        oca = child("--measure-peer", "cw_bench_oca")
        for name, value in oca.items():
            print(f"{name}: {value}")
        ours = float(figures["ms_per_customer"]) + float(figures.get("pdf_ms_per_customer", 0))
        print(f"oca_over_addon_time: {round(float(oca['oca_ms_per_customer']) / ours, 1)}")


if __name__ == "__main__":
    main()
