#!/usr/bin/env bash
# Installs a real, current Home Assistant core for the end-to-end tests (test/e2e/ha.test.ts).
#
# Current Home Assistant needs Python >= 3.13; this machine (Debian bookworm) has 3.11. So, as
# checked in shared/RECIPES.md, we build a minimal Debian forky root file system with
# python3.14 (debootstrap), make a venv inside it and pip install a pinned homeassistant there.
# Everything lives OUTSIDE the clone, in ${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}/ha, so that
# later runs reuse it: the script is idempotent (each stage leaves a marker) and a second run
# takes about a second.
#
# Nothing stays mounted: every command that needs /proc and /dev inside the root file system
# runs in a private mount namespace (unshare -m), whose mounts vanish when it exits.
#
# Usage: bash test/e2e/setup-ha.sh            (needs root, or sudo)
# Env:   MONITOR_E2E_DIR   cache directory (default /var/cache/monitor-e2e)
#        HA_VERSION        homeassistant version to install (default: the pinned one below)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Versions checked to install and run here. paho-mqtt is the version pinned by the `mqtt`
# integration's manifest of that HA release (checked again below: the script fails if not).
HA_VERSION="${HA_VERSION:-2026.11.0}"
DEBIAN_SUITE=forky
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PYTHON=python3.14

E2E_DIR="${MONITOR_E2E_DIR:-/var/cache/monitor-e2e}"
BASE="$E2E_DIR/ha"
ROOT="$BASE/rootfs"
VENV_IN=/opt/ha # inside the root file system
VENV="$ROOT$VENV_IN"
START=$(date +%s)

say() { echo "setup-ha: $*"; }
die() {
  echo "setup-ha: ERROR: $*" >&2
  exit 1
}
trap 'rc=$?; [ $rc -eq 0 ] || echo "setup-ha: FAILED (exit $rc) after $(($(date +%s) - START)) s; see the messages above" >&2' EXIT

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "must run as root (debootstrap, chroot, mounts) and sudo is missing"
  SUDO="sudo"
fi

mkdir -p "$BASE" 2>/dev/null || $SUDO mkdir -p "$BASE"
# One setup at a time (CI and a developer, or two test runs).
exec 9>"$BASE/.lock" || die "cannot write $BASE/.lock"
command -v flock >/dev/null && flock 9

# ── host tools ──────────────────────────────────────────────────────────────────────────────
need_pkgs=()
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
command -v unshare >/dev/null || need_pkgs+=(util-linux)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need_pkgs+=(debian-archive-keyring)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  say "installing host packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || die "apt-get update failed"
  $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null || die "apt-get install ${need_pkgs[*]} failed"
fi

# Runs a command inside the root file system with /proc, /dev and the host's pip index settings.
in_root() {
  $SUDO env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    "${PIP_ENV[@]}" unshare -m --propagation private sh -ec '
      root="$1"; shift
      mount -t proc proc "$root/proc"
      mount --rbind /dev "$root/dev"
      if [ -n "${FIND_LINKS_DIR:-}" ] && [ -d "$FIND_LINKS_DIR" ]; then
        mkdir -p "$root$FIND_LINKS_DIR"; mount --bind -o ro "$FIND_LINKS_DIR" "$root$FIND_LINKS_DIR"
      fi
      exec chroot "$root" "$@"' in_root "$ROOT" "$@"
}

# ── stage 1: the Debian forky root file system with python3.14 ──────────────────────────────
if [ -f "$ROOT/.monitor-rootfs-ok" ]; then
  say "root file system present: $ROOT"
else
  say "building a Debian $DEBIAN_SUITE root file system with $PYTHON in $ROOT (debootstrap, ~1 min)"
  # Bookworm's debootstrap has no script named forky: sid's is the same.
  script=/usr/share/debootstrap/scripts/sid
  [ -f "/usr/share/debootstrap/scripts/$DEBIAN_SUITE" ] && script="/usr/share/debootstrap/scripts/$DEBIAN_SUITE"
  $SUDO rm -rf "$ROOT.partial"
  t0=$(date +%s)
  if ! $SUDO debootstrap --variant=minbase --include="$PYTHON,$PYTHON-venv,ca-certificates" \
    "$DEBIAN_SUITE" "$ROOT.partial" "$DEBIAN_MIRROR" "$script" >"$BASE/debootstrap.log" 2>&1; then
    tail -n 20 "$BASE/debootstrap.log" >&2
    die "debootstrap failed (full log: $BASE/debootstrap.log)"
  fi
  $SUDO rm -rf "$ROOT"
  $SUDO mv "$ROOT.partial" "$ROOT"
  $SUDO touch "$ROOT/.monitor-rootfs-ok"
  say "root file system built in $(($(date +%s) - t0)) s"
fi

# The host's name resolution and certificate bundle (a TLS-intercepting proxy's CA may be in it),
# refreshed on every run since they may change between machines.
$SUDO cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
$SUDO cp -L /etc/hosts "$ROOT/etc/hosts"
HOST_CA=/etc/ssl/certs/ca-certificates.crt
[ -f "$HOST_CA" ] && $SUDO cp -L "$HOST_CA" "$ROOT/etc/ssl/certs/monitor-host-ca.crt"

# The host's pip settings (`pip config list`: files and PIP_* environment) as PIP_* variables.
PIP_ENV=()
FIND_LINKS_DIR=""
host_pip=""
for c in pip3 pip "python3 -m pip"; do
  if $c --version >/dev/null 2>&1; then
    host_pip="$c"
    break
  fi
done
if [ -n "$host_pip" ]; then
  while IFS= read -r line; do
    # e.g. global.cert='/etc/ssl/certs/ca-certificates.crt'  or  :env:.find-links='/opt/wheels'
    key="${line%%=*}"
    val="${line#*=}"
    val="${val#\'}"
    val="${val%\'}"
    key="${key##*.}"
    case "$key" in
    cert) [ -f "$HOST_CA" ] && [ "$val" = "$HOST_CA" ] && val=/etc/ssl/certs/monitor-host-ca.crt ;;
    find-links) FIND_LINKS_DIR="$val" ;;
    esac
    var="PIP_$(echo "$key" | tr 'a-z-' 'A-Z_')"
    PIP_ENV+=("$var=$val")
  done < <($host_pip config list 2>/dev/null || true)
fi
for v in $(env | grep -o '^PIP_[A-Z_]*' || true); do
  case " ${PIP_ENV[*]} " in *" $v="*) ;; *) [ "$v" = PIP_CERT ] || PIP_ENV+=("$v=${!v}") ;; esac
done
if [ -f "$HOST_CA" ]; then
  PIP_ENV+=(SSL_CERT_FILE=/etc/ssl/certs/monitor-host-ca.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/monitor-host-ca.crt)
  case " ${PIP_ENV[*]} " in *" PIP_CERT="*) ;; *) PIP_ENV+=(PIP_CERT=/etc/ssl/certs/monitor-host-ca.crt) ;; esac
fi
PIP_ENV+=(FIND_LINKS_DIR="$FIND_LINKS_DIR" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1)

# ── stage 2: the venv and Home Assistant ────────────────────────────────────────────────────
WANT="homeassistant==$HA_VERSION"
if [ -f "$VENV/.monitor-ha-ok" ] && [ "$(cat "$VENV/.monitor-ha-ok")" = "$WANT" ]; then
  say "Home Assistant $HA_VERSION present in $VENV"
else
  $SUDO rm -f "$VENV/.monitor-ha-ok"
  if [ ! -f "$VENV/pyvenv.cfg" ]; then
    say "creating the venv $VENV_IN inside the root file system"
    in_root "$PYTHON" -m venv "$VENV_IN" || die "$PYTHON -m venv failed"
  fi
  say "pip install $WANT (a few minutes the first time)"
  t0=$(date +%s)
  in_root "$VENV_IN/bin/pip" install --quiet "$WANT" || die "pip install $WANT failed (is PyPI reachable? see pip's message above)"
  say "installed in $(($(date +%s) - t0)) s"

  # The integrations our minimal configuration loads, and their requirements, pre-installed so
  # that Home Assistant never installs packages at run time (the tests run it with --skip-pip).
  say "pre-installing the requirements of the integrations the e2e configuration loads"
  reqs="$(in_root "$VENV_IN/bin/python" - <<'PY'
# Mirrors homeassistant.bootstrap._get_domains for test/e2e/ha.ts's configuration.yaml plus the
# mqtt config entry: the always-loaded integrations and their dependencies, then their pinned
# requirements (frontend among them: if it fails, HA falls back to recovery mode).
import json, pathlib
import homeassistant.bootstrap as b
import homeassistant.components as c
base = pathlib.Path(c.__file__).parent
wanted = {"homeassistant", "http", "api", "websocket_api", "recorder", "logger", "mqtt"}
wanted |= set(b.CORE_INTEGRATIONS) | set(b.DEFAULT_INTEGRATIONS)
seen, todo, reqs = set(), sorted(wanted), set()
while todo:
    d = todo.pop()
    if d in seen:
        continue
    seen.add(d)
    m = base / d / "manifest.json"
    if m.exists():
        man = json.loads(m.read_text())
        reqs.update(man.get("requirements", []))
        todo.extend(man.get("dependencies", []))
# Their after_dependencies are imported too (analytics, backup and mqtt import hassio's helpers).
for d in list(seen):
    m = base / d / "manifest.json"
    if not m.exists():
        continue
    for a in json.loads(m.read_text()).get("after_dependencies", []):
        ma = base / a / "manifest.json"
        if ma.exists():
            reqs.update(json.loads(ma.read_text()).get("requirements", []))
print(" ".join(sorted(reqs)))
PY
)" || die "could not read the integrations' manifests"
  say "requirements: ${reqs:-none}"
  # A few voice-assistant packages have no wheel for this Python and would need a C++ compiler
  # in the root file system. MQTT does not need them (those integrations just fail to load, as
  # HA logs), so we drop the packages pip could not build and install the rest, rather than
  # install a toolchain.
  pip_log="$BASE/pip-requirements.log"
  # shellcheck disable=SC2086
  if ! in_root "$VENV_IN/bin/pip" install --quiet --prefer-binary $reqs >"$pip_log" 2>&1; then
    # pip ends with: "Failed to build installable wheels for some pyproject.toml based projects
    # ╰─> pymicro-vad, pyspeex-noise"
    failed="$(grep -A1 'Failed to build installable wheels' "$pip_log" | sed -n 's/.*─> *//p' | tr ',' ' ')"
    [ -n "$failed" ] || {
      tail -n 30 "$pip_log" >&2
      die "pip install of the integrations' requirements failed (log: $pip_log)"
    }
    keep=()
    skipped=()
    for r in $reqs; do
      name="$(echo "${r%%[=<>]*}" | tr 'A-Z_' 'a-z-')"
      case " $(echo "$failed" | tr 'A-Z_' 'a-z-') " in *" $name "*) skipped+=("$r") ;; *) keep+=("$r") ;; esac
    done
    for r in "${skipped[@]}"; do
      case "$r" in paho-mqtt* | SQLAlchemy* | home-assistant-frontend* | fnv-hash-fast*)
        die "required package $r could not be installed (log: $pip_log)" ;;
      esac
    done
    say "cannot build for this Python without a compiler, skipped (not needed by mqtt): ${skipped[*]}"
    in_root "$VENV_IN/bin/pip" install --quiet --prefer-binary "${keep[@]}" >"$pip_log" 2>&1 || {
      tail -n 30 "$pip_log" >&2
      die "pip install of the integrations' requirements failed (log: $pip_log)"
    }
  fi
  paho="$(in_root "$VENV_IN/bin/python" -c 'import json,homeassistant.components.mqtt as m,pathlib;print(" ".join(json.loads((pathlib.Path(m.__file__).parent/"manifest.json").read_text())["requirements"]))')"
  in_root "$VENV_IN/bin/python" -c 'import paho.mqtt' || die "paho-mqtt ($paho) did not install"
  say "mqtt integration requirements: $paho"
  echo "$WANT" | $SUDO tee "$VENV/.monitor-ha-ok" >/dev/null
fi

# ── stage 3: the voice packages HA's frontend needs indirectly ──────────────────────────────
# HA's `get_services` (the first thing the frontend asks for) validates service descriptions
# with homeassistant.helpers.service._base_components(), which imports every base platform,
# assist_satellite among them → assist_pipeline → pymicro_vad and pyspeex_noise. Without them
# the frontend stays on "Loading…". The versions HA pins (pymicro-vad 1.0.1, pyspeex-noise 1.0.2)
# have no wheel for this Python; their newer releases ship abi3 wheels with the same classes
# (MicroVad, AudioProcessor: checked), so we install those, binary only, rather than a compiler.
if in_root "$VENV_IN/bin/python" -c 'import pymicro_vad, pyspeex_noise' 2>/dev/null; then
  say "voice packages present (pymicro_vad, pyspeex_noise)"
else
  say "installing the newest binary wheels of pymicro-vad and pyspeex-noise (HA's frontend imports them)"
  in_root "$VENV_IN/bin/pip" install --quiet --only-binary :all: pymicro-vad pyspeex-noise ||
    die "pip install of pymicro-vad and pyspeex-noise wheels failed"
  in_root "$VENV_IN/bin/python" -c 'from pymicro_vad import MicroVad; from pyspeex_noise import AudioProcessor' ||
    die "pymicro_vad or pyspeex_noise do not provide MicroVad / AudioProcessor any more"
fi

# Configuration directories left by interrupted test runs (test/e2e/ha.ts makes one per run).
find "$ROOT/tmp" -maxdepth 1 -name 'monitor-e2e-*' -mmin +120 -exec $SUDO rm -rf {} + 2>/dev/null || true

# ── check: hass starts far enough to print its version ───────────────────────────────────────
ver="$(in_root "$VENV_IN/bin/hass" --version 2>/dev/null)" || die "hass --version failed inside $ROOT"
[ "$ver" = "$HA_VERSION" ] || die "hass reports version '$ver', expected $HA_VERSION"
say "ready: Home Assistant $ver, $(in_root "$VENV_IN/bin/python" --version) in $ROOT"
say "disk: $(du -sh "$BASE" 2>/dev/null | cut -f1) in $BASE; took $(($(date +%s) - START)) s"
