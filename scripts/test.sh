#!/usr/bin/env bash
# The project's test command: lint, plain tests, and (where Odoo 19 is importable) the
# Odoo suite on a fresh database in a throwaway PostgreSQL cluster. Ends with one line:
# "N passed, N failed, N skipped".
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export PYTHONDONTWRITEBYTECODE=1
logs="$ROOT/.local/test"
mkdir -p "$logs"
passed=0 failed=0 skipped=0 problems=()

step() { printf '\n== %s\n' "$*"; }
fail() { problems+=("$1"); }

step "ruff"
ruff check --no-fix . || fail "ruff check"
ruff format --check . || fail "ruff format"

step "pylint-odoo"
pylint --rcfile=.pylintrc-mandatory "$ADDON" || fail "pylint-odoo (mandatory)"
pylint --rcfile=.pylintrc --exit-zero "$ADDON" >"$logs/pylint-advisory.log" 2>&1
echo "advisory report: .local/test/pylint-advisory.log ($(grep -c '\[[A-Z][0-9]' "$logs/pylint-advisory.log") notes)"

step "OCA module checks"
oca-checks-odoo-module --no-verbose "$ADDON/__manifest__.py" || fail "oca-checks-odoo-module"
oca-checks-po --disable=po-pretty-format --no-verbose "$ADDON"/i18n/*.po* || fail "oca-checks-po"

step "plain tests"
python3 -m pytest -p no:cacheprovider -q tests_plain | tee "$logs/plain.log"
plain_rc=${PIPESTATUS[0]}
line=$(grep -E '[0-9]+ (passed|failed)' "$logs/plain.log" | tail -n 1)
p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); passed=$((passed + ${p:-0}))
f=$(grep -oE '[0-9]+ (failed|errors?)' <<<"$line" | awk '{s+=$1} END {print s+0}'); failed=$((failed + ${f:-0}))
s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+'); skipped=$((skipped + ${s:-0}))
[ "$plain_rc" = 0 ] || fail "plain tests"

if odoo_importable; then
  step "Odoo suite"
  scripts/odoo_suite.sh "$logs" || fail "Odoo suite"
  if [ -f "$logs/odoo-counts" ]; then
    read -r op of os <"$logs/odoo-counts"
    passed=$((passed + op)); failed=$((failed + of)); skipped=$((skipped + os))
  fi
  step "end-to-end check (a real server, its cron thread, real PDFs)"
  if bash scripts/e2e.sh; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); fail "end-to-end check"
  fi
else
  echo
  echo "Odoo suite skipped: Odoo 19.0 is not importable by python3 here (install it from source: $ODOO_DOCS)."
fi

echo
if [ ${#problems[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${problems[@]}"
  [ "$failed" -gt 0 ] || failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ ${#problems[@]} -eq 0 ]
