"""`Rencana_Aksi` and `Realisasi` as first generated: what the shortcuts of `new_sheet` (row
heights measured on the generated text cells only, cells shared between the two sheets) give
is what measuring and making every cell would give."""

from __future__ import annotations

from pathlib import Path

import pytest

from pohon_xl.core.derive.common import fit_heights
from pohon_xl.core.filled.edits import filled_edits, new_sheet
from pohon_xl.core.filled.layout import columns_of, expected_rows
from pohon_xl.core.link import Tree
from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.sheets import SheetSpec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


@pytest.fixture(scope="module")
def plan():
    return parse_workbook(read_raw(EXAMPLE), source=EXAMPLE.name)


@pytest.mark.parametrize("name", C.FILLED_SHEETS)
def test_heights_as_measured_on_every_cell(plan, name):
    rows = expected_rows(plan, Tree(plan.nodes, plan.positions))
    sheet = new_sheet(name, columns_of(name, plan.pk_year), rows)
    whole = SheetSpec(sheet.name, rows=sheet.rows, widths=sheet.widths)
    fit_heights(whole)
    assert len(whole.heights) > 2  # the header and some rows wrap: the check compares
    assert sheet.heights == whole.heights


def test_both_sheets_share_their_generated_cells(plan):
    first, second = filled_edits(plan, Tree(plan.nodes, plan.positions)).sheets
    assert [c.name for c in (first, second)] == list(C.FILLED_SHEETS)
    assert first.rows[1][0] is second.rows[1][0]  # the first row's ID: one cell for both
    assert first.rows[1][0].value == second.rows[1][0].value != ""
