#!/usr/bin/env bash
# Installs the Debian packages tlsdiag needs, only those missing.
#   scripts/install-deps.sh demo   build + run the demo
#   scripts/install-deps.sh check  build + every test (real servers, fuzzers)
set -euo pipefail

build_pkgs="build-essential cmake pkg-config libssl-dev openssl libjansson-dev libpcap-dev"
check_pkgs="$build_pkgs libcmocka-dev clang libclang-rt-14-dev python3 python3-pytest curl
  nginx apache2 gnutls-bin iproute2 tcpdump"
bench_pkgs="$check_pkgs sslscan nmap testssl.sh hyperfine"

case "${1:-check}" in
  demo) want="$build_pkgs" ;;
  check) want="$check_pkgs" ;;
  bench) want="$bench_pkgs" ;;
  *) echo "install-deps: unknown set '$1' (demo, check, bench)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "tlsdiag needs these Debian packages:$missing" >&2
  echo "run as root, or: sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "installing:$missing" >&2
# Packages such as apache2 and nginx try to start system services on install;
# tests run their own private instances, so keep the system ones stopped.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
