#!/usr/bin/env bash
# Code functions run in a bubblewrap sandbox (docs/design.md D17): install Debian's
# bubblewrap when it is missing. libseccomp2 and python3 are already part of Debian.
set -eu

if command -v bwrap >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "bubblewrap is missing: run 'apt-get install -y bubblewrap' as root (code functions need it)." >&2
  exit 0  # the product still runs; code functions answer RUNNER_UNAVAILABLE until it is installed
fi
echo "Installing Debian's bubblewrap for the code-function sandbox"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends bubblewrap; then
  apt-get update
  apt-get install -y --no-install-recommends bubblewrap
fi
