#!/usr/bin/env bash
# Installs the Debian packages yuqing needs to build, test and run (see DESIGN.md,
# "Dependencies"). Idempotent: installs only what is missing. Works as root or via sudo.
# Usage: scripts/setup.sh            (build + test dependencies)
# Node.js 20 or later is needed for the web workbench (web/package.json "engines").
set -euo pipefail

PACKAGES=(
  # build and test
  build-essential cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev clang-format clang-tidy
  # core libraries
  libsqlite3-dev sqlite3 nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libfmt-dev libspdlog-dev libcpp-httplib-dev libssl-dev libsodium-dev
  # text engine: OpenCC conversion, jieba data files (data only, no code used)
  libopencc-dev opencc python3-jieba
  # rules: multi-pattern matching
  libhyperscan-dev
  # collectors (docs/collect.md): libcurl for HTTP (timeouts, size limits, redirects,
  # conditional GET, gzip, TLS) and libxml2 for feeds and HTML pages (one parser for XML and
  # forgiving HTML, with XPath for the web-page selectors); iconv comes with glibc
  libcurl4-openssl-dev libxml2-dev
  # .xlsx exports in drop folders are ZIP archives, inflated with zlib
  zlib1g-dev
  # tests that drive the real thing
  curl python3 python3-aiosmtpd
  # the web workbench: Node.js to build it (npm ci, vite), Debian's Chromium for its browser
  # tests (driven by playwright-core, which never downloads a browser), a Chinese font for it
  nodejs chromium fonts-wqy-microhei
  # reports (docs/reports.md): PDF printed by that Chromium with Noto CJK (for 仿宋 / 小标宋),
  # DOCX by pandoc with the charts drawn to PNG by rsvg-convert; pdftotext / pdftoppm and
  # unzip check them in the tests
  fonts-noto-cjk pandoc librsvg2-bin poppler-utils unzip
  # the tests open the DOCX reports in LibreOffice headless, as an office's Word would
  libreoffice-writer-nogui
)
# Debian ships npm as its own package; NodeSource's nodejs includes it.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
