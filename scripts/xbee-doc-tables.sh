#!/usr/bin/env bash
# Regenerates the generated section of docs/xbee.md (between the
# "BEGIN/END tlsdiag xbee tables" markers) from `tlsdiag xbee tables`, the
# const tables in src/xbee/. tests/e2e/test_xbee_cli.py fails if it is stale.
#   scripts/xbee-doc-tables.sh [path/to/tlsdiag]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/tlsdiag}
"$bin" xbee tables > docs/.xbee-tables.tmp
/usr/bin/python3 - <<'PY'
import re
doc = open("docs/xbee.md", encoding="utf-8").read()
gen = open("docs/.xbee-tables.tmp", encoding="utf-8").read()
b, e = "<!-- BEGIN tlsdiag xbee tables -->\n", "<!-- END tlsdiag xbee tables -->"
head, rest = doc.split(b, 1)
_, tail = rest.split(e, 1)
open("docs/xbee.md", "w", encoding="utf-8").write(head + b + gen + e + tail)
PY
rm -f docs/.xbee-tables.tmp
