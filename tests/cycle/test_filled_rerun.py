"""A re-run of `turunkan` never loses a cell typed into `Rencana_Aksi` or `Realisasi`, even
after the tree changed: through the command line, on a copy of the bundled example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pohon_xl.cli import main
from pohon_xl.model import contract as C

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


def _turunkan(source: Path, target: Path) -> None:
    assert main(["turunkan", str(source), "-o", str(target)]) in (0, 1)


def _headers(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value is not None}


def _row_of(sheet: Worksheet, node_id: str, indicator: str | None = None) -> int:
    cols = _headers(sheet)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, cols[C.ID]).value == node_id and (
                indicator is None or sheet.cell(row, cols[C.INDIKATOR]).value == indicator):
            return row
    raise AssertionError(f"{node_id} {indicator} not on {sheet.title}")


def _level_row(sheet: Worksheet, node_id: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == node_id:
            return row
    raise AssertionError(node_id)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("isian")
    first = folder / "pertama.xlsx"
    shutil.copy(EXAMPLE, folder / "contoh.xlsx")
    _turunkan(folder / "contoh.xlsx", first)

    book = load_workbook(first)
    plan, real = book[C.RENCANA_AKSI], book[C.REALISASI]
    pc, rc = _headers(plan), _headers(real)
    typed: dict[tuple[str, int, int], object] = {}

    def put(sheet: Worksheet, row: int, column: int, value: object) -> None:
        sheet.cell(row, column).value = value
        typed[(sheet.title, row, column)] = value

    row = _row_of(plan, "L4-01")
    put(plan, row, pc["Cara Akumulasi"], "Nilai Akhir")
    for header, value in zip(("Target TW I", "Target TW II", "Target TW III"), (2, 4, 6)):
        put(plan, row, pc[header], value)
    put(plan, row, pc["Target TW IV"], "=K%d+2" % row)  # a formula: TW III + 2
    own = plan.max_column + 1
    put(plan, 1, own, "Catatan Bidang")  # an own column
    put(plan, row, own, "dibahas rapat TW I")
    l6_row = _row_of(plan, "L6-02")
    put(plan, l6_row, pc["Cara Akumulasi"], "Kumulatif")
    put(plan, l6_row, pc["Target TW I"], 1)
    l5 = _row_of(plan, "L5-01")
    put(plan, l5, pc["Anggaran TW I"], 100_000_000)
    renamed = _row_of(plan, "L4-02")
    put(plan, renamed, pc[C.KETERANGAN], "menunggu rencana induk")
    for header, value in (("Realisasi TW I", 1.5), ("Bukti Dukung", "Laporan survei TW I"),
                          ("Realisasi Tahun Lalu", 4)):
        put(real, _row_of(real, "L4-01"), rc[header], value)
    put(real, _row_of(real, "L6-02"), rc["Realisasi TW I"], 1)

    # The tree changes: a new L4 node, L6-02 removed, L4-02's indicator renamed, L4-01's
    # sasaran reworded.
    l4 = book["L4_Sasaran_Kegiatan"]
    lc = _headers(l4)
    source = _level_row(l4, "L4-02")
    new = l4.max_row + 1
    for column in range(1, l4.max_column + 1):
        l4.cell(new, column).value = l4.cell(source, column).value
    l4.cell(new, lc[C.ID]).value = "L4-99"
    l4.cell(new, lc[C.INDIKATOR]).value = "Jumlah simpang yang ditata ulang"
    old_indicator = l4.cell(source, lc[C.INDIKATOR]).value
    l4.cell(source, lc[C.INDIKATOR]).value = f"{old_indicator} (rumusan baru)"
    l4.cell(_level_row(l4, "L4-01"), lc[C.SASARAN]).value = "Sasaran kegiatan yang dirumuskan ulang"
    l6 = book["L6_RHK_Individu"]
    l6.delete_rows(_level_row(l6, "L6-02"))
    second_in = folder / "diketik.xlsx"
    book.save(second_in)
    second = folder / "kedua.xlsx"
    _turunkan(second_in, second)
    third = folder / "ketiga.xlsx"
    _turunkan(second, third)
    return {"typed": typed, "second": second, "third": third, "old_indicator": old_indicator}


@pytest.mark.parametrize("which", ["second", "third"])
def test_every_typed_cell_survives(runs, which):
    book = load_workbook(runs[which])
    for (sheet, row, column), value in runs["typed"].items():
        assert book[sheet].cell(row, column).value == value, (sheet, row, column)


def test_new_node_added_and_changed_cells_refreshed(runs):
    book = load_workbook(runs["second"])
    for name in C.FILLED_SHEETS:
        sheet = book[name]
        cols = _headers(sheet)
        added = _row_of(sheet, "L4-99")
        assert sheet.cell(added, cols[C.INDIKATOR]).value == "Jumlah simpang yang ditata ulang"
        assert added > _row_of(sheet, "L6-02")  # appended at the bottom
        # the renamed indicator: a new row for the new wording, the old row kept
        _row_of(sheet, "L4-02", f"{runs['old_indicator']} (rumusan baru)")
        _row_of(sheet, "L4-02", runs["old_indicator"])
        row = _row_of(sheet, "L4-01")
        assert sheet.cell(row, cols[C.SASARAN]).value == "Sasaran kegiatan yang dirumuskan ulang"
    plan = book[C.RENCANA_AKSI]
    added = _row_of(plan, "L4-99")
    assert plan.cell(added, _headers(plan)["Target TW I"]).fill.fgColor.rgb.endswith("FFF2CC")
    # a third run adds nothing more
    again = load_workbook(runs["third"])
    assert again[C.RENCANA_AKSI].max_row == plan.max_row


def test_stale_rows_are_kept_and_flagged(runs):
    book = load_workbook(runs["second"])
    for name in C.FILLED_SHEETS:
        sheet = book[name]
        cols = _headers(sheet)
        assert C.STATUS in cols and C.CATATAN in cols
        for row in (_row_of(sheet, "L6-02"), _row_of(sheet, "L4-02", runs["old_indicator"])):
            assert sheet.cell(row, cols[C.STATUS]).value == "Peringatan"
            assert "[RAK05]" in sheet.cell(row, cols[C.CATATAN]).value
        assert sheet.cell(_row_of(sheet, "L3-01"), cols[C.STATUS]).value == "OK"
    report = book[C.LAPORAN]
    codes = [row[0] for row in report.iter_rows(min_row=2, values_only=True)]
    assert codes.count("RAK05") == 6  # L6-02 (two indicators) and the old L4-02, per sheet
