#!/usr/bin/env bash
# Debian packages the project needs beyond Python (installed only when missing; needs root).
set -euo pipefail
packages=(postgresql-client chromium chromium-driver fonts-noto-cjk)  # chromium + CJK fonts: the browser tests (tests/web/browser)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "system packages present: ${packages[*]}"
