#!/usr/bin/env bash
# Prisma 7's CLI downloads a native schema engine that cannot be fetched offline. `generate` only needs
# the path to exist, so point it at a stub; migrations are applied by our own SQL runner (npm run db:migrate).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f prisma/schema.prisma ] || exit 0
stub="node_modules/.cache/prisma-schema-engine-stub"
mkdir -p "$(dirname "$stub")" && [ -f "$stub" ] || printf '#!/bin/sh\nexit 1\n' > "$stub"
chmod +x "$stub"
PRISMA_SCHEMA_ENGINE_BINARY="$PWD/$stub" PRISMA_HIDE_UPDATE_MESSAGE=1 npx prisma generate --schema prisma/schema.prisma >/dev/null
echo "prisma client generated"
