#!/usr/bin/env bash
# Sets up a fresh machine for OptLab: Debian's Chromium (browser tests and the GPU backend's
# WebGL2/WebGPU tests run in it; Playwright is pointed at /usr/bin/chromium, never downloads one)
# the npm packages from the lock file (Electron's binary is never downloaded here) and the CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; install Debian's chromium package (as root: apt-get install -y chromium)" >&2
    exit 1
  fi
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund

# Build the libraries and the CLI, so that `npx optlab ...` works right after set-up.
NX_DAEMON=false npx nx run @optlab/cli:build --output-style=static >/dev/null
