#!/usr/bin/env bash
# Debian packages the tests start on loopback: nginx, PostgreSQL, MariaDB, bind9, pebble, sslscan, chromium (with a
# font, for the screenshots of the browser tests).
# Installs only what is missing, so a second run costs nothing. Needs root (or sudo).
set -euo pipefail
packages=(nginx postgresql mariadb-server mariadb-client bind9 bind9-utils pebble sslscan curl chromium
          openssl shellcheck fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's packages try to start their daemons; the tests start their own on other ports.
for svc in nginx mariadb postgresql named bind9; do
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
