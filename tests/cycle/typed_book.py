"""A workbook after `turunkan` with cells typed into `Rencana_Aksi` and `Realisasi` (values,
a formula, an own column) and its tree changed (a node added, one removed, an indicator
renamed, a sasaran reworded): what the re-run tests of the file writer and of the Excel
buttons start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pohon_xl.model import contract as C


@dataclass
class TypedBook:
    path: Path
    typed: dict[tuple[str, int, int], object]  # (sheet, row, column) -> what was typed
    old_indicator: str  # L4-02's indicator before it was renamed
    total_row: int  # people's own total row below the table of Rencana_Aksi (0: none)


def headers(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value is not None}


def row_of(sheet: Worksheet, node_id: str, indicator: str | None = None) -> int:
    cols = headers(sheet)
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



def type_into(first: Path, second_in: Path, *, total: bool = True) -> TypedBook:
    """Type into ``first`` (a `turunkan` result) and change its tree; save as ``second_in``.
    ``total``: add a total row below the table, a formula without a stored value."""
    book = load_workbook(first)
    plan, real = book[C.RENCANA_AKSI], book[C.REALISASI]
    pc, rc = headers(plan), headers(real)
    typed: dict[tuple[str, int, int], object] = {}

    def put(sheet: Worksheet, row: int, column: int, value: object) -> None:
        sheet.cell(row, column).value = value
        typed[(sheet.title, row, column)] = value

    row = row_of(plan, "L4-01")
    put(plan, row, pc["Cara Akumulasi"], "Nilai Akhir")
    for header, value in zip(("Target TW I", "Target TW II", "Target TW III"), (2, 4, 6)):
        put(plan, row, pc[header], value)
    put(plan, row, pc["Target TW IV"], "=K%d+2" % row)  # a formula: TW III + 2
    own = plan.max_column + 1
    put(plan, 1, own, "Catatan Bidang")  # an own column
    put(plan, row, own, "dibahas rapat TW I")
    l6_row = row_of(plan, "L6-02")
    put(plan, l6_row, pc["Cara Akumulasi"], "Kumulatif")
    put(plan, l6_row, pc["Target TW I"], 1)
    l5 = row_of(plan, "L5-01")
    put(plan, l5, pc["Anggaran TW I"], 100_000_000)
    renamed = row_of(plan, "L4-02")
    put(plan, renamed, pc[C.KETERANGAN], "menunggu rencana induk")
    for header, value in (("Realisasi TW I", 1.5), ("Bukti Dukung", "Laporan survei TW I"),
                          ("Realisasi Tahun Lalu", 4)):
        put(real, row_of(real, "L4-01"), rc[header], value)
    put(real, row_of(real, "L6-02"), rc["Realisasi TW I"], 1)
    # a total row of their own below the table: a formula openpyxl stores without a value,
    # which a reader of values sees as an empty row
    total_row = plan.max_row + 1 if total else 0
    if total:
        put(plan, total_row, pc["Target TW I"], f"=SUM(I2:I{total_row - 1})")

    # The tree changes: a new L4 node, L6-02 removed, L4-02's indicator renamed, L4-01's
    # sasaran reworded.
    l4 = book["L4_Sasaran_Kegiatan"]
    lc = headers(l4)
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
    book.save(second_in)
    return TypedBook(second_in, typed, old_indicator, total_row)
