"""How many cells a reader will hold for the sheets it reads, bounded from their XML first.

calamine holds a sheet as a dense grid from A1 to its farthest cell with a value, so one
cell at ``XFC1048000`` on a sheet of a few KB asks for billions of cells and ends the
process. ``<dimension ref>`` is only a hint (any writer may leave it wrong), so the extent
is measured from the cells themselves: each part is inflated in chunks and scanned with a
regular expression, no grid and no tree is built.

Cheaply first: the dimension is taken as a claim, and one search per chunk looks for a cell
beyond it (or one this scan cannot place); none found, the claim bounds the grid. Otherwise
every cell's reference is read, and if that is still over the budget, only the cells with
content (empty, styled cells cost calamine nothing). Cells that carry no ``r`` (their place
is counted from the previous one) need an XML parser: those sheets are read with lxml's
iterparse, element by element.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.limits import DAMAGED, MAX_CELLS, MAX_COLUMN, MAX_ROW
from pohon_xl.excel.ooxml.cellref import column_index, column_letters
from pohon_xl.excel.ooxml.package import Package
from pohon_xl.excel.ooxml.workbook import Workbook

__all__ = ["check_extent", "sheet_extent"]

CHUNK = 1 << 20
# Every cell with its reference first (how Excel, LibreOffice, openpyxl and XlsxWriter write
# them); with ``/`` when it is empty (``<c …/>``: styled, no value).
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_CELL_FILLED = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>')
# Cells without r, or with a prefix (x:c): placed by the parser.
_UNPLACED = (b"<c>", b"<c/", b":c ", b":c>", b":c/")
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
_ADVICE = ("hapus isi sel yang jauh di kanan atau di bawah tabel (Ctrl+End menunjukkan sel "
           "terjauh), simpan, lalu jalankan lagi")


def check_extent(path: Path, names: Iterable[str]) -> None:
    """Refuse, in one line, sheets ``names`` of ``path`` whose grids from A1 to their
    farthest filled cell hold more than :data:`MAX_CELLS` cells together, or that reach
    past Excel's last row."""
    wanted = {name.casefold() for name in names}
    if not wanted:
        return
    package = Package.open(str(path), path.name)
    parts = [(entry.name, entry.part) for entry in Workbook(package).sheets()
             if entry.name.casefold() in wanted and entry.part in package]
    try:
        with zipfile.ZipFile(path) as archive:
            extents = {name: claimed_extent(archive, part) or sheet_extent(archive, part)
                       for name, part in parts}
            if _cells(extents) > MAX_CELLS:  # claims, or empty cells counted: count exactly
                extents = {name: sheet_extent(archive, part, filled=True)
                           for name, part in parts}
    except (*DAMAGED, EOFError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path.name}: berkas rusak atau terpotong ({exc}); minta kiriman "
                         "ulang atau buka dan simpan ulang di Excel.") from None
    for name, (rows, _) in extents.items():
        if rows > MAX_ROW:
            raise InputError(f"{path.name}: sheet {name!r} berisi baris di luar batas Excel "
                             f"({MAX_ROW}); berkas rusak, minta kiriman ulang atau simpan "
                             "ulang di Excel.")
    if _cells(extents) > MAX_CELLS:
        name, (rows, columns) = max(extents.items(), key=lambda item: item[1][0] * item[1][1])
        raise InputError(
            f"{path.name}: sheet {name!r} terisi sampai sel {column_letters(columns)}{rows}, "
            f"{_count(rows)} baris × {_count(columns)} kolom = {_count(rows * columns)} sel "
            f"(batas {_count(MAX_CELLS)} sel untuk semua sheet yang dibaca); {_ADVICE}.")


def claimed_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """The part's ``<dimension>`` as (last row, last column) when no cell lies beyond it and
    every cell has a plain reference (one search a chunk); None otherwise."""
    claim: tuple[int, int] | None = None
    beyond: re.Pattern[bytes] | None = None
    for chunk in _chunks(archive, part):
        if beyond is None:
            found = _DIMENSION.search(chunk)
            if not found:
                return None
            letters, digits = found.group(1).decode(), found.group(2).decode()
            claim = int(digits), column_index(letters)
            if claim[0] > MAX_ROW or claim[1] > MAX_COLUMN:
                return None  # beyond the grid: what counts is where the cells are
            beyond = re.compile(
                rb'<c(?! r="[A-Z]{1,3}\d)[\s>/]|<c r="(?:%s)\d|<c r="[A-Z]{1,3}(?:%s)"'
                % (_above(letters, "[A-Z]", "Z").encode(), _above(digits, r"\d", "9").encode()))
        if beyond.search(chunk) or b":c" in chunk and any(odd in chunk for odd in _UNPLACED):
            return None
    return claim


def _above(value: str, kind: str, top: str) -> str:
    """A pattern for the numerals greater than ``value`` (digits, or column letters: no
    zero, so a longer one is always greater): longer, or the same length and greater at
    the first place they differ."""
    greater = [f"{kind}{{{len(value) + 1},}}"]
    for place, char in enumerate(value):
        if char < top:
            rest = len(value) - place - 1
            greater.append(f"{value[:place]}[{chr(ord(char) + 1)}-{top}]"
                           + (f"{kind}{{{rest}}}" if rest else ""))
    return "|".join(greater)


def sheet_extent(archive: zipfile.ZipFile, part: str, filled: bool = False
                 ) -> tuple[int, int]:
    """(last row, last column) of the cells of a worksheet part, (0, 0) when it has none:
    of every cell, or with ``filled`` of those with content (what calamine keeps; a regular
    expression a third slower)."""
    rows, widest = 0, b""
    pattern = _CELL_FILLED if filled else _CELL
    for chunk in _chunks(archive, part):
        found = pattern.findall(chunk)
        if len(found) != chunk.count(b"<c ") or any(odd in chunk for odd in _UNPLACED):
            return _parsed_extent(archive, part)  # a cell without r: see the rows before it
        if filled:
            found = [(letters, digits) for letters, digits, empty in found if not empty]
        if not found:
            continue
        letters = max({letters for letters, _ in found}, key=_column_order)
        widest = max(widest, letters, key=_column_order)
        rows = max(rows, max(map(int, {digits for _, digits in found})))
    return rows, column_index(widest.decode()) if widest else 0


def _column_order(letters: bytes) -> tuple[int, bytes]:
    return len(letters), letters


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part inflated in pieces that each end after a ``>`` (no tag is cut in two)."""
    carry = b""
    with archive.open(part) as stream:
        while block := stream.read(CHUNK):
            data = carry + block
            cut = data.rfind(b">") + 1
            carry = data[cut:]
            if cut:
                yield data[:cut]
    if carry:
        yield carry


def _parsed_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """:func:`sheet_extent` for a sheet with cells or rows without ``r``, placed as a reader
    places them: a row after the previous row, a cell right of the previous cell."""
    rows = columns = row = column = 0
    with archive.open(part) as stream:
        for event, element in etree.iterparse(
                stream, events=("start", "end"), tag=("{*}row", "{*}c"),
                resolve_entities=False, no_network=True, huge_tree=True):
            if etree.QName(element).localname == "row":
                if event == "start":
                    row, column = _number(element.get("r"), row + 1), 0
                else:  # done with it: let it and the rows before it go
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
                continue
            if event == "start":
                continue
            found = _REF.fullmatch(element.get("r") or "")
            if found:
                row, column = int(found.group(2)), column_index(found.group(1))
            else:
                column += 1
            if len(element) or element.text:
                rows, columns = max(rows, row), max(columns, column)
            element.clear(keep_tail=False)
    return rows, columns


def _cells(extents: dict[str, tuple[int, int]]) -> int:
    return sum(rows * columns for rows, columns in extents.values())


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def _count(number: int) -> str:
    """12345678 -> "12.345.678" (Indonesian thousands)."""
    return f"{number:,}".replace(",", ".")
