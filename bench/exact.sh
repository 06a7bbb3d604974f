#!/usr/bin/env bash
# Runs bench/exact.py inside a private network namespace with only loopback.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec unshare -n bash -c 'ip link set lo up && exec /usr/bin/python3 "$0" "$@"' "$here/exact.py" "$@"
