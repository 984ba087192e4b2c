#!/usr/bin/env bash
# The web workbench (web/): `scripts/web.sh build` installs its npm packages from the committed
# lock file (only when they changed) and builds it into web/dist, which `yuqing serve` serves;
# `scripts/web.sh test` runs its unit tests (Vitest) and then its browser tests (playwright-core
# driving Debian's chromium, headless, against a `yuqing serve` the tests start on loopback).
#
# YQ_WEB_BIN  the build directory holding yuqing for the browser tests (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../web"

need_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "web: Node.js and npm are needed (scripts/setup.sh installs them)" >&2
    exit 1
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "web: Node.js $(node --version) is too old; the workbench needs Node.js 20.19 or later" >&2
    exit 1
  fi
}

install() {
  need_node
  # npm ci wipes and reinstalls node_modules: only when the lock file changed since.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "web: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

case "${1:-build}" in
  build)
    install
    echo "web: vite build → web/dist"
    npm run --silent build
    ;;
  test)
    install
    [ -f dist/index.html ] || npm run --silent build
    echo "web: unit tests (vitest)"
    npm test --silent
    echo "web: browser tests (playwright-core + chromium)"
    YQ_BIN="$(cd .. && pwd)/${YQ_WEB_BIN:-build/release}" npm run --silent e2e
    ;;
  *)
    echo "usage: scripts/web.sh build|test" >&2
    exit 2
    ;;
esac
