#!/usr/bin/env bash
# Deployment checks that run without a Docker engine: compose (docker-compose v1), yamllint, dockerfilelint,
# Kubernetes schemas, and the published app run with the image's environment until ready + one inference.
set -euo pipefail
bash deploy/verify.sh
