#!/usr/bin/env bash
# Source lint (run by ctest): banned functions (curl checksrc), and the
# layering rule of DESIGN.md: wire/ and below never touch the network,
# OpenSSL or libpcap.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0

banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|sscanf)[[:space:]]*\('
if hits=$(grep -rnE "$banned" src tests/unit fuzz bench --include='*.c' --include='*.h' 2>/dev/null); then
  echo "lint: banned function(s):"; echo "$hits"; fail=1
fi

# Pure layers: no OpenSSL, no libpcap, no sockets, no jansson.
pure="src/core src/wire src/registry src/hello src/xbee"
forbidden='#[[:space:]]*include[[:space:]]*[<"](openssl/|pcap|sys/socket\.h|netdb\.h|netinet/|arpa/inet\.h|jansson\.h|poll\.h)'
for d in $pure; do
  [ -d "$d" ] || continue
  if hits=$(grep -rnE "$forbidden" "$d"); then
    echo "lint: layering violation in $d (wire/ and below never touch network, OpenSSL, libpcap or JSON):"
    echo "$hits"; fail=1
  fi
done

# OpenSSL is used only by the TLS-handshake layer and the X.509 layer (DESIGN.md).
if hits=$(grep -rlE '#[[:space:]]*include[[:space:]]*<openssl/' src | grep -vE '^src/(tlsio|x509)/'); then
  echo "lint: OpenSSL used outside src/tlsio and src/x509:"; echo "$hits"; fail=1
fi

# Every switch has a default: (s2n DEVELOPMENT-GUIDE).
for f in $(find src -name '*.c'); do
  s=$(grep -cE '^\s*switch\s*\(' "$f"); dflt=$(grep -cE '^\s*default\s*:' "$f")
  if [ "$s" -gt "$dflt" ]; then echo "lint: $f has $s switch but $dflt default:"; fail=1; fi
done

[ "$fail" = 0 ] && echo "lint: ok"
exit $fail
