#!/usr/bin/env bash
# The project's run command: a throwaway PostgreSQL cluster in .local/, a database with the
# addon and its demo portfolio, and Odoo served on http://127.0.0.1:8069.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if ! odoo_importable; then
  echo "Odoo 19.0 is not importable by python3: install it from source first ($ODOO_DOCS)."
  exit 1
fi
port=${PG_RUN_PORT:-55438}
http_port=${ODOO_HTTP_PORT:-8069}
db=${ODOO_DB:-collections_demo}
mkdir -p "$ROOT/.local/run"
sock=$("$ROOT/scripts/pg_cluster.sh" start run "$port")
trap '"$ROOT/scripts/pg_cluster.sh" stop run' EXIT
common=(--addons-path="$(odoo_addons_path)" -d "$db" --db_host="$sock" --db_port="$port"
  --http-interface=127.0.0.1 --http-port="$http_port" --smtp=127.0.0.1
  --no-database-list --db-filter="^$db\$")
echo "creating database $db with $ADDON and its demo portfolio (log: .local/run/install.log)..."
odoo_bin server "${common[@]}" -i "$ADDON" --with-demo --stop-after-init \
  --logfile="$ROOT/.local/run/install.log"
cat <<MSG

Odoo is starting on http://127.0.0.1:$http_port  (Ctrl+C stops it and drops the cluster)
  administrator:            admin / admin
  collections manager:      paula.rojas / paula.rojas            (not an Odoo administrator)
  collections supervisor:   carolina.fuentes / carolina.fuentes   (Chile team)
  collections advisor:      valentina.soto / valentina.soto       (her own customers only)
  other advisors:           matias.munoz, francisca.rojas, lucia.flores, diego.mamani,
                            rosa.huaman, alejandro.garcia, fernanda.lopez (password = login)
  other supervisors:        jorge.quispe, mariana.hernandez (password = login)

MSG
odoo_bin server "${common[@]}" --max-cron-threads=0
