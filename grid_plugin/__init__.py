"""Grid Planner: engine (``core``), QGIS glue and desktop UI (``gui``).

Nothing here imports QGIS or Qt, so ``grid_plugin.core`` stays usable from plain Python.
"""
