"""The engine imports without QGIS or Qt (it must run in plain Python)."""

import subprocess
import sys

from helpers import ROOT

CHECK = r"""
import importlib, pkgutil, sys, os, tempfile
blocked = ("qgis", "PyQt5", "PyQt6", "sip")
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"core imported {name}")
        return None
sys.meta_path.insert(0, Block())
link = tempfile.mkdtemp()
os.symlink(sys.argv[1], os.path.join(link, "gridplanner"))
sys.path.insert(0, link)
import gridplanner.grid_plugin.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "gridplanner.grid_plugin.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_core_module_imports_without_qgis():
    result = subprocess.run([sys.executable, "-c", CHECK, str(ROOT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 1
