"""Benchmark of what installing the addon costs invoicing (not a test: it prints figures).

    python3 bench/invoicing_overhead.py --invoices 300

Keeps two template databases in the bench cluster (.local/pg/bench), built once and reused
(the addon's one updated when its code changed): one with ``account`` only, one with
``collections_workflow`` too, both with the generic chart of accounts. For each, on a fresh
copy and in a fresh process, it creates N customers (not timed), warms up (a few invoices
created, posted and paid, not counted), then measures three phases, each flushed at its end:
N customer invoices created in batches, posted, and a third of them paid through the payment
wizard. The two databases take turns, --repeat times (3), and one ``name: value`` line is
printed per figure: per phase, the queries, the seconds (wall clock), the processor seconds of
the Odoo process and the seconds spent waiting for the database, the best of the runs of each
database (every run's too), and the addon's overhead in %, on the best figures and as the
median of the runs side by side (steadier on a busy machine); last, whether every phase is
within 5 % in time and queries.

``--deps`` adds a third database, with the addon's dependencies but not the addon, to tell its
own cost from theirs. To find where an overhead goes: ``--sql-log DIR`` writes each run's
queries, normalised, counted and timed by phase, to compare side by side; ``--profile DIR``
each run's cProfile by phase (both slow the runs: their timings are not the figures).
"""

import argparse
import ast
import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from collections_bench import (
    ROOT,
    ensure_cluster,
    odoo_args,
    open_env,
    psql,
)

ADDON = "collections_workflow"
# what each template database has installed, besides the generic chart
VARIANTS = {
    "without": ["account"],
    "with": ["account", ADDON],
    # the addon's dependencies, not the addon (--deps): its own cost apart from theirs
    "deps": ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text())["depends"],
}
PHASES = ("create", "post", "payment")
# per phase: queries, wall-clock seconds, this process's processor seconds (the Python side),
# and seconds waiting for the database's answers
KINDS = ("queries", "seconds", "cpu_seconds", "sql_seconds")
WARM_UP = 5


def template_name(variant):
    return f"inv_bench_{variant}"


def addon_fingerprint():
    """A digest of the addon's files: a template built from other code is updated first."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / ADDON).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def odoo_run(db, *args):
    subprocess.run(
        [sys.executable, "-m", "odoo", "server", *odoo_args(db), *args, "--stop-after-init"],
        check=True,
        capture_output=True,
    )


def child(*args):
    """Run this script again, in a fresh process, and return what it printed."""
    result = subprocess.run([sys.executable, __file__, *args], text=True, capture_output=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        sys.exit(result.returncode)
    return result.stdout


def load_chart(db):
    cr, env = open_env(db)
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    cr.commit()
    cr.close()


def ensure_template(variant):
    """The template database of ``variant``, built if missing, brought up to date with the
    addon's code if it has it. Returns the seconds spent."""
    started = time.perf_counter()
    template = template_name(variant)
    fingerprint = addon_fingerprint() if ADDON in VARIANTS[variant] else ""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
    if not exists:
        build = template + "_build"
        psql(f'DROP DATABASE IF EXISTS "{build}"')
        odoo_run(build, "-i", ",".join(VARIANTS[variant]))
        child("--load-chart", build)
        psql(f'ALTER DATABASE "{build}" RENAME TO "{template}"')
    elif (
        fingerprint
        and psql(
            f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{template}'"
        )
        != fingerprint
    ):
        odoo_run(template, "-u", ADDON)
    else:
        return 0.0
    if fingerprint:
        psql(f"COMMENT ON DATABASE \"{template}\" IS '{fingerprint}'")
    return time.perf_counter() - started


# ----------------------------------------------------------------------- the measure child
class QueryLog:
    """Every query executed, normalised (literals replaced), counted by phase."""

    def __init__(self):
        self.phase = None
        self.counts = {}
        self.seconds = {}

    def install(self):
        # Odoo's hooks for tracing: called after each query of this thread
        threading.current_thread().query_hooks.append(self.hook)

    def hook(self, cr, query, params, start, delay):
        if self.phase:
            query = query.decode() if isinstance(query, bytes) else str(query)
            text = re.sub(r"'[^']*'", "'?'", query)
            text = re.sub(r"\b\d+\b", "?", text)
            text = re.sub(r"(\?\s*,\s*)+\?", "?...", text)
            text = re.sub(r"\s+", " ", text).strip()
            self.counts[self.phase][text] += 1
            self.seconds[self.phase][text] += delay

    def start(self, phase):
        self.phase = phase
        self.counts.setdefault(phase, Counter())
        self.seconds.setdefault(phase, Counter())

    def stop(self):
        self.phase = None

    def write(self, path):
        with open(path, "w") as out:
            for phase, counts in self.counts.items():
                for text, count in counts.most_common():
                    milliseconds = round(1000 * self.seconds[phase][text], 1)
                    out.write(f"{phase}\t{count}\t{milliseconds}\t{text}\n")


def invoice_vals(partners, day):
    from odoo.fields import Command

    return [
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": day,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Servicio", "quantity": 1, "price_unit": 100 + 10 * (index % 50)}
                )
            ],
        }
        for index, partner in enumerate(partners)
    ]


def pay(env, invoices, day):
    return (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoices.ids)
        .create({"payment_date": day})
        ._create_payments()
    )


def measure(db, invoices, batch, sql_log=None, profile=None):
    cr, env = open_env(db)
    # the time spent waiting for the database, query by query (Odoo's tracing hooks)
    sql_time = [0.0]

    def add_sql_time(cr, query, params, start, delay):
        sql_time[0] += delay

    threading.current_thread().query_hooks = [add_sql_time]
    log = QueryLog() if sql_log else None
    if log:
        log.install()
    today = date.today()
    day = today - timedelta(days=5)
    # the customers, and a warm-up: the registry's caches filled, as in a running server
    partners = env["res.partner"].create(
        [
            {
                "name": f"Cliente {i:06d}",
                "email": f"cliente{i}@example.com",
                "customer_rank": 1,
                "is_company": True,
            }
            for i in range(invoices + WARM_UP)
        ]
    )
    warm = env["account.move"].create(invoice_vals(partners[:WARM_UP], day))
    warm.action_post()
    pay(env, warm[:2], today)
    env.flush_all()
    cr.commit()
    partners = partners[WARM_UP:]
    figures = {}
    profilers = {}

    def timed(phase, job):
        env.flush_all()
        env.invalidate_all()
        if log:
            log.start(phase)
        if profile:
            import cProfile

            profiler = profilers[phase] = cProfile.Profile()
            profiler.enable()
        queries = cr.sql_log_count
        sql_before = sql_time[0]
        cpu = time.process_time()
        start = time.perf_counter()
        result = job()
        env.flush_all()
        figures[f"{phase}_seconds"] = round(time.perf_counter() - start, 4)
        # this process's own processor time: the ORM's and the addon's Python, not the
        # database's, and less disturbed by what else runs on the machine
        figures[f"{phase}_cpu_seconds"] = round(time.process_time() - cpu, 4)
        figures[f"{phase}_sql_seconds"] = round(sql_time[0] - sql_before, 4)
        figures[f"{phase}_queries"] = cr.sql_log_count - queries
        if profile:
            profiler.disable()
        if log:
            log.stop()
        return result

    def create():
        moves = env["account.move"]
        for start in range(0, len(partners), batch):
            moves |= env["account.move"].create(invoice_vals(partners[start : start + batch], day))
        return moves

    moves = timed("create", create)
    moves = moves.browse(moves.ids)
    timed("post", moves.action_post)
    paid = moves.browse(moves.ids[::3])
    payments = timed("payment", lambda: pay(env, paid, today))
    paid = paid.browse(paid.ids)
    figures["invoices_posted"] = len(moves.filtered(lambda move: move.state == "posted"))
    figures["invoices_paid"] = len(
        paid.filtered(lambda move: move.payment_state in ("paid", "in_payment"))
    )
    figures["payments"] = len(payments)
    cr.rollback()
    cr.close()
    if log:
        log.write(sql_log)
    for phase, profiler in profilers.items():
        profiler.dump_stats(f"{profile}_{phase}.prof")
    for name, value in figures.items():
        print(f"{name}: {value}")


# ----------------------------------------------------------------------------- the parent
def parse(output):
    figures = {}
    for line in output.splitlines():
        name, _, value = line.partition(": ")
        if value:
            figures[name] = float(value) if "." in value else int(value)
    return figures


def overhead(base, other):
    return round(100 * (other - base) / base, 1) if base else 0.0


def measure_all(args, variants):
    """Each variant measured ``args.repeat`` times, on a fresh copy, in a fresh process:
    ``{variant: [figures of each run]}``."""
    runs = {variant: [] for variant in variants}
    for repeat in range(args.repeat):
        # the databases take turns, each first in one run out of two
        order = variants if repeat % 2 == 0 else variants[::-1]
        for variant in order:
            copy = f"inv_bench_run_{variant}"
            psql(f'DROP DATABASE IF EXISTS "{copy}"')
            psql(f'CREATE DATABASE "{copy}" TEMPLATE "{template_name(variant)}"')
            command = ["--measure", copy, "--invoices", str(args.invoices)]
            command += ["--batch", str(args.batch)]
            if args.sql_log:
                command += ["--sql-log-file", f"{args.sql_log}/{variant}_{repeat + 1}.tsv"]
            if args.profile:
                command += ["--profile-file", f"{args.profile}/{variant}_{repeat + 1}"]
            output = child(*command)
            psql(f'DROP DATABASE IF EXISTS "{copy}"')
            figures = parse(output)
            for kind in KINDS:
                figures[f"create_post_{kind}"] = figures[f"create_{kind}"] + figures[f"post_{kind}"]
            runs[variant].append(figures)
    return runs


def report(runs):
    """Print the best figure of each variant, and the addon's overhead in %."""
    best = {
        variant: {name: min(run[name] for run in variant_runs) for name in variant_runs[0]}
        for variant, variant_runs in runs.items()
    }
    print(f"invoices_paid: {runs['with'][0]['invoices_paid']}")
    print(f"runs: {len(runs['with'])}")
    for variant, variant_runs in runs.items():
        for phase in PHASES + ("create_post",):
            spread = {run[f"{phase}_queries"] for run in variant_runs}
            if len(spread) > 1:
                print(f"{phase}_queries_{variant}_runs: {sorted(spread)}")
    for phase in ("create", "post", "create_post", "payment"):
        for kind in KINDS:
            digits = 0 if kind == "queries" else 3
            name = f"{phase}_{kind}"
            for variant, variant_runs in runs.items():
                print(f"{name}_{variant}: {round(best[variant][name], digits or None)}")
                if kind != "queries":
                    values = ", ".join(str(round(run[name], digits)) for run in variant_runs)
                    print(f"{name}_{variant}_runs: {values}")
            print(
                f"{phase}_overhead_{kind}_pct: "
                f"{overhead(best['without'][name], best['with'][name])}"
            )
            if kind != "queries" and len(runs["with"]) > 1:
                # each run against the other database's run next to it, the median kept:
                # steadier than the best times while the machine's load drifts
                paired = [
                    overhead(without[name], with_[name])
                    for without, with_ in zip(runs["without"], runs["with"], strict=True)
                ]
                print(f"{phase}_overhead_{kind}_paired_median_pct: {median(paired):.1f}")
            if "deps" in runs:
                print(
                    f"{phase}_overhead_{kind}_over_deps_pct: "
                    f"{overhead(best['deps'][name], best['with'][name])}"
                )
    # the target: within 5 % in time and queries, on every phase
    worst = {
        kind: max(
            overhead(best["without"][f"{phase}_{kind}"], best["with"][f"{phase}_{kind}"])
            for phase in PHASES
        )
        for kind in ("queries", "seconds")
    }
    print(f"max_overhead_queries_pct: {worst['queries']}")
    print(f"max_overhead_seconds_pct: {worst['seconds']}")
    print(f"within_5_pct: {'yes' if max(worst.values()) <= 5 else 'no'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100, help="invoices created at a time")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best time kept")
    parser.add_argument(
        "--deps",
        action="store_true",
        help="measure too a database with the addon's dependencies but not the addon",
    )
    parser.add_argument("--sql-log", metavar="DIR", help="write each run's queries in DIR")
    parser.add_argument(
        "--profile", metavar="DIR", help="write each run's cProfile, by phase, in DIR"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--load-chart", help=argparse.SUPPRESS)
    parser.add_argument("--sql-log-file", help=argparse.SUPPRESS)
    parser.add_argument("--profile-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_chart:
        load_chart(args.load_chart)
        return
    if args.measure:
        measure(args.measure, args.invoices, args.batch, args.sql_log_file, args.profile_file)
        return
    ensure_cluster()
    variants = ["without", "with"] + (["deps"] if args.deps else [])
    for variant in variants:
        seconds = ensure_template(variant)
        if seconds:
            print(f"build_{variant}_seconds: {round(seconds, 1)}")
    for folder in (args.sql_log, args.profile):
        if folder:
            os.makedirs(folder, exist_ok=True)
    runs = measure_all(args, variants)
    print(f"invoices: {args.invoices}")
    report(runs)


if __name__ == "__main__":
    main()
