#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, then the npm packages.
# Real servers the tests start: PostgreSQL, Redis, Prometheus (promtool), Alertmanager (amtool), Chromium;
# docker-compose validates docker-compose.yml (no Docker engine needed).
# Further Debian packages may be named as arguments (`npm run bench:setup` adds blackbox_exporter).
set -euo pipefail

packages=(prometheus prometheus-alertmanager postgresql redis-server chromium openssl docker-compose "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The packages' own daemons are not used: tests start their own servers on free ports.
npm ci --no-audit --no-fund
