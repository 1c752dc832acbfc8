#!/usr/bin/env bash
# The Debian packages the project runs, installed only when missing (a second run costs nothing):
#   demo  what `make demo` runs: nginx (the user-space frontend on loopback)
#   test  (default) also what the tests start on loopback (PostgreSQL, MariaDB, bind9, pebble, one sshd per
#         host of the fleet suite) and use (sslscan, chromium with a font for the browser tests' screenshots and
#         NSS's certutil to make the demo CA one of its roots, curl, openssl, shellcheck, sudo), and the
#         en_US.UTF-8 locale (ansible-test runs in it, and warns when it has to fall back to C.UTF-8)
# As root directly, otherwise through sudo; without either it names what is missing and the command to run.
set -euo pipefail
profile=${1:-test}
case "$profile" in
  demo) packages=(nginx) ;;
  test) packages=(nginx postgresql mariadb-server mariadb-client bind9 bind9-utils pebble sslscan curl chromium
                  openssl shellcheck fonts-dejavu-core libnss3-tools openssh-server sudo locales) ;;
  *) echo "usage: $0 [demo|test]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
needs_locale=false
if [ "$profile" = test ] && ! locale -a 2>/dev/null | grep -qix 'en_US\.utf-\?8'; then
  needs_locale=true
fi
if [ ${#missing[@]} -eq 0 ] && [ "$needs_locale" = false ]; then
  echo "system packages ($profile): all present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  if [ ${#missing[@]} -gt 0 ]; then
    echo "The $profile needs Debian packages that are not installed: ${missing[*]}." >&2
    echo "Install them as root, then run make again: apt-get install --no-install-recommends ${missing[*]}" >&2
  fi
  if [ "$needs_locale" = true ]; then
    echo "The $profile needs the en_US.UTF-8 locale. As root: localedef -i en_US -f UTF-8 en_US.UTF-8" >&2
  fi
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "system packages ($profile): installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's packages try to start their daemons on the standard ports; the project starts its own elsewhere.
  for svc in nginx mariadb postgresql named bind9 ssh; do
    "${SUDO[@]}" service "$svc" stop >/dev/null 2>&1 || true
  done
fi
if [ "$needs_locale" = true ]; then
  echo "system locale: compiling en_US.UTF-8"
  "${SUDO[@]}" localedef -i en_US -f UTF-8 en_US.UTF-8
fi
