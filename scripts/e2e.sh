#!/usr/bin/env bash
# End-to-end check: the addon and its demo data on a real Odoo server with a cron thread.
# A collections manager switches the automatic run on in the settings; the scheduled job
# then sends the emails (to a loopback SMTP sink) and SMS (to a loopback IAP stub) and
# keeps each letter's PDF, which the manager prints in one PDF. Nothing leaves the
# machine. Logs and PDFs: .local/e2e/. Exit 0 only if every check passes.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
if ! odoo_importable; then
  echo "end-to-end check skipped: Odoo 19.0 is not importable by python3 ($ODOO_DOCS)"
  exit 1
fi
pg_port=${PG_E2E_PORT:-55440}
http_port=${ODOO_E2E_HTTP_PORT:-58070}
smtp_port=${E2E_SMTP_PORT:-58025}
iap_port=${E2E_IAP_PORT:-58071}
db=cw_e2e
url="http://127.0.0.1:$http_port"
logs="$ROOT/.local/e2e"
driver="$ROOT/scripts/e2e_check.py"
mkdir -p "$logs"
rm -rf "${logs:?}"/*
started=$SECONDS
server_pid="" sinks_pid=""

# stop a process we started and its children (its own process group): politely, then not
stop_group() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_group "$server_pid"
  stop_group "$sinks_pid"
  "$ROOT/scripts/pg_cluster.sh" stop e2e
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "e2e: FAILED: $1"
  if [ -f "$logs/${2:-server.log}" ]; then
    echo "--- last lines of .local/e2e/${2:-server.log}"
    tail -n 40 "$logs/${2:-server.log}"
  fi
  exit 1
}

sock=$("$ROOT/scripts/pg_cluster.sh" start e2e "$pg_port") || fail "PostgreSQL did not start"
common=(--addons-path="$(odoo_addons_path)" -d "$db" --db_host="$sock" --db_port="$pg_port"
  --http-interface=127.0.0.1 --http-port="$http_port" --no-database-list
  --db-filter="^$db\$" --log-handler=werkzeug:WARNING)

echo "e2e: installing $ADDON with demo data (log: .local/e2e/install.log)"
timeout 900 python3 -m odoo server "${common[@]}" -i "$ADDON" --with-demo \
  --max-cron-threads=0 --stop-after-init --logfile="$logs/install.log" ||
  fail "the install failed" install.log

# before any cron thread starts: every job is ready at once after an install, and some
# call Odoo's servers (publisher warranty, IAP, snailmail, digest). Only the mail and SMS
# queues and the addon's own jobs stay; every IAP endpoint points at the loopback stub.
echo "e2e: keeping the network calls on loopback (log: .local/e2e/prepare.log)"
E2E_URL="$url" E2E_STUB="http://127.0.0.1:$iap_port" timeout 300 python3 -m odoo shell \
  "${common[@]}" --no-http --logfile="$logs/prepare.log" <<'PY' || fail "the preparation failed" prepare.log
import os

keep = {"mail.ir_cron_mail_scheduler_action", "sms.ir_cron_sms_scheduler_action"}
crons = env["ir.cron"].search([])
xmlids = crons.get_external_id()
off = crons.filtered(
    lambda c: xmlids[c.id] not in keep and not xmlids[c.id].startswith("collections_workflow.")
)
off.write({"active": False})
print("e2e: switched off:", ", ".join(sorted(xmlids[c.id] or c.name for c in off)))
params = env["ir.config_parameter"]
# wkhtmltopdf reads the report's assets from the server itself
params.set_param("web.base.url", os.environ["E2E_URL"])
params.set_param("web.base.url.freeze", "True")
for key in (
    "iap.endpoint",
    "sms.endpoint",
    "snailmail.endpoint",
    "iap.partner_autocomplete.endpoint",
    "enrich.endpoint",
    "html_editor.media_library_endpoint",
    "html_editor.olg_api_endpoint",
):
    params.set_param(key, os.environ["E2E_STUB"])
env.cr.commit()
PY

setsid python3 "$driver" sinks --smtp-port "$smtp_port" --iap-port "$iap_port" \
  --record "$logs/sinks.jsonl" --ready "$logs/sinks.ready" >"$logs/sinks.log" 2>&1 &
sinks_pid=$!
for _ in $(seq 1 50); do
  [ -s "$logs/sinks.ready" ] && break
  kill -0 "$sinks_pid" 2>/dev/null || break
  sleep 0.2
done
[ -s "$logs/sinks.ready" ] || fail "the SMTP sink and IAP stub did not start" sinks.log

echo "e2e: starting Odoo on $url with a cron thread (log: .local/e2e/server.log)"
# its own process group, so that the trap also stops the wkhtmltopdf it may be running
setsid python3 -m odoo server "${common[@]}" --max-cron-threads=1 \
  --smtp=127.0.0.1 --smtp-port="$smtp_port" --logfile="$logs/server.log" &
server_pid=$!

# every wait of the driver is bounded; this bounds the whole of it
timeout 600 python3 "$driver" check --url "$url" --db "$db" --record "$logs/sinks.jsonl" \
  --server-log "$logs/server.log" --server-pid "$server_pid" --out "$logs"
rc=$?
echo "e2e: $((SECONDS - started))s"
[ "$rc" = 0 ] || fail "see the checks above"
