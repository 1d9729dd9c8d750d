#!/usr/bin/env bash
# Browser tests drive Debian's chromium through Playwright (never Playwright's own browser download).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
