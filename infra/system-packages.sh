#!/usr/bin/env bash
# Debian packages the project needs beyond Python (installed only when missing; needs root).
set -euo pipefail
# postgresql: the server binaries for a throwaway cluster when none answers on 5432 (.ci/run);
# postgresql-client: pg_isready, psql; chromium + CJK fonts: the browser tests (tests/web/browser);
# pango + harfbuzz-subset: WeasyPrint, for the PDF forms
packages=(postgresql postgresql-client chromium chromium-driver fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "system packages present: ${packages[*]}"
