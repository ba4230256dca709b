#!/usr/bin/env bash
# Sets everything up, builds the package and serves the demo on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec node www/serve.mjs
