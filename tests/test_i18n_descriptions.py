"""Every name a planner sees in an algorithm dialog or the layer list is extracted for translation.

A string reaches the translation file only when the source marks it (``tr("...")``, ``N_("...")``, the
algorithm's ``DISPLAY_NAME``…); a label kept in a tuple and passed as ``tr(label)`` is silently missed
and shows in English in a Chinese QGIS. So this test instantiates every algorithm of the provider and
checks each parameter's and output's description against the extracted strings.
"""

from __future__ import annotations

import importlib.util

import pytest
from helpers import ROOT


def extracted_strings() -> set[str]:
    spec = importlib.util.spec_from_file_location("gp_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    strings, problems = module.extract()
    assert not problems, problems
    return set(strings)


def _bilingual(text: str) -> bool:
    """``"Grids / 网格数"``: a label written in both languages on purpose (the assess metrics)."""
    english, _, chinese = text.partition(" / ")
    return bool(english) and any("\u4e00" <= char <= "\u9fff" for char in chinese)


def test_every_parameter_and_output_description_is_extracted(gridplanner_provider):
    from qgis.core import QgsApplication

    strings = extracted_strings()
    provider = QgsApplication.processingRegistry().providerById("gridplanner")
    missing = []
    n_checked = 0
    for algorithm in provider.algorithms():
        for definition in [*algorithm.parameterDefinitions(), *algorithm.outputDefinitions()]:
            n_checked += 1
            text = definition.description()
            if text not in strings and not _bilingual(text):
                missing.append(f"{algorithm.id()} {definition.name()}: {definition.description()!r}")
        for text in (algorithm.displayName(), algorithm.group()):
            if text not in strings:
                missing.append(f"{algorithm.id()}: {text!r}")
    assert n_checked > 100
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    ("algorithm_id", "chinese"),
    [("gridplanner:classify", "网格类型识别"), ("gridplanner:partitionbytype", "按类型划分网格（差异性）")],
)
def test_classify_and_partition_by_type_have_distinct_chinese_names(gridplanner_provider, algorithm_id, chinese):
    from gridplanner.grid_plugin import i18n
    from qgis.core import QgsApplication

    assert i18n.install_translator("zh_CN")
    try:
        algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id).create()
        assert algorithm.displayName() == chinese
    finally:
        i18n.remove_translators()
