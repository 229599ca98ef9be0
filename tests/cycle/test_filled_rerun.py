"""A re-run of `turunkan` never loses a cell typed into `Rencana_Aksi` or `Realisasi`, even
after the tree changed: through the command line, on a copy of the bundled example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pohon_xl.cli import main
from pohon_xl.model import contract as C
from pohon_xl.pipeline import process
from tests.cycle.typed_book import headers, row_of, type_into

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


def _turunkan(source: Path, target: Path) -> None:
    assert main(["turunkan", str(source), "-o", str(target)]) in (0, 1)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("isian")
    first = folder / "pertama.xlsx"
    shutil.copy(EXAMPLE, folder / "contoh.xlsx")
    _turunkan(folder / "contoh.xlsx", first)
    book = type_into(first, folder / "diketik.xlsx")
    second = folder / "kedua.xlsx"
    _turunkan(book.path, second)
    third = folder / "ketiga.xlsx"
    _turunkan(second, third)
    said = process(book.path, folder / "lagi.xlsx", derive=True).filled
    return {"typed": book.typed, "second": second, "third": third,
            "old_indicator": book.old_indicator, "said": said, "total_row": book.total_row}


@pytest.mark.parametrize("which", ["second", "third"])
def test_every_typed_cell_survives(runs, which):
    book = load_workbook(runs[which])
    for (sheet, row, column), value in runs["typed"].items():
        assert book[sheet].cell(row, column).value == value, (sheet, row, column)


def test_new_node_added_and_changed_cells_refreshed(runs):
    book = load_workbook(runs["second"])
    for name in C.FILLED_SHEETS:
        sheet = book[name]
        cols = headers(sheet)
        added = row_of(sheet, "L4-99")
        assert sheet.cell(added, cols[C.INDIKATOR]).value == "Jumlah simpang yang ditata ulang"
        assert added > row_of(sheet, "L6-02")  # appended at the bottom
        # the renamed indicator: a new row for the new wording, the old row kept
        row_of(sheet, "L4-02", f"{runs['old_indicator']} (rumusan baru)")
        row_of(sheet, "L4-02", runs["old_indicator"])
        row = row_of(sheet, "L4-01")
        assert sheet.cell(row, cols[C.SASARAN]).value == "Sasaran kegiatan yang dirumuskan ulang"
    plan = book[C.RENCANA_AKSI]
    added = row_of(plan, "L4-99")
    # below people's own total row (a formula without a stored value), never onto it
    assert added > runs["total_row"]
    assert plan.cell(added, headers(plan)["Target TW I"]).fill.fgColor.rgb.endswith("FFF2CC")
    # a third run adds nothing more
    again = load_workbook(runs["third"])
    assert again[C.RENCANA_AKSI].max_row == plan.max_row


def test_stale_rows_are_kept_and_flagged(runs):
    book = load_workbook(runs["second"])
    for name in C.FILLED_SHEETS:
        sheet = book[name]
        cols = headers(sheet)
        assert C.STATUS in cols and C.CATATAN in cols
        for row in (row_of(sheet, "L6-02"), row_of(sheet, "L4-02", runs["old_indicator"])):
            assert sheet.cell(row, cols[C.STATUS]).value == "Peringatan"
            assert "[RAK05]" in sheet.cell(row, cols[C.CATATAN]).value
        assert sheet.cell(row_of(sheet, "L3-01"), cols[C.STATUS]).value == "OK"
    report = book[C.LAPORAN]
    codes = [row[0] for row in report.iter_rows(min_row=2, values_only=True)]
    assert codes.count("RAK05") == 6  # L6-02 (two indicators) and the old L4-02, per sheet


def test_what_the_run_says_it_did(runs):
    # three rows added on each sheet: L4-99, L4-02's new indicator, and L6-02's second
    # indicator, which reads as L6-01's once L6-02's first row is gone; L4-01's sasaran
    # refreshed on its two rows, and on Realisasi its Cara Akumulasi copied from Rencana_Aksi
    assert runs["said"] == {
        C.RENCANA_AKSI: "3 baris ditambahkan, 2 sel salinan pohon diperbarui; isian tetap",
        C.REALISASI: "3 baris ditambahkan, 3 sel salinan pohon diperbarui; isian tetap"}


def test_appended_rows_move_below_what_the_sheet_holds():
    from pohon_xl.sheets import CellValue, appended_below

    values = [CellValue("S", 3, 2, "baru"), CellValue("S", 10, 1, "a", append=True),
              CellValue("S", 11, 1, "b", append=True)]
    assert appended_below(values, 9) == values  # room already
    moved = appended_below(values, 12)
    assert [(v.row, v.value) for v in moved] == [(3, "baru"), (13, "a"), (14, "b")]


def test_a_sheet_without_its_id_column_gets_no_rows(tmp_path):
    """Rows are found again by ID and indicator: without the ID column a run could not, and
    would append every row on every run; it appends none and reports RAK09."""
    shutil.copy(EXAMPLE, tmp_path / "contoh.xlsx")
    _turunkan(tmp_path / "contoh.xlsx", tmp_path / "pertama.xlsx")
    book = load_workbook(tmp_path / "pertama.xlsx")
    book[C.RENCANA_AKSI]["A1"] = "Kode"
    rows = book[C.RENCANA_AKSI].max_row
    book.save(tmp_path / "diubah.xlsx")
    _turunkan(tmp_path / "diubah.xlsx", tmp_path / "kedua.xlsx")
    again = load_workbook(tmp_path / "kedua.xlsx")
    assert again[C.RENCANA_AKSI].max_row == rows
    codes = [row[0] for row in again[C.LAPORAN].iter_rows(min_row=2, values_only=True)]
    assert codes.count("RAK09") == 1


def test_the_filled_sheets_print_on_a4_landscape(runs):
    book = load_workbook(runs["second"])
    for name in C.FILLED_SHEETS:
        setup = book[name].page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), name  # 9: A4
        assert book[name].print_title_rows == "$1:$1", name
