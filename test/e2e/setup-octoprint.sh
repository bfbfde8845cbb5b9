#!/usr/bin/env bash
# Installs a real OctoPrint from PyPI in a Python venv OUTSIDE the repository, for the printers
# end-to-end tests (test/printers/octoprint-e2e.test.ts). Idempotent: a venv that already has the
# pinned version is kept. Called by .ci/run; run it by hand once before `node test/run.mjs printers`.
#
#   test/e2e/setup-octoprint.sh            # → ${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}/octoprint-venv
#
# Environment: MONITOR_E2E_DIR (root of the e2e caches), PYTHON (interpreter, default python3.11).
set -euo pipefail

OCTOPRINT_VERSION="1.11.8"   # keep in sync with test/e2e/octoprint.ts
E2E_DIR="${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}"
VENV="$E2E_DIR/octoprint-venv"
PYTHON="${PYTHON:-python3.11}"

if [ -x "$VENV/bin/octoprint" ] && [ "$(cat "$VENV/.monitor-octoprint-version" 2>/dev/null)" = "$OCTOPRINT_VERSION" ]; then
  echo "OctoPrint $OCTOPRINT_VERSION already installed in $VENV"
  exit 0
fi

command -v "$PYTHON" >/dev/null || { echo "error: $PYTHON not found (OctoPrint $OCTOPRINT_VERSION needs Python 3.7 to 3.13)" >&2; exit 1; }
start=$(date +%s)
mkdir -p "$E2E_DIR"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip wheel
"$VENV/bin/python" -m pip install --quiet "octoprint==$OCTOPRINT_VERSION"
"$VENV/bin/octoprint" --version
echo "$OCTOPRINT_VERSION" > "$VENV/.monitor-octoprint-version"
echo "OctoPrint $OCTOPRINT_VERSION installed in $VENV in $(( $(date +%s) - start )) s"
