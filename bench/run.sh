#!/usr/bin/env bash
# Runs bench/run.py inside a private network namespace with only loopback,
# so that neither tlsdiag nor the peer tools can reach any other address
# (testssl.sh resolves "invalid." at start-up; see shared TESTING.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec unshare -n bash -c 'ip link set lo up && exec /usr/bin/python3 "$0" "$@"' "$here/run.py" "$@"
