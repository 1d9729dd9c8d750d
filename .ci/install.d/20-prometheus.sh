#!/usr/bin/env bash
# The metrics test lets a real Prometheus server scrape the service: Debian's package, started by the test itself.
set -euo pipefail
if [ -x /usr/bin/prometheus ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package's service is not wanted: the test runs its own instance on a free port.
(systemctl disable --now prometheus 2>/dev/null || service prometheus stop 2>/dev/null) || true
/usr/bin/prometheus --version
