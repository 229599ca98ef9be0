"""turunkan writes each derived sheet as it is built: the same workbook as writing them all
at the end; and the package parts deflated beforehand or copied as stored."""

from __future__ import annotations

import shutil
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pohon_xl.core.derive.registry import DERIVED_SHEETS, REGISTRY
from pohon_xl.core.derive.run import Derivations, derive_all
from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.newsheet import render_sheet, sheet_chunks
from pohon_xl.excel.ooxml.package import Package, deflate_chunks
from pohon_xl.excel.write import write_workbook
from pohon_xl.model import contract as C
from pohon_xl.pipeline import analyse, process, read_run
from pohon_xl.sheets import Cell, SheetSpec
from tests.excel.workbooks import assert_consistent_package, simple_xlsx

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.xlsx"))


def looks(path: Path) -> dict:
    """Everything a reader sees: values (calamine), every cell's look, merges, widths,
    heights, panes, names (openpyxl)."""
    book = openpyxl.load_workbook(path)
    seen: dict = {"order": book.sheetnames,
                  "names": sorted((n, d.attr_text) for ws in book.worksheets
                                  for n, d in ws.defined_names.items())}
    for ws in book.worksheets:
        cells = {
            cell.coordinate: (cell.value, cell.data_type, repr(cell.font), repr(cell.fill),
                              repr(cell.border), repr(cell.alignment), cell.number_format,
                              repr(cell.protection), cell.hyperlink and cell.hyperlink.location,
                              cell.comment and cell.comment.text)
            for row in ws.iter_rows() for cell in row
            if cell.value is not None or cell.has_style or cell.comment is not None
        }
        seen[ws.title] = (cells, sorted(map(str, ws.merged_cells.ranges)),
                          {k: v.width for k, v in ws.column_dimensions.items()},
                          {k: v.height for k, v in ws.row_dimensions.items()},
                          ws.freeze_panes, ws.protection.sheet, ws.sheet_properties.tabColor)
    calamine = CalamineWorkbook.from_path(str(path))
    seen["calamine"] = {name: calamine.get_sheet_by_name(name).to_python()
                        for name in calamine.sheet_names}
    return seen


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_streamed_turunkan_same_as_all_sheets_at_the_end(example, tmp_path):
    src = tmp_path / example.name
    shutil.copy(example, src)
    streamed = tmp_path / "streamed.xlsx"
    outcome = process(src, streamed, derive=True)

    whole = tmp_path / "whole.xlsx"
    held = read_run(src, derive=True)
    edits = held.all_edits()
    write_workbook(src, whole, edits)

    assert_consistent_package(streamed)
    # Laporan_Validasi, then Rencana_Aksi and Realisasi when the example has none yet (they
    # are generated; else patched), then the derived sheets that apply
    filled = [] if held.plan.filled_sheets else list(C.FILLED_SHEETS)
    names = [s.name for s in edits.sheets]
    assert names[1:1 + len(filled)] == filled
    wanted = [s.name for s in sorted(REGISTRY, key=lambda s: s.position)
              if s.wanted(held.plan)]
    assert outcome.derived == names[1 + len(filled):] == wanted
    assert set(wanted) <= set(DERIVED_SHEETS)
    assert outcome.report.findings == held.report.findings
    assert looks(streamed) == looks(whole)
    # and once more on its own output (our marks and replaced sheets are recognised)
    again = tmp_path / "again.xlsx"
    process(streamed, again, derive=True)
    assert looks(again) == looks(streamed)


def test_derivations_one_at_a_time_same_as_derive_all():
    plan_outcome = analyse(EXAMPLES[0])
    sheets, findings = derive_all(plan_outcome.plan, plan_outcome.tree, plan_outcome.report)
    derivations = Derivations(plan_outcome.plan, plan_outcome.tree, plan_outcome.report)
    assert derivations.findings is None
    built = list(derivations)
    assert [s.name for s in built] == [sheet.name for sheet in REGISTRY
                                       if sheet.wanted(plan_outcome.plan)]
    assert derivations.findings == findings
    by_name = {s.name: s for s in sheets}
    for sheet in built:
        assert sheet.values() == by_name[sheet.name].values()


def test_sheet_chunks_and_repeated_texts():
    rows = [[Cell("a & b", "text"), Cell("a & b", "header"), Cell("a & b", "text"), None,
             Cell(3, "number"), Cell(2.5, "number"), Cell(None, "text"), Cell(True, "text")]
            for _ in range(3)]
    spec = SheetSpec("S", rows=rows, heights={5: 20})
    index = {"text": 7, "header": 8, "number": 9}
    data = render_sheet(spec, index.__getitem__)
    assert data == b"".join(sheet_chunks(spec, index.__getitem__))
    text = data.decode()
    cell = '<c r="{}" s="{}" t="inlineStr"><is><t xml:space="preserve">a &amp; b</t></is></c>'
    for row in (1, 2, 3):
        assert cell.format(f"A{row}", 7) + cell.format(f"B{row}", 8) + cell.format(
            f"C{row}", 7) + f'<c r="E{row}" s="9"><v>3</v></c><c r="F{row}" s="9"><v>2.5</v>' \
            f'</c><c r="G{row}" s="7"/><c r="H{row}" s="7" t="b"><v>1</v></c>' in text
    assert '<dimension ref="A1:H3"/>' in text
    assert '<row r="5" ht="20" customHeight="1"></row>' in text


def test_deflate_chunks_round_trip():
    chunks = [bytes([i % 251]) * (1000 + i) for i in range(50)]
    packed = deflate_chunks(iter(chunks))
    whole = b"".join(chunks)
    assert packed.inflate() == whole
    assert packed.crc == zlib.crc32(whole) and packed.size == len(whole)
    empty = deflate_chunks([])
    assert empty.inflate() == b"" and empty.size == 0


def test_unchanged_parts_copied_as_stored_and_large_parts_deflated_at_once(tmp_path):
    src = simple_xlsx(tmp_path, rows=2000, columns=20)
    package = Package.open(str(src), src.name)
    big = b"<x>" + b"y" * 400_000 + b"</x>"
    package.put_bytes("xl/big.xml", big)
    assert package.read("xl/big.xml") == big and package.raw("xl/big.xml") == big
    out = tmp_path / "out.xlsx"
    with open(out, "wb") as handle:
        package.save(handle)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/big.xml") == big
        for info in a.infolist():
            copy = b.getinfo(info.filename)
            assert b.read(info.filename) == a.read(info.filename)
            assert (copy.CRC, copy.compress_size) == (info.CRC, info.compress_size)
            assert copy.compress_type == info.compress_type


def test_corrupt_part_is_reported_even_when_copied(tmp_path):
    src = simple_xlsx(tmp_path, rows=50)
    with zipfile.ZipFile(src) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    data = bytearray(src.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    assert members  # the source itself is fine
    package = Package.open(str(bad), bad.name)
    with pytest.raises(InputError, match="rusak"):
        with open(tmp_path / "out.xlsx", "wb") as handle:
            package.save(handle)
