#!/usr/bin/env bash
# Install the addon with demo data on a fresh database (the log must be free of warnings
# and errors), run its tests, then uninstall it (no error). Writes "passed failed skipped"
# to LOGDIR/odoo-counts.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
logs=${1:?log dir}
port=${PG_TEST_PORT:-55439}
http_port=${ODOO_TEST_HTTP_PORT:-58069}
db=cw_test
rm -f "$logs/odoo-counts" "$logs/install.log" "$logs/odoo-tests.log" "$logs/uninstall.log"
sock=$("$ROOT/scripts/pg_cluster.sh" start test "$port") || { echo "PostgreSQL did not start"; exit 1; }
trap '"$ROOT/scripts/pg_cluster.sh" stop test' EXIT
common=(--addons-path="$(odoo_addons_path)" -d "$db" --db_host="$sock" --db_port="$port"
  --http-interface=127.0.0.1 --http-port="$http_port" --smtp=127.0.0.1 --smtp-port=25
  --max-cron-threads=0 --no-database-list --log-handler=werkzeug:WARNING)
rc=0

echo "installing $ADDON with demo data (log: .local/test/install.log)"
odoo_bin server "${common[@]}" -i "$ADDON" --with-demo --stop-after-init --logfile="$logs/install.log"
if grep -E ' (WARNING|ERROR|CRITICAL) ' "$logs/install.log"; then
  echo "the install log has warnings or errors (above)"; rc=1
else
  echo "install log: no warning, no error"
fi

echo "running the tests (log: .local/test/odoo-tests.log)"
odoo_bin server "${common[@]}" --test-enable --test-tags="/$ADDON" --stop-after-init \
  --log-level=test --logfile="$logs/odoo-tests.log"
test_rc=$?
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$logs/odoo-tests.log" | tail -n 1)
grep -E '(ERROR|FAIL):' "$logs/odoo-tests.log" | head -n 40
if [ -z "$summary" ]; then
  echo "the Odoo runner printed no summary: it ran no test"; rc=1
  echo "0 1 0" >"$logs/odoo-counts"
else
  read -r f _ e _ _ n _ <<<"$summary"
  s=$(grep -cE 'INFO .* skipped ' "$logs/odoo-tests.log")
  echo "Odoo: $summary, $s skipped"
  echo "$((n - f - e - s)) $((f + e)) $s" >"$logs/odoo-counts"
  { [ "$test_rc" = 0 ] && [ "$f" = 0 ] && [ "$e" = 0 ]; } || rc=1
fi
if grep -q "websocket-client" "$logs/odoo-tests.log"; then
  echo "tours were skipped: websocket-client is missing"; rc=1
fi

echo "uninstalling $ADDON (log: .local/test/uninstall.log)"
odoo_bin shell "${common[@]}" --logfile="$logs/uninstall.log" <<'PY' >/dev/null
module = env["ir.module.module"].search([("name", "=", "collections_workflow")])
module.button_immediate_uninstall()
env.cr.commit()
PY
state=$(psql -h "$sock" -p "$port" -d "$db" -qAt -c "SELECT state FROM ir_module_module WHERE name = '$ADDON'")
if grep -E ' (ERROR|CRITICAL) ' "$logs/uninstall.log" || [ "$state" != uninstalled ]; then
  echo "uninstall failed (state: $state)"; rc=1
else
  echo "uninstall: clean"
fi
exit $rc
