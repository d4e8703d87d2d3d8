#!/usr/bin/env bash
# Install everything (idempotent) and run lint and the whole test suite. This is README command 2
# and what CI runs (.ci/run).
#   bash scripts/test.sh [extra pytest args]
set -euo pipefail
. "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
echo "== lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== translations compiled and complete"
"$VENV_PY" "$ROOT/scripts/i18n.py" check
echo "== tests"
export QGIS_CUSTOM_CONFIG_PATH="$(mktemp -d -t gridplanner-profile.XXXXXX)"
export XDG_RUNTIME_DIR="$QGIS_CUSTOM_CONFIG_PATH"
set +e
# xvfb-run gives the GUI tests a real X screen; never `python -m pytest` (it puts the root on sys.path).
xvfb-run -a -s "-screen 0 1600x1000x24" "$VENV/bin/pytest" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test.sh: pytest collected no tests; that is a failure here." >&2
  exit 1
fi
exit "$status"
