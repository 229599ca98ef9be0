"""Real users' and damaged workbooks through the command line (issue 18): the result never
needs Excel's repair, and every refusal is one line with exit status 2."""

from __future__ import annotations

import random
import re
import shutil
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pohon_xl.excel import limits
from tests.excel.hostile import (
    CATCH_ALL, EXAMPLE, bad_cells, check_output, libreoffice_loads, rezip, run_cli,
)

L1 = "L1_Sasaran_Daerah"
L1_PART = "xl/worksheets/sheet4.xml"  # L1's part in the example


def _edited(tmp_path: Path, edit, name: str = "masukan.xlsx") -> Path:
    book = openpyxl.load_workbook(EXAMPLE)
    edit(book)
    path = tmp_path / name
    book.save(path)
    return path


def _refused(path: Path, *words: str, command: str = "validasi") -> str:
    """Run ``command`` and check the one-line refusal: exit 2, nothing written."""
    before = path.read_bytes()
    out = path.with_name("hasil.xlsx")
    code, err = run_cli(command, str(path), "-o", str(out))
    assert code == 2, err
    assert CATCH_ALL not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err
    assert not out.exists() and path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return err


def _processed(path: Path, command: str = "validasi") -> Path:
    out = path.with_name(f"hasil_{command}.xlsx")
    before = path.read_bytes()
    code, err = run_cli(command, str(path), "-o", str(out))
    assert code in (0, 1), err
    assert path.read_bytes() == before
    check_output(path, out)
    return out


def _header(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


# -- 1. where the added columns go -----------------------------------------------------------
def test_added_columns_go_after_a_merged_header(tmp_path):
    def edit(book):
        sheet = book[L1]
        last = sheet.max_column
        sheet.cell(1, last + 1, "Catatan Bidang")  # the user's header over two columns
        sheet.merge_cells(start_row=1, start_column=last + 1, end_row=1, end_column=last + 2)
        sheet.cell(3, last + 4, "catatan lepas")  # and a cell further right without header

    path = _edited(tmp_path, edit)
    last = openpyxl.load_workbook(EXAMPLE)[L1].max_column
    sheet = openpyxl.load_workbook(_processed(path))[L1]
    header = _header(sheet)
    assert header["Status"] == last + 5 and header["Catatan Validasi"] == last + 6
    assert header["Catatan Bidang"] == last + 1 and sheet.cell(3, last + 4).value == "catatan lepas"
    for merged in sheet.merged_cells.ranges:
        assert merged.max_col < header["Status"], merged


def test_no_room_right_of_the_data_is_refused(tmp_path):
    path = _edited(tmp_path, lambda book: book[L1].cell(2, limits.MAX_COLUMN, "x"))
    _refused(path, "XFD", L1)


def test_a_merge_reaching_the_last_column_is_refused(tmp_path):
    def edit(book):
        sheet = book[L1]
        sheet.cell(1, sheet.max_column + 1, "Lain")
        sheet.merge_cells(start_row=1, start_column=sheet.max_column, end_row=1,
                          end_column=limits.MAX_COLUMN - 1)

    _refused(_edited(tmp_path, edit), "XFD")


def test_a_row_beyond_the_grid_is_refused(tmp_path):
    with zipfile.ZipFile(EXAMPLE) as archive:
        sheet = archive.read(L1_PART)
    last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', sheet))
    moved = re.sub(rb'(<row r=")%d(")' % last, rb"\g<1>1048577\2", sheet)
    moved = re.sub(rb'(<c r="[A-Z]+)%d(")' % last, rb"\g<1>1048577\2", moved)
    assert moved != sheet
    path = rezip(EXAMPLE, tmp_path / "baris.xlsx", {L1_PART: moved})
    err = _refused(path)
    assert "1048576" in err or "rusak" in err


def _l1_with(tmp_path: Path, rows: bytes, name: str = "jauh.xlsx") -> Path:
    """The example with ``rows`` appended to L1's sheetData (its dimension left as it was)."""
    with zipfile.ZipFile(EXAMPLE) as archive:
        sheet = archive.read(L1_PART)
    assert b"<dimension " in sheet
    return rezip(EXAMPLE, tmp_path / name, {L1_PART: sheet.replace(b"</sheetData>",
                                                                   rows + b"</sheetData>")})


FAR = b'<row r="1048000"><c r="XFC1048000" t="inlineStr"><is><t>x</t></is></c></row>'


def test_one_far_cell_is_refused_quickly(tmp_path):
    # A few KB whose grid from A1 is 17 billion cells: calamine would end the process.
    path = _l1_with(tmp_path, FAR)
    assert path.stat().st_size < 64 * 1024
    start = time.perf_counter()
    err = _refused(path, "XFC1048000", L1, "Ctrl+End")
    assert time.perf_counter() - start < 20, "the bound is read from the XML, not a grid"
    assert f"{limits.MAX_CELLS:,}".replace(",", ".") in err


def test_a_far_cell_without_reference_is_placed_and_refused(tmp_path):
    # Cells without r are placed after the previous one: the parser's path.
    cells = b"<c><v>1</v></c>" * 20
    _refused(_l1_with(tmp_path, b'<row r="1048000">' + cells + b"</row>"), "1048000", L1)


def test_the_pattern_of_greater_numerals():
    from pohon_xl.excel.extent import _above

    for value in ("1", "9", "10", "63125", "999", "1048000"):
        above = re.compile(f"(?:{_above(value, '[0-9]', '9')})$")
        for number in range(1, 1_100_000, 997):
            assert bool(above.match(str(number))) == (number > int(value)), (value, number)
    above = re.compile(f"(?:{_above('XFC', '[A-Z]', 'Z')})$")
    for letters in ("XFC", "XFB", "XFD", "XGA", "YAA", "ZZ", "AAAA", "A"):
        assert bool(above.match(letters)) == (
            (len(letters), letters) > (3, "XFC")), letters


def test_a_dimension_that_lies_is_checked_against_the_cells(tmp_path):
    from pohon_xl.excel.extent import claimed_extent, sheet_extent

    path = _l1_with(tmp_path, FAR)
    with zipfile.ZipFile(path) as archive:
        assert claimed_extent(archive, L1_PART) is None  # a cell beyond the dimension
        assert sheet_extent(archive, L1_PART) == (1048000, limits.MAX_COLUMN - 1)
    with zipfile.ZipFile(EXAMPLE) as archive:
        claim = claimed_extent(archive, L1_PART)
        assert claim is not None and claim == sheet_extent(archive, L1_PART, filled=True)


def test_far_empty_styled_cells_cost_nothing_and_are_accepted(tmp_path):
    # LibreOffice writes styled cells without a value far right; calamine keeps no grid
    # for them.
    rows = b"".join(b'<row r="%d"><c r="AMJ%d" s="1"/></row>' % (r, r)
                    for r in range(20_000, 20_050))
    _processed(_l1_with(tmp_path, rows))


# -- 2. sheet names of every legal form ------------------------------------------------------
USER_SHEETS = ["Data 'Lama'", "Rencana Kerja (2025)", "O'Brien & Co; ok", "ข้อมูล สำรอง",
               "Anggaran 'Dinas' Tahun 2025 xx"[:31], "Данные"]


@pytest.mark.parametrize("command", ["validasi", "turunkan"])
def test_sheet_names_with_quotes_spaces_and_other_scripts(tmp_path, command):
    def edit(book):
        for name in USER_SHEETS:  # after the contract's sheets, as users add them
            book.create_sheet(name)["A1"] = name
        book[USER_SHEETS[0]].print_title_rows = "1:1"  # the user's own local name
        book[L1]["A3"] = book[L1]["A2"].value  # an ID twice: findings with links

    path = _edited(tmp_path, edit)
    out = _processed(path, command)
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert set(USER_SHEETS) <= set(names)
    laporan = book["Laporan_Validasi"]
    links = [c.hyperlink.location for c in laporan["A"][1:] if c.hyperlink is not None]
    assert links
    for link in links:
        sheet, cell = link.rsplit("!", 1)
        assert sheet.startswith("'") and sheet.endswith("'")
        assert sheet[1:-1].replace("''", "'") in names and re.fullmatch(r"[A-Z]+\d+", cell)
    # Every defined name we wrote refers to its own sheet, quoted as Excel quotes it.
    with zipfile.ZipFile(out) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    for local, formula in re.findall(r'<definedName name="_xlnm\.[^"]+" '
                                     r'localSheetId="(\d+)"[^>]*>([^<]+)<', workbook):
        quoted = "'" + names[int(local)].replace("'", "''") + "'!"
        assert formula.startswith(quoted), (local, formula)
    if shutil.which("soffice"):
        loads = libreoffice_loads([path, out])
        assert loads == {path: True, out: True}, loads


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_loads_the_result_after_a_sheet_named_with_apostrophes(tmp_path):
    """The LibreOffice 7.4 trap: a sheet whose name begins or ends with an apostrophe,
    before a sheet with local names (print titles, filter range). The input loads; so must
    the results, whose Laporan_Validasi and derived sheets still print their title rows."""
    def edit(book):
        book.create_sheet("Data 'Lama'")["A1"] = "lama"
        book.create_sheet("'Arsip")["A1"] = "arsip"

    path = _edited(tmp_path, edit)
    outs = [_processed(path, "validasi"), _processed(path, "turunkan")]
    loads = libreoffice_loads([path, *outs])
    assert all(loads.values()), loads
    book = openpyxl.load_workbook(outs[1])
    assert book["Laporan_Validasi"].print_title_rows == "$1:$1"
    names = book.sheetnames
    assert names.index("Laporan_Validasi") < names.index("Data 'Lama'")


# -- 3. damaged archives and parts -----------------------------------------------------------
def _corrupt_deflate(src: Path, dst: Path, member: str) -> Path:
    """``src`` with bytes inside ``member``'s deflated data overwritten (headers intact)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as archive:
        info = archive.getinfo(member)
    start = info.header_offset
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    start += 30 + name_length + extra_length
    middle = start + info.compress_size // 3
    data[middle:middle + 16] = b"\xff" * 16
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("member", [L1_PART, "xl/styles.xml", "docProps/app.xml"])
def test_damaged_deflate_data_is_a_one_line_refusal(tmp_path, member):
    path = _corrupt_deflate(EXAMPLE, tmp_path / "rusak.xlsx", member)
    _refused(path, "rusak", command="turunkan")


def test_unknown_compression_method_is_refused(tmp_path):
    data = bytearray(EXAMPLE.read_bytes())
    with zipfile.ZipFile(EXAMPLE) as archive:
        info = archive.getinfo(L1_PART)
    struct.pack_into("<H", data, info.header_offset + 8, 99)  # local header's method
    central = data.find(b"PK\x01\x02" + bytes(data[info.header_offset + 4:info.header_offset + 8]))
    while data[central + 46:central + 46 + len(L1_PART)] != L1_PART.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 10, 99)  # and the central directory's
    path = tmp_path / "metode.xlsx"
    path.write_bytes(bytes(data))
    _refused(path, "rusak")


# -- 4. limits of a careful unpacker ---------------------------------------------------------
def _with_member(tmp_path: Path, name: str, data: bytes, file: str = "besar.xlsx") -> Path:
    return rezip(EXAMPLE, tmp_path / file, {name: data})


def test_a_part_inflating_beyond_the_ratio_is_refused(tmp_path):
    path = _with_member(tmp_path, "xl/media/image9.png", bytes(4 * limits.MIB))
    _refused(path, f"{limits.MAX_RATIO} kali")


def test_a_part_inflating_beyond_the_size_is_refused(tmp_path):
    # A real zip member that inflates past the limit (a sheet nobody refers to), written in
    # chunks: its deflated size is small, its stated size is what the check reads.
    path = tmp_path / "bom.xlsx"
    shutil.copyfile(EXAMPLE, path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as member:
            chunk = b"<row/>" * (1 << 16)
            for _ in range(limits.MAX_PART // len(chunk) + 1):
                member.write(chunk)
    _refused(path, f"{limits.MAX_PART // limits.MIB} MiB")


def test_parts_together_beyond_the_total_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL", 2 * limits.MIB)
    noise = random.Random(18).randbytes(3 * limits.MIB)  # does not deflate: no ratio
    path = _with_member(tmp_path, "xl/media/image9.png", noise)
    _refused(path, "2 MiB")


@pytest.mark.parametrize("name", ["../../tmp/pohon.xml", "/etc/pohon.xml", "xl\\media\\a.png",
                                  "xl/./media/a.png", "xl//a.xml", "C:/a.xml", "xl/a\x01.xml"])
def test_member_names_outside_the_package_are_refused(tmp_path, name):
    path = _with_member(tmp_path, name, b"x")
    _refused(path, "nama bagian")


def test_a_member_twice_is_refused(tmp_path):
    path = tmp_path / "ganda.xlsx"
    shutil.copyfile(EXAMPLE, path)
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr(L1_PART, b"<worksheet/>")
    _refused(path, "dua kali")


def test_plain_names():
    assert limits.plain_name("xl/worksheets/sheet1.xml") and limits.plain_name("xl/media/")
    assert limits.plain_name("[Content_Types].xml")
    for name in ("", "/a", "a/../b", "..", "a\\b", "a//b", "./a", "a/.", "C:x", "a\x00"):
        assert not limits.plain_name(name), name


# -- 5. styles -------------------------------------------------------------------------------
def _rels_without_styles() -> bytes:
    with zipfile.ZipFile(EXAMPLE) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels")
    return re.sub(rb'<Relationship [^>]*/styles"[^>]*/>', b"", rels)


@pytest.mark.parametrize("command", ["validasi", "turunkan"])
def test_styles_part_not_linked_is_linked_again(tmp_path, command):
    path = rezip(EXAMPLE, tmp_path / "gaya.xlsx",
                 {"xl/_rels/workbook.xml.rels": _rels_without_styles()})
    out = _processed(path, command)
    assert not bad_cells(out)
    before = openpyxl.load_workbook(EXAMPLE)[L1]["A1"].font.b
    assert openpyxl.load_workbook(out)[L1]["A1"].font.b == before  # the user's look kept


def test_styles_part_lost_gets_a_format_for_every_index(tmp_path):
    path = rezip(EXAMPLE, tmp_path / "tanpa_gaya.xlsx",
                 {"xl/_rels/workbook.xml.rels": _rels_without_styles(), "xl/styles.xml": None})
    out = _processed(path, "turunkan")
    assert not bad_cells(out)


def _restyle(sheet: bytes, where: bytes, style: bytes) -> bytes:
    """The cell at ``where`` with style attribute ``s="style"`` (whatever it had)."""
    def one(found: re.Match) -> bytes:
        rest = re.sub(rb'\ss="[^"]*"', b"", found.group(1))
        return b'<c r="%s"%s s="%s"%s>' % (where, rest, style, found.group(2))

    return re.sub(rb'<c r="%s"([^>]*?)(/?)>' % where, one, sheet, count=1)


def test_invalid_style_indexes_are_not_made_worse(tmp_path):
    with zipfile.ZipFile(EXAMPLE) as archive:
        sheet = archive.read(L1_PART)
    cells = re.findall(rb'<c r="([A-Z]+\d+)"', sheet)
    # An empty style, one past the end, and every cell of row 2 past the end (some are
    # marked: the mark's format must exist).
    changed = _restyle(_restyle(sheet, cells[0], b""), cells[1], b"4000")
    for where in [c for c in cells if c[-1:] == b"2" and c[:-1].isalpha()]:
        changed = _restyle(changed, where, b"5000")
    path = rezip(EXAMPLE, tmp_path / "indeks.xlsx", {L1_PART: changed})
    assert bad_cells(path)
    for command in ("validasi", "turunkan"):
        out = _processed(path, command)  # check_output: nothing worse than the input
        assert set(bad_cells(out)) <= set(bad_cells(path))


def test_refusals_through_the_installed_command(tmp_path):
    """One refusal through a real process: the one line, exit 2, no traceback."""
    import subprocess
    import sys

    path = _corrupt_deflate(EXAMPLE, tmp_path / "rusak.xlsx", L1_PART)
    done = subprocess.run([sys.executable, "-m", "pohon_xl", "validasi", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "rusak" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_header_letters_of_the_grid():
    assert get_column_letter(limits.MAX_COLUMN) == "XFD"


def test_a_sheet_attribute_that_is_no_number_is_refused(tmp_path):
    """Found by the fuzz test: a column width entry with min="Data 'Lama'"."""
    with zipfile.ZipFile(EXAMPLE) as archive:
        sheet = archive.read(L1_PART)
    broken = re.sub(rb' min="\d+"', b' min="Data \'Lama\'"', sheet, count=1)
    assert broken != sheet
    _refused(rezip(EXAMPLE, tmp_path / "kolom.xlsx", {L1_PART: broken}), "rusak")
