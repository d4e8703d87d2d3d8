"""Test set-up: import the plugin as the package ``gridplanner``, never with the root on sys.path.

The repository root is the plugin folder and holds a ``processing/`` package; putting the root on
``sys.path`` would shadow QGIS's own ``processing``. So a temporary folder holding a ``gridplanner``
link to the root goes on ``sys.path`` instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
_LINK_DIR = Path(tempfile.mkdtemp(prefix="gridplanner-tests-"))
(_LINK_DIR / "gridplanner").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(_LINK_DIR))
os.environ.setdefault("MPLBACKEND", "Agg")

# Property tests: in CI the same examples every run (derandomized, no example database), so a result
# is reproducible; locally, fresh random examples each run keep looking for new counterexamples.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
# Test helper modules (tests/helpers.py) import as top-level modules; tests/ holds no package.
sys.path.insert(1, str(Path(__file__).resolve().parent))


def _give_the_test_iface_a_layer_tree_view():
    """QGIS 3.40's processing asks ``iface.layerTreeView()`` when it loads results; the test interface of
    pytest-qgis 2.1 has none, so give it a real QgsLayerTreeView of the project's layer tree."""
    from pytest_qgis.qgis_interface import QgisInterface

    if hasattr(QgisInterface, "layerTreeView"):
        return

    def layer_tree_view(self):
        view = getattr(self, "_gridplanner_layer_tree_view", None)
        if view is None:
            from qgis.core import QgsLayerTreeModel, QgsProject
            from qgis.gui import QgsLayerTreeView

            view = QgsLayerTreeView()
            view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
            self._gridplanner_layer_tree_view = view
        return view

    QgisInterface.layerTreeView = layer_tree_view


_give_the_test_iface_a_layer_tree_view()


@pytest.fixture(scope="session")
def gridplanner_provider(qgis_processing):
    """QGIS processing initialised and the gridplanner provider registered (via the plugin object).

    A test that unloads the plugin re-registers the provider (``helpers.ensure_provider``) before it
    ends, so later tests find it; look the provider up in the registry rather than keeping this object.
    """
    from helpers import ensure_provider

    return ensure_provider()
