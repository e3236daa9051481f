#!/usr/bin/env bash
# The main job: installs what is missing, builds, and serves the web demo on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/build.sh
exec node scripts/serve.mjs
