#!/usr/bin/env bash
# install-deps.sh -- install the Debian packages corpsearch needs, only those missing.
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also what the test suite needs
set -euo pipefail

pkgs=(gcc g++ pkg-config meson ninja-build libxapian-dev libicu-dev
      libmicrohttpd-dev libjansson-dev libzstd-dev)
if [[ "${1:-}" == "--test" ]]; then
    pkgs+=(libcmocka-dev jq xapian-tools curl chromium)
    # Node.js for the browser test's driver, unless one is already on PATH
    # (installed some other way: don't fight it with Debian's).
    command -v node >/dev/null || pkgs+=(nodejs)
    command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
