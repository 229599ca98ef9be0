"""The zip-level writer: edits land, everything of the user's survives, re-runs are clean."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from pohon_xl.excel.write import WorkbookWriter, ZipPatchWriter, write_workbook
from pohon_xl.findings import Severity
from pohon_xl.marks import REGISTRY_SHEET
from pohon_xl.sheets import Cell, CellMark, PrintSetup, RowStatus, SheetSpec, WorkbookEdits
from tests.excel.workbooks import (
    L1, L2, OTHER, VBA_BYTES, assert_consistent_package, rich_xlsm, simple_xlsx,
)

RED, AMBER, GREEN = "FFFFC7CE", "FFFFEB9C", "FFC6EFCE"


def report_sheet() -> SheetSpec:
    return SheetSpec(
        "Laporan_Validasi",
        rows=[
            [Cell(h, "header") for h in ("Kode", "Tingkat", "Sheet", "Baris", "Pesan")],
            [Cell("IDN01", link=f"'{L1}'!C3"), Cell("Galat", "galat"), Cell(L1), Cell(3, "number"),
             Cell("=bukan rumus")],
            [None, Cell(None, "text"), Cell(1234567.5, "money"), Cell(0.25, "percent")],
        ],
        widths={1: 10, 5: 50},
        heights={1: 30},
        merges=["A5:E5"],
        freeze="A2",
        autofilter="A1:E3",
        print=PrintSetup(landscape=True, paper="A3", title_rows="1:1", area="A1:E3",
                         row_breaks=[2]),
        tab_color="C00000",
    )


def rich_edits(marks: bool = True) -> WorkbookEdits:
    return WorkbookEdits(
        status_columns={L1: (7, 8), L2: (6, 7)},
        statuses=[
            RowStatus(L1, 2, "Galat", "=SUM(A1:A2) bukan rumus"),
            RowStatus(L1, 3, "Peringatan", "+62 bukan angka"),
            RowStatus(L1, 4, "OK", ""),
            RowStatus(L1, 10, "Galat", "@baris baru"),
            RowStatus(L2, 2, "Galat", "-induk tidak ada"),
        ],
        marks=[
            CellMark(L1, 2, 1, Severity.PERINGATAN, "ID ganda"),  # the user's note is there
            CellMark(L1, 3, 3, Severity.GALAT, "Sasaran kosong"),
            CellMark(L1, 3, 3, Severity.PERINGATAN, "terlalu panjang"),
            CellMark(L1, 4, 2, Severity.PERINGATAN, "ID Induk kosong"),
            CellMark(L2, 2, 2, Severity.GALAT, "Induk S1 tidak ada"),
        ] if marks else [],
        sheets=[report_sheet(), SheetSpec("Ringkasan", rows=[[Cell("Jumlah"), Cell(3)]])],
    )


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("rich")
    src = rich_xlsm(folder)
    dst = folder / "out.xlsm"
    write_workbook(src, dst, rich_edits())
    return src, dst


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def fill(cell) -> str:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else ""


def values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_statuses_written_as_text_in_column_order(rich):
    _, dst = rich
    book = openpyxl.load_workbook(dst, keep_vba=True)
    l1, l2 = book[L1], book[L2]
    assert (l1["G1"].value, l1["H1"].value) == ("Status", "Catatan Validasi")
    assert l1["G1"].font.b and fill(l1["G1"])
    assert [l1.cell(r, 7).value for r in range(2, 11)] == [
        "Galat", "Peringatan", "OK", None, None, None, None, None, "Galat"]
    for ref, text in (("H2", "=SUM(A1:A2) bukan rumus"), ("H3", "+62 bukan angka"),
                      ("H10", "@baris baru")):
        assert (l1[ref].value, l1[ref].data_type) == (text, "s")
    assert (fill(l1["G2"]), fill(l1["G3"]), fill(l1["G4"])) == (RED, AMBER, GREEN)
    assert round(l1.column_dimensions["G"].width) in (30, 31)  # the user's width stays
    assert l1.column_dimensions["H"].width == 60
    assert l1.max_row == 10 and l1.max_column >= 8
    # L2: our columns F, G sit between the user's data (A-E) and K-M.
    assert (l2["F2"].value, l2["G2"].value, l2["K2"].value, l2["M2"].value) == (
        "Galat", "-induk tidak ada", 1, 3)
    sheet = parts(dst)["xl/worksheets/sheet2.xml"].decode()
    row2 = re.search(r'<row r="2".*?</row>', sheet).group()
    refs = re.findall(r'<c r="([A-Z]+)2"', row2)
    assert refs == sorted(refs, key=lambda c: (len(c), c))


def test_user_content_survives(rich):
    src, dst = rich
    book = openpyxl.load_workbook(dst, keep_vba=True)
    l1 = book[L1]
    assert l1["C7"].value == "=1+1" and l1["C7"].data_type == "s"
    assert l1["A2"].comment.text == "catatan pengguna" and l1["A2"].comment.author == "Budi"
    assert [str(v.sqref) for v in l1.data_validations.dataValidation] == ["E2:E50"]
    assert [str(r.sqref) for r in l1.conditional_formatting] == ["F2:F50"]
    assert "C8:D8" in {str(m) for m in l1.merged_cells.ranges}
    assert book.defined_names["DaftarSatuan"].attr_text == f"'{OTHER}'!$A$1:$A$4"
    assert len(book[OTHER]._charts) == 1
    after = parts(dst)
    assert after["xl/vbaProject.bin"] == VBA_BYTES
    assert "Button" in after["xl/drawings/vmlDrawing2.vml"].decode()  # the form button
    assert "sparklineGroup" in after["xl/worksheets/sheet2.xml"].decode()


def test_untouched_parts_are_byte_identical(rich):
    src, dst = rich
    assert_consistent_package(dst)
    before, after = parts(src), parts(dst)
    changed = {
        "[Content_Types].xml", "docProps/app.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
        "xl/worksheets/_rels/sheet1.xml.rels", "xl/worksheets/_rels/sheet2.xml.rels",
        "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/drawings/vmlDrawing2.vml",
    }
    assert set(before) <= set(after)
    same = {name for name in before if name not in changed}
    assert {"xl/vbaProject.bin", "xl/media/image1.png", "xl/charts/chart1.xml",
            "xl/drawings/drawing1.xml", "xl/worksheets/sheet3.xml"} <= same
    assert [n for n in sorted(same) if before[n] != after[n]] == []
    assert list(after)[: len(before)] == list(before)  # original part order kept


def test_marks_fill_and_notes(rich):
    src, dst = rich
    original = openpyxl.load_workbook(src)[L1]
    book = openpyxl.load_workbook(dst, keep_vba=True)
    l1, l2 = book[L1], book[L2]
    assert fill(l1["C3"]) == RED  # worst of the two marks on C3
    assert l1["C3"].comment.author == "pohon-xl"
    assert "Sasaran kosong" in l1["C3"].comment.text and "terlalu panjang" in l1["C3"].comment.text
    assert fill(l1["B4"]) == AMBER and "ID Induk kosong" in l1["B4"].comment.text
    assert fill(l1["A2"]) == AMBER and l1["A2"].comment.text == "catatan pengguna"
    assert l1["C3"].font.b == original["C3"].font.b  # the clone keeps the rest of the format
    assert fill(l2["B2"]) == RED and l2["B2"].comment.author == "pohon-xl"
    vml = parts(dst)["xl/drawings/vmlDrawing2.vml"].decode()
    assert 'ObjectType="Note"' in vml and 'ObjectType="Button"' in vml


def test_new_sheets(rich):
    _, dst = rich
    book = openpyxl.load_workbook(dst, keep_vba=True)
    # the marks registry (pohon_xl.marks) goes last, hidden
    assert book.sheetnames == [L1, L2, OTHER, "Laporan_Validasi", "Ringkasan", REGISTRY_SHEET]
    assert book[REGISTRY_SHEET].sheet_state == "hidden"
    report = book["Laporan_Validasi"]
    assert report["A2"].value == "IDN01" and report["A2"].hyperlink.location == f"'{L1}'!C3"
    assert (report["E2"].value, report["E2"].data_type) == ("=bukan rumus", "s")
    assert report["D2"].value == 3 and report["C3"].number_format == '"Rp "#,##0'
    assert report["D3"].number_format == "0.0%" and report["A1"].font.b
    assert fill(report["B2"]) == RED
    assert report.freeze_panes == "A2" and report.auto_filter.ref == "A1:E3"
    assert "A5:E5" in {str(m) for m in report.merged_cells.ranges}
    assert report.column_dimensions["E"].width == 50 and report.row_dimensions[1].height == 30
    assert report.protection.sheet and report.sheet_properties.tabColor.rgb == "FFC00000"
    assert report.page_setup.paperSize == 8 and report.page_setup.orientation == "landscape"
    assert report.sheet_properties.pageSetUpPr.fitToPage and report.page_setup.fitToHeight == 0
    assert report.print_title_rows == "$1:$1"
    assert report.print_area == "'Laporan_Validasi'!$A$1:$E$3"
    assert [b.id for b in report.row_breaks.brk] == [2]
    assert book["Ringkasan"]["B1"].value == 3
    assert b"TitlesOfParts" not in parts(dst)["docProps/app.xml"]  # no stale sheet list


def test_rerun_is_idempotent_and_restores_styles(rich, tmp_path):
    src, first = rich
    second = tmp_path / "second.xlsm"
    write_workbook(first, second, rich_edits())
    assert values(second) == values(first)
    one, two = parts(first), parts(second)
    for name in ("xl/comments1.xml", "xl/styles.xml", "xl/drawings/vmlDrawing2.vml"):
        assert two[name].count(b"<comment ") == one[name].count(b"<comment ")
        assert two[name].count(b"<xf ") == one[name].count(b"<xf ")
        assert two[name].count(b"v:shape ") == one[name].count(b"v:shape ")
    assert two.keys() == one.keys()
    assert two["xl/workbook.xml"] == one["xl/workbook.xml"]  # defined names not repeated
    assert two["xl/styles.xml"] == one["xl/styles.xml"]  # clones and named styles reused

    # A third run without marks: fills go back to the user's format, our notes go away.
    third = tmp_path / "third.xlsm"
    write_workbook(second, third, rich_edits(marks=False))
    book, original = openpyxl.load_workbook(third, keep_vba=True), openpyxl.load_workbook(src)
    for sheet, ref in ((L1, "C3"), (L1, "B4"), (L1, "A2"), (L2, "B2")):
        assert fill(book[sheet][ref]) == fill(original[sheet][ref])
    assert book[L1]["A2"].comment.text == "catatan pengguna"
    assert book[L1]["C3"].comment is None and book[L2]["B2"].comment is None
    for path in (second, third):
        assert_consistent_package(path)
    after = parts(third)
    assert "Button" in after["xl/drawings/vmlDrawing2.vml"].decode()
    assert b"pohon-xl" not in after["xl/comments1.xml"].split(b"</authors>")[1]
    assert not any(n.endswith("comments2.xml") for n in after)


def test_replaced_sheet_keeps_position_and_names(tmp_path):
    src = simple_xlsx(tmp_path)
    edits = WorkbookEdits(sheets=[SheetSpec("Laporan_Validasi", rows=[[Cell("a")]],
                                            print=PrintSetup(area="A1:A1"))])
    write_workbook(src, src, edits)  # in place
    book = openpyxl.load_workbook(src)
    book.create_sheet("Sesudah")
    book["Laporan_Validasi"]["A1"].comment = Comment("tulisan tangan", "Budi")
    book.save(src)
    edits.sheets[0].rows = [[Cell("b")], [Cell(2)]]
    edits.sheets[0].print.area = "A1:A2"
    write_workbook(src, src, edits)
    book = openpyxl.load_workbook(src)
    assert book.sheetnames == [L1, "Laporan_Validasi", "Sesudah"]
    assert [c.value for c in book["Laporan_Validasi"]["A"]] == ["b", 2]
    assert book["Laporan_Validasi"].print_area == "'Laporan_Validasi'!$A$1:$A$2"
    assert book["Laporan_Validasi"]["A1"].comment is None  # the old sheet's parts are gone
    assert_consistent_package(src)
    notes = [name for name in parts(src) if "comment" in name.lower()]
    assert len(notes) == 2, notes  # L1's own notes and their drawing, nothing else


def test_writer_protocol():
    writer: WorkbookWriter = ZipPatchWriter()
    assert callable(writer.write)


def test_marks_without_clearing_replace_our_note_on_the_same_cell(tmp_path):
    src = simple_xlsx(tmp_path)
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_workbook(src, first, WorkbookEdits(marks=[CellMark(L1, 3, 2, Severity.GALAT, "lama")]))
    keep = WorkbookEdits(marks=[CellMark(L1, 3, 2, Severity.INFO, "baru"),
                                CellMark(L1, 4, 2, Severity.PERINGATAN, "lain")],
                         clear_marks=False)
    write_workbook(first, second, keep)
    sheet = openpyxl.load_workbook(second)[L1]
    assert sheet["B3"].comment.text == "pohon-xl:\nbaru"
    assert sheet["B4"].comment.text == "pohon-xl:\nlain"
    assert sheet["A2"].comment.text == "punya pengguna"
    assert parts(second)["xl/comments/comment1.xml"].count(b"<comment ") == 3
    # Clearing later still finds both clones and restores the original format.
    write_workbook(second, second, WorkbookEdits())
    sheet = openpyxl.load_workbook(second)[L1]
    assert fill(sheet["B3"]) == fill(sheet["B4"]) == ""
    assert sheet["B3"].comment is None and sheet["A2"].comment.text == "punya pengguna"


def test_status_columns_are_cleared_below_the_header(tmp_path):
    src = simple_xlsx(tmp_path, rows=4)
    book = openpyxl.load_workbook(src)
    book[L1]["G5"] = "=SUM(A1:A2)"  # stale content in our column goes, formulas too
    book.save(src)
    first = WorkbookEdits(status_columns={L1: (6, 7)},
                          statuses=[RowStatus(L1, r, "Galat", f"n{r}") for r in (2, 3)])
    write_workbook(src, src, first)
    write_workbook(src, src, WorkbookEdits(status_columns={L1: (6, 7)},
                                           statuses=[RowStatus(L1, 3, "OK", "")]))
    sheet = openpyxl.load_workbook(src)[L1]
    assert [(sheet.cell(r, 6).value, sheet.cell(r, 7).value) for r in range(1, 6)] == [
        ("Status", "Catatan Validasi"), (None, None), ("OK", None), (None, None), (None, None)]
    assert [c.value for c in sheet[2]][:5] == ["S0", "v0-1", "v0-2", "v0-3", "v0-4"]
