#!/usr/bin/env bash
# README command 1: install what is missing, then run the main job on the bundled sample (Kotka,
# © OpenStreetMap contributors) through qgis_process. Outputs: output/demo/kotka.gpkg, kotka_inputs.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
. "$here/env.sh"
exec "$VENV_PY" "$ROOT/scripts/demo.py" "$@"
