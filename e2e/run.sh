#!/usr/bin/env bash
# End-to-end tests of the tiski workspace in a real headless Chromium (Debian's `chromium`,
# driven by playwright-core). Builds nothing: it tests target/debug/tiski, or $TISKI_BIN.
# Installs what is missing: the chromium package (apt) and e2e/node_modules (npm ci).
# Screenshots: test-output/screenshots/; server log: test-output/e2e-server.log.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ]; then
  # Only the driver library: never `playwright install` (the browser is Debian's).
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

export TISKI_BIN="${TISKI_BIN:-$(cd .. && pwd)/target/debug/tiski}"
if [ ! -x "$TISKI_BIN" ]; then
  echo "e2e: no tiski binary at $TISKI_BIN; run 'cargo build -p tiski' first or set TISKI_BIN" >&2
  exit 2
fi

# node --test exits non-zero when a test fails; the TAP reporter ends with "# pass N" / "# fail N".
# Every *.test.mjs file is a suite (one per area of the workspace), run one after another.
exec node --test --test-reporter=tap --test-concurrency=1 ./*.test.mjs
