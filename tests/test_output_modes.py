"""Outputs written through a temporary file get the permissions of an ordinary file, not mkstemp's 0600."""

from __future__ import annotations

import os
import stat

from gridplanner.grid_plugin.core.inputs import atomic_output


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_output_is_readable_by_others(tmp_path):
    target = tmp_path / "report.html"
    with atomic_output(target) as temporary:
        temporary.write_text("<html></html>", encoding="utf-8")
    # an office shares its output folder: a report only its writer can open is no use (mkstemp gives 0600)
    assert _mode(target) == 0o644


def test_a_replaced_output_keeps_its_permissions(tmp_path):
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with atomic_output(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o640
