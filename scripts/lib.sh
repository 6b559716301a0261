# Shared by scripts/run.sh and scripts/test.sh: where Odoo is and how to call it.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=collections_workflow
ODOO_DOCS="https://www.odoo.com/documentation/19.0/administration/on_premise/source.html"

odoo_importable() {
  python3 -c "import odoo, odoo.release; assert odoo.release.version_info[0] == 19" >/dev/null 2>&1
}

# Odoo's community addons folder: ODOO_ADDONS_PATH if set, else the "addons" folder beside
# the imported odoo package (a source checkout). The enterprise folder is never added.
odoo_addons_path() {
  local community
  community=${ODOO_ADDONS_PATH:-$(python3 -c "import os, odoo; print(os.path.join(os.path.dirname(list(odoo.__path__)[0]), 'addons'))")}
  echo "$community,$ROOT"
}

odoo_bin() {
  python3 -m odoo "$@"
}
