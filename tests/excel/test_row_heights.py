"""Rows whose `Catatan Validasi` wraps get a height that shows it (issue 15), through the
command line, on both writer paths (the splice of the sheet's bytes and the lxml tree)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.core.derive.common import lines_height, wrapped_lines
from pohon_xl.excel import xlsxpatch
from pohon_xl.model import contract as C
from tests.excel.hostile import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kesalahan_Umum.xlsx"
L2 = "L2_Sasaran_PD"
LONG = ("Meningkatnya kapasitas dan keselamatan jaringan jalan kota melalui penataan simpang, "
        "manajemen rekayasa lalu lintas, penertiban parkir di badan jalan dan pengendalian "
        "angkutan barang pada jam sibuk di seluruh koridor utama kota")


def _notes(sheet) -> dict[int, str]:
    column = next(c.column for c in sheet[1] if c.value == C.CATATAN)
    return {r: sheet.cell(r, column).value for r in range(2, sheet.max_row + 1)
            if sheet.cell(r, column).value}


def _width(sheet, column: int) -> float:
    return sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width


@pytest.fixture(params=[True, False], ids=["splice", "tree"])
def path(request, monkeypatch) -> bool:
    monkeypatch.setattr(xlsxpatch, "FAST_SPLICE", request.param)
    return request.param


def test_wrapped_notes_get_their_height_and_taller_rows_keep_theirs(tmp_path, path):
    book = openpyxl.load_workbook(EXAMPLE)
    book[L2].row_dimensions[2].height = 250  # the user's: taller than any note needs
    book[L2].cell(5, 3).value = LONG  # the planner's wrapped Sasaran, taller than the note
    book[L2].row_dimensions[5].height = None
    source = tmp_path / "masukan.xlsx"
    book.save(source)
    before = openpyxl.load_workbook(source)
    out = tmp_path / "hasil.xlsx"

    code, err = run_cli("validasi", str(source), "-o", str(out))

    assert code in (0, 1), err
    after = openpyxl.load_workbook(out)
    tall = 0
    for spec in C.LEVELS:
        old, new = before[spec.sheet], after[spec.sheet]
        notes = _notes(new)
        note_width = _width(new, next(c.column for c in new[1] if c.value == C.CATATAN))
        for row in range(2, new.max_row + 1):
            height, was = new.row_dimensions[row].height, old.row_dimensions[row].height
            lines = wrapped_lines(notes[row], note_width) if row in notes else 1
            if lines == 1:
                assert height == was, (spec.sheet, row)  # untouched
                continue
            tall += 1
            if (spec.sheet, row) == (L2, 5):
                continue  # the planner's text needs more: below
            assert height == max(was or 0, lines_height(lines)), (spec.sheet, row, notes[row])
    assert tall >= 10
    assert after[L2].row_dimensions[2].height == 250
    planner = wrapped_lines(LONG, _width(after[L2], 3))
    assert after[L2].row_dimensions[5].height == lines_height(planner) > lines_height(
        wrapped_lines(_notes(after[L2])[5], 60))
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for tag in re.findall(rb"<row [^>]*>", archive.read(name)):
                    assert b" ht=" not in tag or b'customHeight="1"' in tag, (name, tag)

    # A second run changes no height: its notes are the same.
    again = tmp_path / "lagi.xlsx"
    assert run_cli("validasi", str(out), "-o", str(again))[0] == code
    second = openpyxl.load_workbook(again)
    for spec in C.LEVELS:
        first, next_ = after[spec.sheet], second[spec.sheet]
        assert ({r: d.height for r, d in first.row_dimensions.items() if d.height}
                == {r: d.height for r, d in next_.row_dimensions.items() if d.height}), spec.sheet


def test_the_row_start_tag_gets_a_height_only_when_taller():
    from pohon_xl.excel.ooxml.rowheight import with_height

    assert with_height(b'<row r="2" spans="1:5">', 43) == (
        b'<row r="2" spans="1:5" ht="43" customHeight="1">')
    assert with_height(b'<row r="2" ht="20" customHeight="0"/>', 29.5) == (
        b'<row r="2" ht="29.5" customHeight="1"/>')
    tall = b'<row r="2" ht="80" customHeight="1">'
    assert with_height(tall, 43) is tall
    assert with_height(b'<row r="2" ht="x">', 43) == b'<row r="2" ht="43" customHeight="1">'
