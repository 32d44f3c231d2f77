#!/usr/bin/env bash
# Install the Debian packages the browser, database and proxy tests (and make serve) need, when they are missing
# and we may (root with apt-get, as in CI). Elsewhere, say what is missing and go on: the
# tests that need them then fail or skip with a message naming the package.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx)  # make serve REPLICAS=N, proxy tests
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
else
  echo "WARNING: missing Debian packages (${need[*]}); install them with: sudo apt-get install ${need[*]}" >&2
fi
exit 0
