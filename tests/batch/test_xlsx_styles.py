"""The consolidated workbook renders every named style, including the Pohon connectors."""

from __future__ import annotations

import openpyxl

from pohon_xl.batch.xlsx import write_new
from pohon_xl.sheets import Cell, SheetSpec


def test_pohon_boxes_and_connectors_keep_their_borders(tmp_path):
    path = tmp_path / "konsolidasi.xlsx"
    spec = SheetSpec("Pohon", rows=[[Cell(None, "line_v"), Cell("L1-01", "box_l1"),
                                     Cell(None, "line_vh")]])
    write_new(path, [spec])
    sheet = openpyxl.load_workbook(path)["Pohon"]
    assert sheet["A1"].border.right.style == "medium" and sheet["A1"].border.left.style is None
    assert sheet["B1"].border.left.style == "thin"
    assert sheet["B1"].border.left.color.rgb == "FF1F4E79"
    assert sheet["C1"].border.bottom.style == "medium" and sheet["C1"].border.right.style == "medium"
