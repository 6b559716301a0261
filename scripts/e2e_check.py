#!/usr/bin/env python3
"""Driver of scripts/e2e.sh (standard library only).

``sinks``: a loopback SMTP sink and a loopback IAP/SMS stub, each message kept as one JSON
line, so that the server's mail and SMS queues really send without leaving the machine.
``check``: over JSON-RPC and HTTP, switch the automatic run on as a collections manager,
wait for the run and its letters, then check what it sent and printed.
"""

import argparse
import base64
import email.parser
import http.cookiejar
import http.server
import json
import os
import re
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

MANAGER_LOGIN = "e2e.manager"
MANAGER_GROUPS = [
    "collections_workflow.collections_workflow_group_manager",
    "base.group_system",
    "account.group_account_manager",
]
RUN_CRON = "collections_workflow.ir_cron_collection_run"
OUTBOX_CRON = "collections_workflow.ir_cron_collection_outbox"
MAIL_CRON = "mail.ir_cron_mail_scheduler_action"
LETTER_REPORT = "collections_workflow.report_collection_letter"
CUSTOMER_MODELS = ["collection.file", "res.partner", "account.move"]
LOG_PROBLEM = re.compile(r" (ERROR|CRITICAL) |Traceback")
IAP_CALL = re.compile(r"iap jsonrpc (\S+)")
LOOPBACK_URL = re.compile(r"^https?://(127\.0\.0\.1|localhost)[:/]")
POLL_SECONDS = 3


# ---------------------------------------------------------------------- sinks
class Recorder:
    """Appends one JSON line per message; the check reads the file afterwards."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def add(self, **entry):
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib without TLS nor AUTH: every message is accepted."""

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.reply("220 e2e sink")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline(1 << 20)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-e2e sink")
                self.reply("250 8BITMIME")
            elif verb == b"HELO":
                self.reply("250 e2e sink")
            elif verb == b"MAIL":
                sender, recipients = line[10:].strip().decode(errors="replace"), []
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line[8:].strip().decode(errors="replace"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                self.receive(sender, recipients)
                self.reply("250 OK queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            elif verb in (b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")

    def receive(self, sender, recipients):
        chunks = []
        while True:
            line = self.rfile.readline(1 << 20)
            if line in (b".\r\n", b".\n", b""):
                break
            chunks.append(line[1:] if line.startswith(b"..") else line)
        headers = email.parser.BytesHeaderParser().parsebytes(b"".join(chunks))
        self.server.recorder.add(
            kind="email",
            sender=sender,
            recipients=recipients,
            subject=str(headers.get("Subject", "")),
        )


class IapHandler(http.server.BaseHTTPRequestHandler):
    """Odoo's IAP JSON-RPC: SMS are accepted; any other call is only recorded."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            payload = {}
        params = payload.get("params") or {}
        result = {}
        if self.path.endswith("/api/sms/3/send"):
            result = []
            for message in params.get("messages", []):
                for number in message.get("numbers", []):
                    self.server.recorder.add(kind="sms", number=number.get("number"))
                    result.append({"uuid": number.get("uuid"), "state": "success", "credit": 1})
        else:
            self.server.recorder.add(kind="iap", path=self.path)
        body = json.dumps({"jsonrpc": "2.0", "id": payload.get("id"), "result": result})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        self.server.recorder.add(kind="iap", path=self.path)
        self.send_error(404)

    def log_message(self, *args):
        pass  # the recorder keeps what matters


class SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class IapServer(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def run_sinks(args):
    recorder = Recorder(args.record)
    servers = [
        SmtpServer(("127.0.0.1", args.smtp_port), SmtpHandler),
        IapServer(("127.0.0.1", args.iap_port), IapHandler),
    ]
    for server in servers:
        server.recorder = recorder
        threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # bound: e2e.sh waits for this file before starting Odoo
    with open(args.ready, "w", encoding="utf-8") as ready:
        ready.write(str(os.getpid()))
    stop.wait()
    for server in servers:
        server.shutdown()
    return 0


# ---------------------------------------------------------------------- RPC
class RpcError(Exception):
    pass


def post_json(url, payload, opener=None, timeout=120):
    request = urllib.request.Request(
        url, json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if answer.get("error"):
        data = answer["error"].get("data") or {}
        raise RpcError(data.get("message") or answer["error"].get("message"))
    return answer.get("result")


class Odoo:
    """One user's JSON-RPC calls (the external API: /jsonrpc, service "object")."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError(f"login refused for {login}")

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
        }
        return post_json(f"{self.url}/jsonrpc", payload)

    def __call__(self, model, method, *args, **kwargs):
        return self.call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".", 1)
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        if not rows:
            raise RpcError(f"no record {xmlid}")
        return rows[0]["res_id"]

    def has_model(self, model):
        return bool(self("ir.model", "search_count", [("model", "=", model)]))

    def max_id(self, model):
        rows = self(model, "search_read", [], ["id"], order="id desc", limit=1)
        return rows[0]["id"] if rows else 0


def server_alive(pid):
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def wait_for(what, condition, timeout, pid=None):
    """Poll ``condition`` every few seconds; its last value, or None at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if not server_alive(pid):
            raise RpcError(f"the Odoo server stopped while waiting for {what}")
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def http_ready(url):
    try:
        with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


# ---------------------------------------------------------------------- setup
def create_manager(admin):
    groups = [admin.ref(xmlid) for xmlid in MANAGER_GROUPS]
    return admin(
        "res.users",
        "create",
        {
            "name": "E2E Collections Manager",
            "login": MANAGER_LOGIN,
            "password": MANAGER_LOGIN,
            "email": "e2e.manager@example.com",
            "tz": "UTC",
            "group_ids": [(4, group) for group in groups],
        },
    )


def apply_settings(odoo, values):
    """What a manager does in Settings: a settings record with ``values``, then Save."""
    settings = odoo("res.config.settings", "create", values)
    odoo("res.config.settings", "execute", [settings])


def trigger_cron(odoo, xmlid, timeout):
    """Run a scheduled job now, as Run Manually does; it may be running already."""
    cron = odoo.ref(xmlid)

    def run():
        try:
            odoo("ir.cron", "method_direct_trigger", [cron])
        except RpcError as error:
            if "already executing" in str(error):
                return False
            raise
        return True

    return wait_for(xmlid, run, timeout)


# ---------------------------------------------------------------------- PDFs
def pdf_facts(content, out_dir, name):
    """``(pages, text)`` of a PDF, from poppler's pdfinfo and pdftotext."""
    path = os.path.join(out_dir, name)
    with open(path, "wb") as out:
        out.write(content)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=60)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    text = subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, timeout=60
    ).stdout
    return (int(match.group(1)) if match else 0), " ".join(text.split())


def names_missing(names, text):
    return [name for name in names if " ".join(name.split()) not in text]


# ---------------------------------------------------------------------- check
class Checks:
    def __init__(self):
        self.results = []

    def add(self, name, ok, detail, more=()):
        self.results.append(ok)
        print(f"{'OK  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
        for line in list(more)[:20]:
            print(f"       {line}", flush=True)

    @property
    def failed(self):
        return self.results.count(False)


def read_record(path):
    entries = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as lines:
            entries = [json.loads(line) for line in lines if line.strip()]
    return entries


def setup(args):
    """Admin creates the manager; the manager turns contact hours off, then the
    automatic run on, through the settings. Returns the manager's connection."""
    if not wait_for("HTTP", lambda: http_ready(args.url), args.http_timeout, args.server_pid):
        raise RpcError(f"{args.url} did not answer within {args.http_timeout}s")
    admin = Odoo(args.url, args.db, "admin", "admin")
    create_manager(admin)
    manager = Odoo(args.url, args.db, MANAGER_LOGIN, MANAGER_LOGIN)
    # CI may run at night: the demo company's contact hours, and those of the customers'
    # country profiles (the demo's European customers follow the strict default), would
    # defer every message
    apply_settings(
        manager,
        {"collection_contact_calendar_id": False, "collection_use_contact_profiles": False},
    )
    fields = manager("res.config.settings", "fields_get", ["collection_auto_run"])
    if "collection_auto_run" not in fields:
        raise RpcError("Settings have no collection_auto_run field (Automatic Collections)")
    return manager


def wait_for_run(args, manager, before):
    cron = manager.ref(RUN_CRON)
    started = time.monotonic()
    # the job switched on by the setting: it has run once lastcall is set
    done = wait_for(
        "the run",
        lambda: manager("ir.cron", "read", [cron], ["lastcall", "active"])[0]["lastcall"]
        and manager("collection.event", "search_count", []) > 0,
        args.run_timeout,
        args.server_pid,
    )
    print(f"     run: {'done' if done else 'not done'} after {time.monotonic() - started:.0f}s")
    if not done:
        return False
    if manager.has_model("collection.outbox"):
        started = time.monotonic()

        def outbox_idle():
            # what waits for a retry later is left: the checks report its error
            now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
            busy = manager(
                "collection.outbox",
                "search_count",
                [
                    ("state", "in", ["pending", "sending"]),
                    "|",
                    ("next_attempt_at", "=", False),
                    ("next_attempt_at", "<=", now),
                ],
            )
            return busy == 0

        idle = wait_for("the outbox", outbox_idle, args.outbox_timeout, args.server_pid)
        elapsed = time.monotonic() - started
        print(f"     outbox: {'idle' if idle else 'still busy'} after {elapsed:.0f}s")
    # the queue runs hourly: send now what the run queued, as "Run Manually" would
    if not trigger_cron(manager, MAIL_CRON, 60):
        print("     mail queue: could not be run (busy for 60s)")
    # SMS are sent by their own queue, woken when they are created
    wait_for(
        "the SMS queue",
        lambda: manager(
            "sms.sms", "search_count", [("id", ">", before["sms.sms"]), ("state", "=", "outgoing")]
        )
        == 0,
        30,
        args.server_pid,
    )
    return True


def check_messages(manager, before, record, checks):
    mails = manager(
        "mail.mail",
        "search_read",
        [("id", ">", before["mail.mail"]), ("model", "in", CUSTOMER_MODELS)],
        ["state", "failure_reason", "model", "res_id"],
    )
    states = {}
    for mail in mails:
        states[mail["state"]] = states.get(mail["state"], 0) + 1
    received = [entry for entry in record if entry["kind"] == "email"]
    broken = [m for m in mails if m["state"] == "exception"]
    checks.add(
        "emails",
        bool(mails) and not broken and len(received) >= states.get("sent", 0),
        f"{len(mails)} for customers {states or ''}; the SMTP sink received {len(received)}",
        [f"mail {m['id']}: {m['failure_reason']}" for m in broken],
    )
    sms = manager(
        "sms.sms",
        "search_read",
        [("id", ">", before["sms.sms"])],
        ["state", "failure_type", "number"],
    )
    states = {}
    for row in sms:
        states[row["state"]] = states.get(row["state"], 0) + 1
    delivered = [entry for entry in record if entry["kind"] == "sms"]
    broken = [row for row in sms if row["state"] == "error"]
    checks.add(
        "SMS",
        bool(sms) and not broken,
        f"{len(sms)} created {states or ''}; the SMS stub received {len(delivered)}",
        [f"sms {row['id']} to {row['number']}: {row['failure_type']}" for row in broken],
    )
    others = sorted({entry["path"] for entry in record if entry["kind"] == "iap"})
    checks.add(
        "no other IAP call",
        not others,
        "none" if not others else f"{len(others)} other IAP routes called",
        others,
    )


def check_customer_page(args, manager, before, checks):
    """A customer opens the page its email links, without a session (through the link's
    tracking redirect), and downloads its statement: a real PDF, printed by the server's
    wkhtmltopdf. Its email's open pixel records the open on its event."""
    mails = manager(
        "mail.mail",
        "search_read",
        [("id", ">", before["mail.mail"]), ("body_html", "ilike", "/collections/")],
        ["body_html"],
        limit=1,
    )
    body = mails[0]["body_html"] if mails else ""
    paths = re.findall(r'href="[^"]*?(/collections/r/[A-Za-z0-9]+/[a-z][0-9]+)"', body)
    paths += re.findall(r'href="[^"]*?((?:/[a-z]{2}(?:_[A-Z]{2})?)?/collections/[\w-]{20,})"', body)
    page_url = None
    try:
        for path in paths:
            with urllib.request.urlopen(args.url + path, timeout=120) as response:
                if "o_collection_page_form" in response.read().decode():
                    page_url = response.geturl()
                    break
        if not page_url:
            checks.add("customer page", False, "no email links the customer's page", paths[:5])
            return
        with urllib.request.urlopen(page_url + "/statement", timeout=300) as response:
            pdf = response.read()
        pixel = re.search(r'src="[^"]*?/collections/o/([A-Za-z0-9]+)\.gif"', body)
        if pixel:
            urllib.request.urlopen(f"{args.url}/collections/o/{pixel[1]}.gif", timeout=60).read()
    except urllib.error.URLError as error:
        checks.add("customer page", False, str(error), paths[:5])
        return
    pages, text = pdf_facts(pdf, args.out, "customer_page_statement.pdf")
    checks.add(
        "customer page",
        pdf.startswith(b"%PDF")
        and pages >= 1
        and re.search(r"Statement|Estado de [Cc]uenta", text) is not None,
        f"the emailed link opens the page of the open invoices; its statement is a PDF of "
        f"{pages} page(s)",
    )
    opened = pixel and manager(
        "collection.event",
        "search_count",
        [("tracking_key", "=", pixel[1]), ("opened_at", "!=", False)],
    )
    checks.add(
        "tracking",
        bool(opened) and paths[0].startswith("/collections/r/"),
        "the email's links go through the tracking redirect, its open is on its event"
        if opened
        else "no open pixel, or its open not recorded",
    )


def check_letters(args, manager, checks):
    events = manager(
        "collection.event",
        "search_read",
        [("letter_html", "!=", False)],
        ["partner_id"],
        order="id",
    )
    if not events:
        checks.add("letter PDFs", False, "the run kept no letter", [])
        checks.add("letters printed together", False, "no letter to print", [])
        return
    names = {event["id"]: event["partner_id"][1] for event in events}
    attachments = manager(
        "ir.attachment",
        "search_read",
        [
            ("res_model", "=", "collection.event"),
            ("res_id", "in", list(names)),
            ("mimetype", "=", "application/pdf"),
        ],
        ["res_id", "datas", "name"],
    )
    by_event = {attachment["res_id"]: attachment for attachment in attachments}
    problems, kept = [], 0
    for event_id, name in names.items():
        attachment = by_event.get(event_id)
        if not attachment:
            problems.append(f"event {event_id} ({name}): no PDF attachment")
            continue
        content = base64.b64decode(attachment["datas"] or "")
        if not content.startswith(b"%PDF"):
            problems.append(f"event {event_id} ({name}): the attachment is not a PDF")
            continue
        pages, text = pdf_facts(content, args.out, f"letter-{event_id}.pdf")
        if pages < 1:
            problems.append(f"event {event_id} ({name}): pdfinfo reads no page")
        elif names_missing([name], text):
            problems.append(f"event {event_id}: the PDF does not name {name}")
        else:
            kept += 1
    if manager.has_model("collection.outbox"):
        failed = manager(
            "collection.outbox",
            "search_read",
            [("kind", "=", "letter"), ("error", "!=", False)],
            ["event_id", "state", "error"],
        )
        problems += [
            f"outbox {row['event_id'][0]} {row['state']}: {row['error']}" for row in failed
        ]
    checks.add(
        "letter PDFs",
        not problems,
        f"{kept} of {len(names)} letters kept as a PDF naming the customer",
        problems,
    )
    check_printed_letters(args, names, checks)


def check_printed_letters(args, names, checks):
    """The day's letters as a manager prints them: one PDF, one page per letter at least."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    ids = ",".join(str(event_id) for event_id in names)
    url = f"{args.url}/report/pdf/{LETTER_REPORT}/{ids}"
    try:
        post_json(
            f"{args.url}/web/session/authenticate",
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": args.db, "login": MANAGER_LOGIN, "password": MANAGER_LOGIN},
            },
            opener,
        )
        with opener.open(url, timeout=args.report_timeout) as response:
            content = response.read()
    except (OSError, RpcError, urllib.error.URLError) as error:
        checks.add("letters printed together", False, f"GET {url}: {error}", [])
        return
    if not content.startswith(b"%PDF"):
        checks.add("letters printed together", False, "the answer is not a PDF", [content[:200]])
        return
    pages, text = pdf_facts(content, args.out, "letters.pdf")
    missing = names_missing(sorted(set(names.values())), text)
    checks.add(
        "letters printed together",
        pages >= len(names) and not missing,
        f"{pages} pages for {len(names)} letters",
        [f"{name} is not in the PDF" for name in missing],
    )


def check_server_log(args, checks):
    with open(args.server_log, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    problems = [line for line in lines if LOG_PROBLEM.search(line)]
    outside = sorted(
        {
            match.group(1)
            for line in lines
            if (match := IAP_CALL.search(line)) and not LOOPBACK_URL.match(match.group(1))
        }
    )
    checks.add(
        "server log",
        not problems and not outside,
        f"{len(problems)} ERROR/CRITICAL/Traceback lines, {len(outside)} calls out",
        [line[:200] for line in problems] + [f"called out: {url}" for url in outside],
    )


def summarize_events(manager):
    states = {}
    for event in manager("collection.event", "search_read", [], ["state"]):
        states[event["state"]] = states.get(event["state"], 0) + 1
    return ", ".join(f"{state} {count}" for state, count in sorted(states.items()))


def run_check(args):
    checks = Checks()
    os.makedirs(args.out, exist_ok=True)
    started = time.monotonic()
    try:
        manager = setup(args)
        before = {model: manager.max_id(model) for model in ("mail.mail", "sms.sms")}
        # the go-live choice that catches up: the demo's late customers get their letters
        print(
            "     the manager switches the automatic run on in the settings, catching up",
            flush=True,
        )
        apply_settings(manager, {"collection_auto_run": True, "collection_go_live": "catch_up"})
        ran = wait_for_run(args, manager, before)
        checks.add(
            "automatic run",
            ran,
            f"events: {summarize_events(manager)}" if ran else "no run within the wait",
        )
        if ran:
            check_messages(manager, before, read_record(args.record), checks)
            check_customer_page(args, manager, before, checks)
            check_letters(args, manager, checks)
    except (OSError, RpcError, urllib.error.URLError) as error:
        checks.add("driver", False, str(error))
    check_server_log(args, checks)
    total = len(checks.results)
    elapsed = time.monotonic() - started
    if checks.failed:
        print(f"e2e: FAILED, {checks.failed} of {total} checks ({elapsed:.0f}s)")
        return 1
    print(f"e2e: all {total} checks passed ({elapsed:.0f}s)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sinks = commands.add_parser("sinks", help="loopback SMTP sink and IAP/SMS stub")
    sinks.add_argument("--smtp-port", type=int, required=True)
    sinks.add_argument("--iap-port", type=int, required=True)
    sinks.add_argument("--record", required=True, help="JSON lines of what they received")
    sinks.add_argument("--ready", required=True, help="written once both listen")
    check = commands.add_parser("check", help="drive the server and check the outcome")
    check.add_argument("--url", required=True)
    check.add_argument("--db", required=True)
    check.add_argument("--record", required=True)
    check.add_argument("--server-log", required=True)
    check.add_argument("--server-pid", type=int)
    check.add_argument("--out", default=tempfile.gettempdir(), help="where PDFs are kept")
    check.add_argument("--http-timeout", type=int, default=60)
    check.add_argument("--run-timeout", type=int, default=150)
    check.add_argument("--outbox-timeout", type=int, default=150)
    check.add_argument("--report-timeout", type=int, default=120)
    args = parser.parse_args()
    return run_sinks(args) if args.command == "sinks" else run_check(args)


if __name__ == "__main__":
    sys.exit(main())
