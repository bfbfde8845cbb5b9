#!/usr/bin/env bash
# Installs the Python test environment of the monitor_bridge integration: a venv with
# pytest-homeassistant-custom-component (which pins its own homeassistant) inside the Debian
# forky root file system that test/e2e/setup-ha.sh builds (the host's Python 3.11 is too old).
# It is a separate venv from the e2e Home Assistant (/opt/ha) because the plugin pins another
# homeassistant release. Idempotent: a marker holds what was installed; a second run takes ~1 s.
#
# Usage: bash test/bridge/setup.sh             (needs root, or sudo; called by test/e2e/setup.sh)
# Env:   MONITOR_E2E_DIR   cache directory (default /var/cache/monitor-e2e)
#        PHACC_VERSION     pytest-homeassistant-custom-component version (default: pinned below)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# 0.13.375 pins homeassistant==2026.10.4 and needs Python >= 3.14 (checked on PyPI, Dec 2026).
PHACC_VERSION="${PHACC_VERSION:-0.13.375}"
ROOT="${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}/ha/rootfs"
VENV_IN=/opt/bridge-test # inside the root file system
VENV="$ROOT$VENV_IN"
WANT="pytest-homeassistant-custom-component==$PHACC_VERSION"

say() { echo "setup-bridge: $*"; }
die() {
  echo "setup-bridge: ERROR: $*" >&2
  exit 1
}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# The root file system, its resolv.conf, CA bundle and the host's pip settings: setup-ha.sh.
[ -f "$ROOT/.monitor-rootfs-ok" ] || bash "$HERE/../e2e/setup-ha.sh"

if [ -f "$VENV/.monitor-bridge-ok" ] && [ "$(cat "$VENV/.monitor-bridge-ok")" = "$WANT" ]; then
  say "$WANT present in $VENV"
  exit 0
fi

# The host's pip environment (index, certificate, local wheels) passed into the chroot; the
# CA bundle is the copy setup-ha.sh refreshed inside the root file system.
PIP_ENV=(PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1)
for v in $(env | grep -o '^PIP_[A-Z_]*' || true); do
  [ "$v" = PIP_CERT ] || PIP_ENV+=("$v=${!v}")
done
CA_IN=/etc/ssl/certs/monitor-host-ca.crt
if [ -f "$ROOT$CA_IN" ]; then
  PIP_ENV+=(PIP_CERT="$CA_IN" SSL_CERT_FILE="$CA_IN" REQUESTS_CA_BUNDLE="$CA_IN")
fi

in_root() {
  $SUDO env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 "${PIP_ENV[@]}" unshare -m --propagation private sh -ec '
      root="$1"; shift
      mount -t proc proc "$root/proc"
      mount --rbind /dev "$root/dev"
      if [ -n "${PIP_FIND_LINKS:-}" ] && [ -d "$PIP_FIND_LINKS" ]; then
        mkdir -p "$root$PIP_FIND_LINKS"; mount --bind -o ro "$PIP_FIND_LINKS" "$root$PIP_FIND_LINKS"
      fi
      exec chroot "$root" "$@"' in_root "$ROOT" "$@"
}

START=$(date +%s)
$SUDO rm -f "$VENV/.monitor-bridge-ok"
[ -f "$VENV/pyvenv.cfg" ] || in_root python3.14 -m venv "$VENV_IN" || die "python3.14 -m venv failed"
say "pip install $WANT (a few minutes the first time)"
in_root "$VENV_IN/bin/pip" install --quiet --prefer-binary "$WANT" ||
  die "pip install $WANT failed (is PyPI reachable? see pip's message above)"
ha="$(in_root "$VENV_IN/bin/python" -c 'from homeassistant.const import __version__; print(__version__)')" ||
  die "homeassistant does not import in $VENV_IN"
echo "$WANT" | $SUDO tee "$VENV/.monitor-bridge-ok" >/dev/null
say "ready: $WANT with homeassistant $ha in $VENV; took $(($(date +%s) - START)) s"
