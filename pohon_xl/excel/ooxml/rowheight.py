"""Row heights for the rows whose `Catatan Validasi` wraps onto more lines.

Excel keeps a row's stored height and fits no row when opening a file, and LibreOffice does
not fit a row whose height is stored, so a wrapped note shows as one cramped line. A row whose
note needs more than one line gets ``ht`` and ``customHeight="1"``: the height its wrapped
text needs — the note, and the user's own wrapped cells of that row — estimated as the derived
sheets estimate theirs (:func:`~pohon_xl.core.derive.common.wrapped_lines`). A taller height
already stored (the user's) is kept; so is a row whose note fits one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from pohon_xl.core.derive.common import lines_height, wrapped_lines
from pohon_xl.excel.ooxml.cellref import column_of
from pohon_xl.excel.ooxml.package import PARSER, q
from pohon_xl.excel.ooxml.stylebook import StyleBook

__all__ = ["NoteHeights", "RowFit", "set_height", "taller", "with_height"]

DEFAULT_WIDTH = 8.43  # Excel's column width when neither <col> nor sheetFormatPr gives one
_HT = re.compile(rb'\sht="([^"]*)"')
_CUSTOM = re.compile(rb'\scustomHeight="[^"]*"')
_C, _IS, _T, _V = q("c"), q("is"), q("t"), q("v")

# A cell of a row: (column, text, style).
Text = tuple[int, str, int]


class RowFit:
    """The height a row of one sheet needs for its wrapped text."""

    def __init__(self, root: etree._Element, styles: StyleBook,
                 strings: Callable[[], list[str]]) -> None:
        """``root``: the worksheet (its <cols> as the run leaves them); ``strings``: the
        workbook's shared strings, asked for only when a row needs one."""
        self._styles = styles
        self._strings = strings
        self._wraps: dict[int, bool] = {}
        fmt = root.find(q("sheetFormatPr"))
        self._default = _float(fmt.get("defaultColWidth") if fmt is not None else None,
                               DEFAULT_WIDTH)
        self._cols = [(_int(col.get("min")), _int(col.get("max")),
                       _float(col.get("width"), self._default))
                      for col in root.iterfind(f"{q('cols')}/{q('col')}")]

    def width(self, column: int) -> float:
        for low, high, width in self._cols:
            if low <= column <= high:
                return width
        return self._default

    def wraps(self, style: int) -> bool:
        found = self._wraps.get(style)
        if found is None:
            xfs = self._styles.root.find(q("cellXfs"))
            xf = xfs[style] if xfs is not None and 0 <= style < len(xfs) else None
            align = xf.find(q("alignment")) if xf is not None else None
            found = self._wraps[style] = align is not None and align.get("wrapText") in (
                "1", "true")
        return found

    def needed(self, cells: Iterable[Text]) -> float | None:
        """Points for the wrapped cells among ``cells``; None when one line is enough."""
        lines = 1
        for column, text, style in cells:
            if text and self.wraps(style):
                lines = max(lines, wrapped_lines(text, self.width(column)))
        return lines_height(lines) if lines > 1 else None

    def note_needs_lines(self, column: int, text: str) -> bool:
        """Whether a note of ours wraps (the only rows whose height a run sets)."""
        return bool(text) and wrapped_lines(text, self.width(column)) > 1

    def cells(self, row: etree._Element, skip: set[int]) -> list[Text]:
        """The text of the row's cells (not those of ``skip``): inline, shared or a value."""
        found: list[Text] = []
        for cell in row.iterchildren(_C):
            column = column_of(cell.get("r", ""))
            if column in skip:
                continue
            style = cell.get("s", "0")
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(_T))
            else:
                text = cell.findtext(_V) or ""
                if kind == "s" and text.strip().isdigit():
                    strings = self._strings()
                    index = int(text)
                    text = strings[index] if index < len(strings) else ""
            found.append((column, text, int(style) if style.isdigit() else 0))
        return found

    @staticmethod
    def row_of_bytes(content: bytes, nsmap: dict[str | None, str]) -> etree._Element | None:
        """A row's cells as read from the sheet's bytes (the splice path), with the
        namespaces the sheet declares; None when they do not parse alone."""
        declared = b"".join(b' xmlns%s="%s"' % (b":" + prefix.encode() if prefix else b"",
                                                 uri.encode())
                            for prefix, uri in nsmap.items())
        try:
            return etree.fromstring(b"<row%s>%s</row>" % (declared, content), PARSER)
        except etree.XMLSyntaxError:
            return None


class NoteHeights:
    """The rows of one sheet whose note wraps, and the height each then gets."""

    def __init__(self, fit: RowFit, columns: tuple[int, int], notes: Iterable[tuple[int, str]],
                 note_style: int, nsmap: dict[str | None, str]) -> None:
        """``notes``: (row, the note written there); ``nsmap``: the sheet's namespaces."""
        self._fit, self._columns, self._style, self._nsmap = fit, set(columns), note_style, nsmap
        self._note_col = columns[1]
        self.notes = {row: text for row, text in notes
                      if row >= 2 and fit.note_needs_lines(self._note_col, text)}

    def points(self, number: int, row: etree._Element | None) -> float | None:
        """What row ``number`` needs: its note and the user's wrapped cells of ``row``."""
        cells = self._fit.cells(row, self._columns) if row is not None else []
        cells.append((self._note_col, self.notes[number], self._style))
        return self._fit.needed(cells)

    def tag(self, number: int, tag: bytes, content: bytes) -> bytes:
        """The row's start tag with its height, from its cells as read (the splice path)."""
        row = RowFit.row_of_bytes(content, self._nsmap) if content else None
        points = self.points(number, row)
        return with_height(tag, points) if points else tag

    def element(self, number: int, row: etree._Element) -> None:
        """The height on a row element (the tree path; our cells are in it already)."""
        points = self.points(number, row)
        if points:
            set_height(row, points)


def taller(current: str | None, points: float) -> bool:
    """Whether ``points`` is more than a stored height (none, or no number: yes)."""
    try:
        return current is None or float(current) < points
    except ValueError:
        return True


def with_height(tag: bytes, points: float) -> bytes:
    """A ``<row …>`` start tag with height ``points`` unless it stores a taller one."""
    found = _HT.search(tag)
    if not taller(found.group(1).decode() if found else None, points):
        return tag
    tag = _CUSTOM.sub(b"", _HT.sub(b"", tag))
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return b'%s ht="%s" customHeight="1"%s' % (tag[:end].rstrip(), _points(points).encode(),
                                               tag[end:])


def set_height(row: etree._Element, points: float) -> None:
    """:func:`with_height` on a row element (the tree path)."""
    if taller(row.get("ht"), points):
        row.set("ht", _points(points))
        row.set("customHeight", "1")


def _points(points: float) -> str:
    return f"{points:g}"


def _float(text: str | None, default: float) -> float:
    try:
        return float(text) if text else default
    except ValueError:
        return default


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0
