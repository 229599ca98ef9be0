"""The byte-splicing path of the worksheet patcher (ooxml.splice) against the lxml tree path.

Each case writes the same edits twice, once per path, and compares the results cell by cell:
values as openpyxl and calamine read them, the style id (``s``) of every cell, the styles
part, dimensions, column widths, notes and fills. No timing here: speed lives in benchmarks/.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lxml import etree
from python_calamine import CalamineWorkbook

from pohon_xl.errors import InputError
from pohon_xl.excel import xlsxpatch
from pohon_xl.excel.ooxml import splice
from pohon_xl.excel.write import write_workbook
from pohon_xl.findings import Severity
from pohon_xl.pipeline import process
from pohon_xl.sheets import CellMark, RowStatus, WorkbookEdits
from tests.excel.test_write import rich_edits
from tests.excel.workbooks import L1, L2, assert_consistent_package, rich_xlsm, simple_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.xlsx"))


@pytest.fixture
def spliced(monkeypatch):
    """Counts the sheets the splicing path wrote and the ones it left to the tree path."""
    counts = {"spliced": 0, "declined": 0}
    original = xlsxpatch._Patcher._splice_sheet

    def spy(self, *args):
        done = original(self, *args)
        counts["spliced" if done else "declined"] += 1
        return done

    monkeypatch.setattr(xlsxpatch._Patcher, "_splice_sheet", spy)
    return counts


def both(monkeypatch, run) -> tuple[Path, Path]:
    """``run(fast)`` with the splicing path on, then off; the two outputs."""
    outputs = []
    for fast in (True, False):
        monkeypatch.setattr(xlsxpatch, "FAST_SPLICE", fast)
        outputs.append(run(fast))
    monkeypatch.setattr(xlsxpatch, "FAST_SPLICE", True)
    return outputs[0], outputs[1]


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> worksheet part, read from the workbook and its relationships."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    found = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{REL}}}id")]
        found[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return found


def raw_cells(path: Path) -> dict[str, dict]:
    """Per sheet: every cell's (s, t) by reference, the rows' r in order, dimension, cols."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name, part in sheet_parts(path).items():
            root = etree.fromstring(archive.read(part))
            data = root.find(f"{{{MAIN}}}sheetData")
            rows = [row.get("r") for row in data]
            cells = {c.get("r"): (c.get("s", "0"), c.get("t", "n"))
                     for c in data.iter(f"{{{MAIN}}}c")}
            refs = [c.get("r") for c in data.iter(f"{{{MAIN}}}c")]
            dimension = root.find(f"{{{MAIN}}}dimension")
            cols = [dict(col.attrib) for col in root.iter(f"{{{MAIN}}}col")]
            tags = [etree.QName(el).localname for el in root]
            out[name] = {"cells": cells, "order": refs, "rows": rows, "cols": cols, "tags": tags,
                         "dimension": None if dimension is None else dimension.get("ref")}
    return out


def snapshot(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    seen = {}
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style and cell.comment is None:
                    continue
                cells[cell.coordinate] = (
                    cell.value, cell.data_type, cell.fill.fill_type, cell.fill.fgColor.rgb,
                    cell.font.b, cell.number_format,
                    (cell.comment.author, cell.comment.text) if cell.comment else None)
        seen[ws.title] = cells
    calamine = CalamineWorkbook.from_path(str(path))
    values = {name: calamine.get_sheet_by_name(name).to_python()
              for name in calamine.sheet_names}
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml")
    return {"openpyxl": seen, "calamine": values, "raw": raw_cells(path), "styles": styles}


def assert_equivalent(fast: Path, tree: Path) -> None:
    assert_consistent_package(fast)
    one, two = snapshot(fast), snapshot(tree)
    assert one["styles"] == two["styles"]  # so the style ids below mean the same
    assert one["calamine"] == two["calamine"]
    assert one["openpyxl"].keys() == two["openpyxl"].keys()
    for sheet in one["openpyxl"]:
        assert one["openpyxl"][sheet] == two["openpyxl"][sheet], sheet
        assert one["raw"][sheet] == two["raw"][sheet], sheet
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(tree) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if "worksheets/sheet" not in name:  # sheets differ in quoting, not in content
                assert a.read(name) == b.read(name), name


def write_both(monkeypatch, src: Path, edits: WorkbookEdits, folder: Path) -> tuple[Path, Path]:
    suffix = src.suffix
    folder.mkdir(exist_ok=True)
    return both(monkeypatch, lambda fast: _write(src, folder / f"{'fast' if fast else 'tree'}"
                                                 f"{suffix}", edits))


def _write(src: Path, dst: Path, edits: WorkbookEdits) -> Path:
    write_workbook(src, dst, edits)
    return dst


# -- the bundled examples, through the whole command --------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("derive", [False, True], ids=["validasi", "turunkan"])
def test_examples_same_as_tree_path(example, derive, tmp_path, monkeypatch, spliced):
    src = tmp_path / example.name
    shutil.copy(example, src)

    def run(fast):
        out = tmp_path / f"{'fast' if fast else 'tree'}.xlsx"
        process(src, out, derive=derive)
        return out

    fast, tree = both(monkeypatch, run)
    assert spliced["spliced"] >= 2 and spliced["declined"] == 0
    assert_equivalent(fast, tree)

    # A second run, on each path's own output: the previous Status/Catatan are replaced.
    def again(fast):
        out = tmp_path / f"{'fast' if fast else 'tree'}2.xlsx"
        process(fast_first if fast else tree_first, out, derive=derive)
        return out

    fast_first, tree_first = fast, tree
    fast2, tree2 = both(monkeypatch, again)
    assert_equivalent(fast2, tree2)
    assert snapshot(fast2)["calamine"] == snapshot(fast)["calamine"]


# -- XlsxWriter: user columns right of Status, a missing row, marks, notes, re-runs ----------------
def test_xlsxwriter_workbook_with_user_columns_and_reruns(tmp_path, monkeypatch, spliced):
    src = rich_xlsm(tmp_path)
    fast, tree = write_both(monkeypatch, src, rich_edits(), tmp_path / "1")
    assert spliced["spliced"] == 2 and spliced["declined"] == 0
    assert_equivalent(fast, tree)
    l2 = openpyxl.load_workbook(fast)[L2]  # F, G ours; K-M the user's, to the right
    assert [l2.cell(2, c).value for c in (6, 7, 11, 12, 13)] == [
        "Galat", "-induk tidak ada", 1, 2, 3]
    refs = raw_cells(fast)[L2]["order"]
    assert refs == sorted(refs, key=lambda r: (int(r.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                                               len(r.rstrip("0123456789")), r))
    # Second run on its own output (clones reused), then a third one without marks.
    for step, edits in ((2, rich_edits()), (3, rich_edits(marks=False))):
        fast, tree = both(monkeypatch, lambda on, f=fast, t=tree, s=step, e=edits: _write(
            f if on else t, tmp_path / f"{'fast' if on else 'tree'}{s}.xlsm", e))
        assert_equivalent(fast, tree)


# -- openpyxl: missing rows, statuses moving between runs, rows with a custom format ---------------
def test_openpyxl_workbook_with_missing_rows(tmp_path, monkeypatch, spliced):
    src = simple_xlsx(tmp_path, rows=6, columns=9)
    book = openpyxl.load_workbook(src)
    sheet = book[L1]
    sheet.delete_rows(4, 2)  # 7 rows -> 5: statuses on 9 and 12 fall between and after them
    sheet["I3"] = "kolom pengguna"  # right of our columns F, G
    sheet.row_dimensions[12].fill = openpyxl.styles.PatternFill("solid", fgColor="FF0000FF")
    sheet.column_dimensions["H"].width = 20
    book.save(src)
    edits = WorkbookEdits(
        status_columns={L1: (6, 7)},
        statuses=[RowStatus(L1, r, s, n) for r, s, n in (
            (2, "OK", ""), (4, "Galat", "baris & <kosong>"), (5, "Peringatan", "_x0041_ \x01"),
            (9, "Galat", "di luar data"), (12, "OK", "baris berformat"))],
        marks=[CellMark(L1, 4, 2, Severity.GALAT, "tidak ada"),
               CellMark(L1, 3, 9, Severity.PERINGATAN, "kolom pengguna"),
               CellMark(L1, 12, 8, Severity.GALAT, "sel baru di baris berformat"),
               CellMark(L1, 15, 1, Severity.INFO, "baris baru")],
    )
    fast, tree = write_both(monkeypatch, src, edits, tmp_path / "1")
    assert spliced == {"spliced": 1, "declined": 0}
    assert_equivalent(fast, tree)
    assert raw_cells(fast)[L1]["rows"] == ["1", "2", "3", "4", "5", "9", "12", "15"]
    # The next run: other rows, so the old Status/Catatan cells must go.
    moved = WorkbookEdits(status_columns={L1: (6, 7)},
                          statuses=[RowStatus(L1, 3, "Galat", "sekarang di sini")])
    fast2, tree2 = both(monkeypatch, lambda on: _write(
        fast if on else tree, tmp_path / f"{'fast' if on else 'tree'}2.xlsx", moved))
    assert_equivalent(fast2, tree2)
    values = openpyxl.load_workbook(fast2)[L1]
    assert [values.cell(r, 6).value for r in range(2, 13)] == [
        None, "Galat", None, None, None, None, None, None, None, None, None]
    assert values["I3"].value == "kolom pengguna"


def _xlsxwriter_sheet(path: Path, rows: int) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(L1)
    sheet.write_row(0, 0, ["ID", "ID Induk", "Sasaran", "Status", "Catatan Validasi", "Lain"])
    for row in range(1, rows):
        sheet.write_row(row, 0, [f"S{row}", "", f"Sasaran {row}"])
        if row % 3 == 0:
            sheet.write_row(row, 3, ["Lama", "catatan lama", row])  # a previous run's cells
        if row % 4 == 0:
            sheet.write_formula(row, 4, "=A1&B1", None, "x")
    book.close()
    return path


def test_xlsxwriter_sheet_with_old_statuses_and_formulas(tmp_path, monkeypatch, spliced):
    src = _xlsxwriter_sheet(tmp_path / "xw.xlsx", 40)
    edits = WorkbookEdits(
        status_columns={L1: (4, 5)},
        statuses=[RowStatus(L1, r, "OK" if r % 2 else "Galat", f"catatan {r}" if r % 5 else "")
                  for r in range(2, 45, 2)],
        marks=[CellMark(L1, 7, 4, Severity.GALAT, "pada kolom Status"),
               CellMark(L1, 8, 3, Severity.PERINGATAN, "pada Sasaran")])
    fast, tree = write_both(monkeypatch, src, edits, tmp_path)
    assert spliced == {"spliced": 1, "declined": 0}
    assert_equivalent(fast, tree)


# -- sheets the splicing path leaves to the tree path ------------------------------------------------
def _with_sheet_xml(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w") as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            out.writestr(info, data)
    return dst


def _prefixed(data: bytes) -> bytes:
    root = etree.fromstring(data)
    copy = etree.Element(f"{{{MAIN}}}worksheet", nsmap={"x": MAIN, "r": REL})
    copy.extend(list(root))
    return etree.tostring(copy, xml_declaration=True, encoding="UTF-8", standalone=True)


@pytest.mark.parametrize("change, why", [
    (_prefixed, "x:row"),
    (lambda d: d.replace(b"<sheetData>", b"<sheetData><!-- hi -->"), "comment"),
    (lambda d: d.replace(b'<c r="A3"', b"<c"), "cell without r"),
    (lambda d: d.replace(b'<row r="3"', b"<row"), "row without r"),
])
def test_unusual_sheets_take_the_tree_path(tmp_path, monkeypatch, spliced, change, why):
    src = _with_sheet_xml(simple_xlsx(tmp_path), tmp_path / "odd.xlsx", change)
    edits = WorkbookEdits(status_columns={L1: (6, 7)},
                          statuses=[RowStatus(L1, r, "Galat", why) for r in (2, 3, 4, 9)],
                          marks=[CellMark(L1, 3, 2, Severity.GALAT, why)])
    fast, tree = write_both(monkeypatch, src, edits, tmp_path)
    assert spliced == {"spliced": 0, "declined": 1}
    assert_equivalent(fast, tree)


def test_shared_formula_in_our_column_is_refused_as_before(tmp_path, monkeypatch, spliced):
    def shared(data: bytes) -> bytes:
        return re.sub(rb'(<row r="2"[^>]*>.*?)(</row>)',
                      rb'\1<c r="F2"><f t="shared" ref="F2:F3" si="0">A2</f><v>1</v></c>\2',
                      data, count=1, flags=re.S)

    src = _with_sheet_xml(simple_xlsx(tmp_path), tmp_path / "shared.xlsx", shared)
    assert b'ref="F2:F3"' in zipfile.ZipFile(src).read("xl/worksheets/sheet1.xml")
    edits = WorkbookEdits(status_columns={L1: (6, 7)}, statuses=[RowStatus(L1, 3, "OK", "")])
    with pytest.raises(InputError, match="rumus bersama"):
        write_workbook(src, tmp_path / "out.xlsx", edits)
    assert spliced == {"spliced": 0, "declined": 1}


@pytest.mark.parametrize("text", ["OK", "", "Galat & <catatan>", "_x0041_ a\x01b", "x" * 200])
def test_cached_text_cells_are_the_plain_ones(text):
    cells = splice.TextCells()
    for row in (2, 3, 10_000):  # the second row takes the cached parts
        assert cells(row, 19, text, 4) == splice.text_cell(row, 19, text, 4)
