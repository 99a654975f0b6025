#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser build): install it
# when it is missing. Refresh the package lists only if the first install attempt fails.
set -eu

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is missing: run 'apt-get install -y chromium' as root (the browser tests need it)." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends chromium; then
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi
