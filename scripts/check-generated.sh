#!/usr/bin/env bash
# Fails when a committed generated file no longer matches its generator's
# output (run by ctest once registered; also usable by hand):
#   src/registry/suites_gen.c  <- scripts/gen-registry.py + data/iana-tls-cipher-suites.csv
# Regenerate with: /usr/bin/python3 scripts/gen-registry.py
set -uo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 scripts/gen-registry.py --check
