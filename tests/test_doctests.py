"""The runnable examples in every core module's docstrings are true (doctest), so the docs cannot rot."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import gridplanner.grid_plugin.core as core
import pytest

MODULES = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "gridplanner.grid_plugin.core."))


def test_the_core_has_modules():
    assert len(MODULES) > 30


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} fail"
