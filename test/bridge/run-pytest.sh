#!/usr/bin/env bash
# Runs the monitor_bridge pytest suite in the Python 3.14 root file system (test/bridge/setup.sh).
# The repository is bind-mounted read-only at /mnt/monitor-src inside it; a run directory
# holds `custom_components -> /mnt/monitor-src/custom_components_bridge` (HA imports custom
# integrations from the `custom_components` package) and the JUnit report. Nothing stays
# mounted: the mounts live in a private mount namespace that ends with pytest.
#
# Usage: bash test/bridge/run-pytest.sh RUN_DIR [pytest args…]
#   RUN_DIR: a directory under <rootfs>/tmp (the caller reads RUN_DIR/junit.xml and removes it).
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOT="${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}/ha/rootfs"
VENV_IN=/opt/bridge-test
RUN="$1"
shift
case "$RUN" in "$ROOT"/tmp/*) ;; *)
  echo "run-pytest: RUN_DIR must be under $ROOT/tmp" >&2
  exit 2
  ;;
esac
[ -f "$ROOT$VENV_IN/.monitor-bridge-ok" ] || {
  echo "run-pytest: no test venv in $ROOT$VENV_IN: run 'bash test/bridge/setup.sh' (as root)" >&2
  exit 3
}
ln -sfn /mnt/monitor-src/custom_components_bridge "$RUN/custom_components"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
exec $SUDO env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 \
  unshare -m --propagation private sh -ec '
    root="$1"; src="$2"; run="$3"; shift 3
    mkdir -p "$root/mnt/monitor-src"
    mount --bind "$src" "$root/mnt/monitor-src"
    mount -o remount,bind,ro "$root/mnt/monitor-src"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    cd "$run"
    exec chroot "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "${run#"$root"}" "$@"' \
  run-pytest "$ROOT" "$SRC" "$RUN" "$VENV_IN/bin/python" -m pytest -c /mnt/monitor-src/test/bridge/pytest.ini \
  --rootdir /mnt/monitor-src/test/bridge -p no:cacheprovider --junitxml="${RUN#"$ROOT"}/junit.xml" \
  /mnt/monitor-src/test/bridge "$@"
