#!/usr/bin/env bash
# Install everything Grid Planner needs on Debian 12, as root. Idempotent: a second run only checks.
#   bash scripts/setup.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"

APT_PACKAGES=(
  qgis python3-qgis qgis-providers          # QGIS 3.22 LTR and its Python bindings
  gdal-bin python3-gdal                      # GDAL command line and bindings
  python3-venv python3-pip                   # venv from the system Python
  xvfb xauth                                 # a virtual screen for GUI tests
  fonts-noto-cjk                             # Chinese text on maps and in layouts
  qttools5-dev-tools                         # lrelease: compile zh_CN translations
  libproj-dev proj-bin libgeos-dev libgdal-dev  # build pyproj, shapely, pyogrio against QGIS's libraries
  libspatialindex-c6                         # rtree uses the libspatialindex QGIS links
  poppler-utils                              # pdftotext/pdftoppm: check exported PDFs
  chromium                                   # headless screenshot of the HTML report
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [[ "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

if [ ! -x "$VENV_PY" ]; then
  echo "setup: creating $VENV (with system site packages, for PyQGIS)"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
# Reinstall only when the pinned requirements changed since the last successful install.
stamp="$VENV/.requirements.sha256"
want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/constraints.txt" "$ROOT/build-constraints.txt" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing pinned Python packages into $VENV"
  # A pinned pip that knows --build-constraint (Debian's venv brings pip 23).
  "$VENV_PY" -m pip install -q --disable-pip-version-check "pip==26.3"
  # --no-cache-dir: never reuse a wheel built earlier with other build dependencies.
  pip_install=("$VENV_PY" -m pip install -q --no-cache-dir --disable-pip-version-check -c "$ROOT/constraints.txt")
  # pyproj first and alone: its build needs Cython<3.1, which shapely's build must not get.
  PROJ_DIR=/usr "${pip_install[@]}" --no-binary pyproj --build-constraint "$ROOT/build-constraints.txt" pyproj
  "${pip_install[@]}" -r "$ROOT/requirements-dev.txt"
  echo "$want" > "$stamp"
else
  echo "setup: Python packages up to date"
fi
"$VENV_PY" - <<'PY'
import numpy, shapely, geopandas, pyproj
assert numpy.__version__.startswith("1."), f"numpy {numpy.__version__}: Debian's GDAL/QGIS need numpy<2"
assert pyproj.proj_version_str.startswith("9.1"), f"pyproj uses PROJ {pyproj.proj_version_str}, not Debian's"
assert pyproj.CRS("EPSG:4547").name.startswith("CGCS2000"), "pyproj cannot read EPSG codes (bad build)"
assert shapely.geos_version[:2] == (3, 11), f"shapely uses GEOS {shapely.geos_version}, not Debian's 3.11"
import pyogrio, rtree.core
assert pyogrio.__gdal_version_string__.startswith("3.6"), f"pyogrio uses GDAL {pyogrio.__gdal_version_string__}"
assert ".libs" not in str(rtree.core.rt._name), "rtree loaded a bundled libspatialindex"
print(f"setup: numpy {numpy.__version__}, shapely {shapely.__version__}, geopandas {geopandas.__version__}")
PY
