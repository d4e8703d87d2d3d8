#!/usr/bin/env bash
# Benchmark-only environment `.venv-bench`: the project's .venv packages plus the baselines that the
# product never depends on (GerryChain, PySAL spopt). Never install these into .venv.
#   bash benchmarks/setup_bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/env.sh"
BENCH="$ROOT/.venv-bench"
if [ ! -x "$BENCH/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$BENCH"
fi
# See the project's venv packages (numpy<2, shapely 2, geopandas, scipy, libpysal) from the bench venv.
BENCH_SITE="$("$BENCH/bin/python" -c 'import site; print(site.getsitepackages()[0])')"
echo "$VENV_SITE" > "$BENCH_SITE/gridplanner-venv.pth"
"$BENCH/bin/python" -m pip install --quiet \
  "gerrychain==0.3.2" \
  "spopt==0.7.0" \
  "numpy<2"  # gerrychain 0.3.2 (not 1.x, which needs numpy 2) and spopt 0.7.0 (0.8 needs Python 3.12)
"$BENCH/bin/python" -c "import gerrychain, spopt, shapely, numpy; print('bench venv ready:', gerrychain.__version__ if hasattr(gerrychain, '__version__') else 'gerrychain', spopt.__version__, 'numpy', numpy.__version__)"
