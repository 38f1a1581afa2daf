#!/usr/bin/env bash
# Install the hub's proxy, configurable-http-proxy from the npm registry, at the version pinned in
# hub/package-lock.json, into hub/node_modules (npm ci). Needs Node.js 20 or later and npm.
# A second run does nothing while hub/package-lock.json is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "Node.js and npm are needed for the hub's proxy: install Node.js 20 or later (with npm)." >&2
    exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "Node.js $(node --version) is too old for configurable-http-proxy: install Node.js 20 or later." >&2
    exit 1
fi
stamp=hub/node_modules/.installed-lock.sha256
want=$(sha256sum hub/package-lock.json | cut -d' ' -f1)
if [ -x hub/node_modules/.bin/configurable-http-proxy ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "configurable-http-proxy present: $(hub/node_modules/.bin/configurable-http-proxy --version)"
    exit 0
fi
npm ci --prefix hub --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "configurable-http-proxy installed: $(hub/node_modules/.bin/configurable-http-proxy --version)"
