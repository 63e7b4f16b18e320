#!/usr/bin/env bash
# Sets up a fresh machine for OptLab: Debian's Chromium (browser tests and the GPU backend's
# WebGL2/WebGPU tests run in it; Playwright is pointed at /usr/bin/chromium, never downloads one),
# Debian's Fashion-MNIST (the IDX files in /usr/share/datasets/fashion-mnist/, the default folder
# of the fashion-mnist dataset and examples/fmnist-mlp.json), the npm packages from the lock file (Electron's binary is never downloaded here) and the CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages; install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund

# Build the libraries and the CLI, so that `npx optlab ...` works right after set-up.
NX_DAEMON=false npx nx run @optlab/cli:build --output-style=static >/dev/null
