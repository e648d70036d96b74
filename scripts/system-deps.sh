#!/usr/bin/env bash
# Installs the Debian packages Retorno needs when they are missing (only possible as root).
#   scripts/system-deps.sh run    what `make run` needs: venv, gettext
#   scripts/system-deps.sh test   plus Chromium for browser tests, pango for PDFs
set -euo pipefail
want=(python3-venv gettext)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# python3-venv only matters for Debian's own python3; a python with a working venv needs nothing.
if python3 -c "import ensurepip, venv" 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
