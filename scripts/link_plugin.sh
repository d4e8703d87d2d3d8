#!/usr/bin/env bash
# Link this checkout into a QGIS profile as the plugin `gridplanner`, for desktop use and development.
#   bash scripts/link_plugin.sh [PROFILE]        (default profile: "default")
# Then enable "Grid Planner" in Plugins > Manage and Install Plugins. QGIS runs the system Python:
# start it with the venv's packages visible, e.g.
#   PYTHONPATH=$(.venv/bin/python -c 'import site;print(site.getsitepackages()[0])') qgis
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
profile="${1:-default}"
target="${HOME}/.local/share/QGIS/QGIS3/profiles/${profile}/python/plugins"
mkdir -p "$target"
if [ -L "$target/gridplanner" ] || [ ! -e "$target/gridplanner" ]; then
  ln -sfn "$ROOT" "$target/gridplanner"
  echo "Linked $ROOT -> $target/gridplanner"
else
  echo "$target/gridplanner exists and is not a link; move it away first." >&2
  exit 1
fi
