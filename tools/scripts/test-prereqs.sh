#!/usr/bin/env bash
# Everything the test suite needs beyond npm packages: services running, Chromium for the UI test, schema migrated.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-services.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package) for browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi
if [ -f prisma/schema.prisma ]; then npm run --silent db:migrate; fi
