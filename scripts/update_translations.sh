#!/usr/bin/env bash
# Regenerate i18n/collections_workflow.pot from the code (on a throwaway database) and merge
# it into i18n/es.po; new strings then show up untranslated in es.po, to be translated.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
odoo_importable || { echo "Odoo 19.0 is not importable by python3: see $ODOO_DOCS"; exit 1; }
port=${PG_I18N_PORT:-55441}
work="$ROOT/.local/i18n"
mkdir -p "$work"
sock=$("$ROOT/scripts/pg_cluster.sh" start i18n "$port")
trap '"$ROOT/scripts/pg_cluster.sh" stop i18n' EXIT
cat >"$work/odoo.conf" <<CONF
[options]
addons_path = $(odoo_addons_path)
db_host = $sock
db_port = $port
CONF
odoo_bin server -c "$work/odoo.conf" -d cw_i18n -i "$ADDON" --stop-after-init \
  --max-cron-threads=0 --no-http --logfile="$work/install.log"
odoo_bin i18n export -c "$work/odoo.conf" -d cw_i18n -l pot -o "$ROOT/$ADDON/i18n/$ADDON.pot" "$ADDON" \
  >>"$work/install.log" 2>&1
po="$ROOT/$ADDON/i18n/es.po"
if [ -f "$po" ]; then
  msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$ROOT/$ADDON/i18n/$ADDON.pot"
else
  msginit --no-translator --locale=es --input="$ROOT/$ADDON/i18n/$ADDON.pot" --output-file="$po"
fi
echo "untranslated in es.po: $(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid' || true)"
