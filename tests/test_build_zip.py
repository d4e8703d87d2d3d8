"""The zip for "Install from ZIP" holds the plugin and nothing else."""

import importlib.util
import zipfile

from helpers import ROOT


def _build_module():
    spec = importlib.util.spec_from_file_location("build_zip", ROOT / "scripts" / "build_zip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_zip_contents(tmp_path):
    target = _build_module().build(tmp_path)
    names = zipfile.ZipFile(target).namelist()
    assert "gridplanner/__init__.py" in names and "gridplanner/metadata.txt" in names
    assert "gridplanner/processing/provider.py" in names
    assert "gridplanner/i18n/gridplanner_zh_CN.qm" in names
    assert all(name.startswith("gridplanner/") for name in names)
    for banned in ("/tests/", "/scripts/", "/benchmarks/", "__pycache__", ".venv", ".pyc"):
        assert not any(banned in name for name in names), banned
