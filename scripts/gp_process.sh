#!/usr/bin/env bash
# Run Grid Planner algorithms headless through QGIS's own qgis_process, with this checkout as the
# plugin `gridplanner`, a throw-away profile and the venv's packages on PYTHONPATH.
#   scripts/gp_process.sh run gridplanner:prepareosm -- INPUT=... OUTPUT=...
#   scripts/gp_process.sh list
# (Debian 12's /usr/bin/qgis_process wrapper is broken: call qgis_process.bin directly.)
set -euo pipefail
. "$(dirname "$0")/env.sh"
work="$(mktemp -d -t gridplanner-qp.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/profile"
ln -s "$ROOT" "$work/plugins/gridplanner"
export QT_QPA_PLATFORM=offscreen
export QGIS_PLUGINPATH="$work/plugins"
export QGIS_CUSTOM_CONFIG_PATH="$work/profile"
export XDG_RUNTIME_DIR="$work"
export PYTHONPATH="${VENV_SITE:-}${PYTHONPATH:+:$PYTHONPATH}"
/usr/bin/qgis_process.bin plugins enable gridplanner >/dev/null 2>&1 || {
  echo "gp_process: could not enable the gridplanner plugin" >&2
  /usr/bin/qgis_process.bin plugins enable gridplanner >&2 || true
  exit 3
}
exec /usr/bin/qgis_process.bin "$@"
