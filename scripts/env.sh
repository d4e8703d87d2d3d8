# Shared environment for Grid Planner scripts. Source it: `. scripts/env.sh`.
# Sets ROOT, VENV, VENV_PY, VENV_SITE and a PATH that never starts with pyenv (QGIS must get the
# system Python's standard library).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# GRIDPLANNER_VENV: another venv (the QGIS 3.40 chroot sets its own; see scripts/qgis340.sh).
VENV="${GRIDPLANNER_VENV:-$ROOT/.venv}"
VENV_PY="$VENV/bin/python"
export PATH="/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/bin"
unset PYTHONHOME
if [ -x "$VENV_PY" ]; then
  VENV_SITE="$("$VENV_PY" -c 'import site; print(site.getsitepackages()[0])')"
fi
export MPLBACKEND=Agg
