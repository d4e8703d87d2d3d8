"""The Grid Planner engine: plain Python over shapely, geopandas, numpy and scipy.

No module in this package may import ``qgis`` or Qt; ``tests/test_core_is_qgis_free.py`` checks it.
"""
