#!/usr/bin/env bash
# Install everything (idempotent) and run lint and the whole test suite. This is README command 2
# and what CI runs (.ci/run).
#   bash scripts/test.sh [extra pytest args]                 QGIS 3.22 (Debian 12, this machine)
#   bash scripts/test.sh --qgis 3.40 [extra pytest args]     QGIS 3.40 LTR in a Debian 13 chroot
set -euo pipefail
if [ "${1:-}" = "--qgis" ]; then
  case "${2:-}" in
    3.22) shift 2 ;;
    3.40) shift 2; exec bash "$(dirname "$0")/qgis340.sh" "$@" ;;
    *) echo "test.sh: --qgis takes 3.22 or 3.40, not '${2:-}'." >&2; exit 2 ;;
  esac
fi
. "$(dirname "$0")/env.sh"
# GRIDPLANNER_SKIP_SETUP=1: the environment was prepared elsewhere (the QGIS 3.40 chroot).
if [ -z "${GRIDPLANNER_SKIP_SETUP:-}" ]; then
  bash "$ROOT/scripts/setup.sh"
fi
cd "$ROOT"
echo "== lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== translations compiled and complete"
"$VENV_PY" "$ROOT/scripts/i18n.py" check
echo "== Qt6 / QGIS 4 readiness scan"
"$VENV_PY" "$ROOT/scripts/qt6_scan.py"
echo "== tests"
export QGIS_CUSTOM_CONFIG_PATH="$(mktemp -d -t gridplanner-profile.XXXXXX)"
export XDG_RUNTIME_DIR="$QGIS_CUSTOM_CONFIG_PATH"
set +e
# xvfb-run gives the GUI tests a real X screen; never `python -m pytest` (it puts the root on sys.path).
xvfb-run -a ${GRIDPLANNER_XVFB_FIRST:+-n "$GRIDPLANNER_XVFB_FIRST"} -s "-screen 0 1600x1000x24" "$VENV/bin/pytest" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test.sh: pytest collected no tests; that is a failure here." >&2
  exit 1
fi
exit "$status"
