#!/usr/bin/env bash
# The docs-examples test runs README's and docs/'s shell blocks, which call curl (and grep, od: coreutils).
set -euo pipefail
if command -v curl >/dev/null; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends curl >/dev/null
curl --version | head -1
