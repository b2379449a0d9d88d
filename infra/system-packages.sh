#!/usr/bin/env bash
# Debian packages the project needs beyond Python's own (installed only when missing; root, or sudo).
set -euo pipefail
# python3-venv: `python3 -m venv` (.ci/run builds a fresh virtualenv every run);
# postgresql: the server binaries for a throwaway cluster when none answers on 5432 (.ci/run, tests/pg.py);
# postgresql-client: pg_isready, psql; chromium + CJK fonts: the browser tests (tests/web/browser, which drive
# /usr/bin/chromium through Playwright: no chromedriver); pango + harfbuzz-subset: WeasyPrint, for the PDF forms;
# libreoffice-calc: the print test converts every XLSX form to PDF headless (tests/reports/test_printing.py)
packages=(python3-venv postgresql postgresql-client chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 libreoffice-calc)
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "system packages present: ${packages[*]}"
