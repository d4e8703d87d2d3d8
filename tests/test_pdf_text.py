"""The PDF text layer: Qt-written PDFs give the true ideographs (网, 月, 龙) to pdftotext, not CJK radicals."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from gridplanner.grid_plugin.core.publish.pdf_text import RADICAL_TO_IDEOGRAPH, fix_radical_text

TEXT = "网格划分图 KT001 月 龙岗 户数 戶 GD-0012"


def test_table_maps_radicals_to_their_ideographs():
    assert RADICAL_TO_IDEOGRAPH[0x2F79] == ord("网")
    assert RADICAL_TO_IDEOGRAPH[0x2F49] == ord("月")
    assert RADICAL_TO_IDEOGRAPH[0x2EF0] == ord("龙")
    assert all(code < 0x3400 <= ideograph for code, ideograph in RADICAL_TO_IDEOGRAPH.items())


def test_twins_come_from_the_font_itself():
    """In a Simplified Chinese font the radical ⼾ (U+2F3E) has 户's glyph, although Unicode pairs it with 戶."""
    from gridplanner.grid_plugin.core.publish.pdf_text import font_file, font_twins

    located = font_file("NotoSansCJKsc-Regular")
    if located is None:
        pytest.skip("Noto Sans CJK SC or fontconfig is not installed")
    twins = font_twins(*located)
    assert twins[0x2F3E] == ord("户") and RADICAL_TO_IDEOGRAPH[0x2F3E] == ord("戶")
    assert twins[0x2F79] == ord("网") and 0x6236 not in twins  # 戶 has a glyph of its own


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_qt_pdf_text_is_fixed_in_place(qgis_app, tmp_path):
    from gridplanner.grid_plugin.export import styling
    from qgis.PyQt.QtCore import QRectF
    from qgis.PyQt.QtGui import QPainter, QPdfWriter

    pdf = tmp_path / "qt.pdf"
    writer = QPdfWriter(str(pdf))
    painter = QPainter(writer)
    painter.setFont(styling.font(14))
    painter.drawText(QRectF(100, 100, 8000, 400), 0, TEXT)
    painter.end()
    before = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    size = pdf.stat().st_size
    if "网" in before:
        pytest.skip("this Qt/font pair already writes the right text; nothing to fix")
    assert "⽹" in before  # the cause: the radical that shares 网's glyph comes first in the font's cmap
    assert fix_radical_text(pdf) >= 3
    after = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert after.split() == TEXT.split()
    assert pdf.stat().st_size == size  # patched in place: the cross-reference table stays valid
