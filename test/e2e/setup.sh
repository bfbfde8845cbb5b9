#!/usr/bin/env bash
# End-to-end peers, installed outside the clone (cached in ${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}).
# Called by .ci/run before `npm test`; a plain list of steps, one line per peer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bash test/e2e/setup-ha.sh
bash test/e2e/setup-octoprint.sh
bash test/bridge/setup.sh
