"""The Status/Catatan columns spliced into a worksheet's XML as bytes, without a tree of it.

A level sheet of 100 000 rows costs seconds to parse and serialise through lxml, only to
add two cells per row. Here the part is cut in three: what comes before ``<sheetData>``
and what comes after it are parsed as one small tree (dimension, cols, legacyDrawing… —
edited with the same code as the tree path), and the rows in between stay bytes: one pass
finds each ``<row>`` with ``bytes.find``, looks at its cells from the right (our columns
are usually the last ones, user columns may follow them), drops our old cells and puts the
new ones at their column's place.

Anything this pass is not sure about raises :class:`Unsupported` before any side effect,
and the caller takes the tree path: prefixed SpreadsheetML (``<x:row>``), a declared
encoding other than UTF-8, a DOCTYPE, comments, CDATA or processing instructions inside
``sheetData``, rows or cells without ``r``, rows out of order, single-quoted or spaced
attributes on a tag we read, anything but cells where cells are expected, a shared formula
in our columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from lxml import etree

from pohon_xl.excel.ooxml.cellref import cell_text, column_index, column_letters, ref
from pohon_xl.excel.ooxml.package import MAIN, PARSER, q, serialise
from pohon_xl.excel.ooxml.worksheet import SheetEditor

__all__ = ["Unsupported", "SplicedSheet", "TextCells", "text_cell"]

_PLACEHOLDER = b'<sheetData pohonXlSplice="1"/>'
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)""")
_ROW_R = re.compile(rb'\sr="(\d+)"')
_CELL_R = re.compile(rb'<c [^>]*?(?<=\s)r="([A-Z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\ss="(\d*)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_CUSTOM_FORMAT = re.compile(rb'\scustomFormat="(1|true)"')
# Cell starts other than "<c " (no r, or odd whitespace), prefixed elements, markup
# declarations (comments, CDATA) and processing instructions: all for the tree path.
_ODD = re.compile(rb"<c[\t\r\n/>]|<[A-Za-z_][\w.-]*:|<!|<\?")


# A row as scan() found it: number, where it starts, its tag, where its content starts and
# ends, where it ends, the cells from the right (column, start, end), the split, the tag
# without its ``spans`` (None: it has none) and whether the tag's quoting is unusual.
_Row = tuple[int, int, bytes, int, int, int, list[tuple[int, int, int]], int, bytes | None,
             bool]


class Unsupported(Exception):
    """The sheet needs the tree path."""


def text_cell(row: int, column: int, text: str, style: int) -> bytes:
    """The same cell :meth:`SheetEditor.put_texts` writes: an inline string, or blank."""
    head, tail = _text_cell_parts(column, text, style)
    return b"%s%d%s" % (head, row, tail)


def _text_cell_parts(column: int, text: str, style: int) -> tuple[bytes, bytes]:
    """A text cell's bytes before and after its row number."""
    head = f'<c r="{column_letters(column)}'.encode()
    if text:
        return head, (f'" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                      f'{cell_text(text)}</t></is></c>').encode()
    return head, f'" s="{style}"/>'.encode()


class TextCells:
    """:func:`text_cell` for every row of a sheet: a short text (a status, an empty note)
    is escaped once per column and style, then only the row number changes."""

    SHORT = 40

    def __init__(self) -> None:
        self._parts: dict[tuple[int, str, int], tuple[bytes, bytes]] = {}

    def __call__(self, row: int, column: int, text: str, style: int) -> bytes:
        if len(text) > self.SHORT:  # a note: usually one of a kind
            return text_cell(row, column, text, style)
        key = (column, text, style)
        parts = self._parts.get(key)
        if parts is None:
            parts = self._parts[key] = _text_cell_parts(column, text, style)
        return b"%s%d%s" % (parts[0], row, parts[1])


def _with_style(cell: bytes, style: int) -> bytes:
    gt = cell.find(b">")
    found = _STYLE.search(cell, 0, gt)
    if found:
        return b"%ss=\"%d\"%s" % (cell[:found.start() + 1], style, cell[found.end():])
    return b'<c s="%d"%s' % (style, cell[2:])


def _style_of(cell: bytes) -> int:
    found = _STYLE.search(cell, 0, cell.find(b">"))
    return int(found.group(1) or 0) if found else 0


def _check_tag(tag: bytes) -> None:
    if b"'" in tag or b" =" in tag or b"= " in tag:
        raise Unsupported("attribute quoting")


class SplicedSheet:
    """One worksheet part: a small tree without rows (``root``, ``editor``) and the rows as
    bytes (``body``)."""

    def __init__(self, data: bytes) -> None:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise Unsupported("UTF-16")
        declared = _ENCODING.match(data[:300])
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            raise Unsupported("encoding")
        start = data.find(b"<sheetData")
        if start < 0:
            raise Unsupported("no sheetData")
        if b"<!DOCTYPE" in data[:start]:
            raise Unsupported("DOCTYPE")
        gt = data.find(b">", start)
        tag = data[start:gt + 1]
        if tag == b"<sheetData/>":
            body, end = b"", gt + 1
        elif tag == b"<sheetData>":
            close = data.find(b"</sheetData>", gt)
            if close < 0:
                raise Unsupported("unclosed sheetData")
            body, end = data[gt + 1:close], close + len(b"</sheetData>")
        else:
            raise Unsupported("sheetData with attributes")
        head, tail = data[:start], data[end:]
        if b"sheetData" in tail or _ODD.search(body):
            raise Unsupported("odd sheetData")
        try:
            root = etree.fromstring(head + _PLACEHOLDER + tail, PARSER)
        except etree.XMLSyntaxError:
            raise Unsupported("XML") from None
        holder = root.find(q("sheetData"))
        if (holder is None or holder.getparent() is not root
                or holder.get("pohonXlSplice") != "1" or holder.nsmap.get(None) != MAIN):
            raise Unsupported("namespaces")
        self.root, self.body = root, body
        self.editor = SheetEditor(root, "")  # dimension, cols: the tree path's own code
        self.formula_removed = False
        self._rows: list[_Row] | None = None  # see scan()
        self._scanned_to = 0
        self._column_of: dict[bytes, int] = {}  # letters -> index: a few dozen per sheet

    # -- the rows ----------------------------------------------------------------------------
    def restyle(self, mapping: dict[int, int]) -> None:
        """Cells styled ``old`` back to ``mapping[old]`` (what :meth:`SheetEditor.restyle`
        does)."""
        if not mapping:
            return
        olds = b"|".join(str(old).encode() for old in sorted(mapping))
        pattern = re.compile(rb'(<c\b[^>]*?\ss=")(' + olds + rb')"')
        self.body = pattern.sub(
            lambda m: b'%s%d"' % (m.group(1), mapping[int(m.group(2))]), self.body)
        self._rows = None  # positions changed

    def scan(self, lowest: int) -> list[_Row]:
        """Find every row, and in each the cells from the right down to the first one left
        of column ``lowest`` (the first column written): the part of :meth:`splice` that
        needs no edits. Any ``lowest`` gives the same splice; the right one spares it a
        second look at the rows."""
        body = self.body
        rows: list[_Row] = []
        scan, previous = 0, 0
        find = body.find
        right_cells = self._right_cells
        while True:
            start = find(b"<row", scan)
            if start < 0:
                break
            gt = find(b">", start)
            if gt < 0:
                raise Unsupported("unclosed row")
            tag = body[start:gt + 1]
            if tag[4:5] not in (b" ", b">", b"/"):
                raise Unsupported("not a row")
            if start != scan and body[scan:start].strip():
                raise Unsupported("something between rows")
            digits = tag[8:tag.find(b'"', 8)] if tag.startswith(b'<row r="') else b""
            if not digits.isdigit():  # r is not the first attribute
                found = _ROW_R.search(tag)
                if not found:
                    raise Unsupported("row without r")
                digits = found.group(1)
            number = int(digits)
            if number <= previous:
                raise Unsupported("rows out of order")
            previous = number
            unspanned = _SPANS.sub(b"", tag, count=1) if b"spans=" in tag else None
            odd = b"'" in tag or b" =" in tag or b"= " in tag  # see _check_tag
            if tag.endswith(b"/>"):  # <row …/>
                rows.append((number, start, tag, gt, gt, gt + 1, [], gt, unspanned, odd))
                scan = gt + 1
                continue
            content_end = find(b"</row>", gt)
            if content_end < 0:
                raise Unsupported("unclosed row")
            scan = content_end + 6
            rows.append((number, start, tag, gt + 1, content_end, scan,
                         *right_cells(gt + 1, content_end, lowest), unspanned, odd))
        if body[scan:].strip():
            raise Unsupported("something after the rows")
        self._rows, self._scanned_to = rows, lowest
        return rows

    def _right_cells(self, content_start: int, content_end: int, lowest: int
                     ) -> tuple[list[tuple[int, int, int]], int]:
        """A row's cells from the right, (column, start, end), down to the first one left of
        ``lowest``; and where that one ends (the split: what is left of it stays as is)."""
        body, find, column_of = self.body, self.body.find, self._column_of
        right: list[tuple[int, int, int]] = []
        limit = content_end
        p = body.rfind(b"<c ", content_start, limit)
        while p >= 0:
            cell = _CELL_R.match(body, p)
            if not cell or cell.end() > limit:
                raise Unsupported("cell without r")
            letters = cell.group(1)
            column = column_of.get(letters)
            if column is None:
                column = column_of[letters] = column_index(letters.decode())
            close = find(b">", p)
            end = close + 1 if body[close - 1] == 47 else find(b"</c>", close) + 4
            if end < 4 or end > limit or (end != limit and body[end:limit].strip()):
                raise Unsupported("not a cell")
            if right and column >= right[-1][0]:
                raise Unsupported("cells out of order")
            if column < lowest:
                return right, end
            right.append((column, p, end))
            limit = p
            p = body.rfind(b"<c ", content_start, limit)
        if body[content_start:limit].strip():
            raise Unsupported("not a cell")
        return right, content_start

    def splice(self, columns: set[int], puts: dict[int, dict[int, bytes]],
               marks: dict[int, list[int]], tall: Collection[int] = (),
               resize: Callable[[int, bytes, bytes], bytes] | None = None
               ) -> list[tuple[int, int, int, bool]]:
        """Drop every cell of ``columns``, put ``puts[row][column]`` (cell bytes) and make
        sure the cells ``marks[row]`` exist (a new one styled ``row_style(column)`` unless
        its row has a custom format: then the row's). The start tag of each row of ``tall``
        becomes ``resize(row, tag, its cells as read)``.

        Returns the marked cells as (row, column, current style, created), in order; their
        bytes are chunks of ``self._chunks`` until :meth:`set_mark_styles`. Sets
        ``header_present``: which of ``columns`` row 1 already had.
        """
        lowest_ours = min(columns)
        rows = self._rows if self._rows is not None else self.scan(lowest_ours)
        scanned_to = self._scanned_to
        body = self.body
        needed = sorted(set(puts) | set(marks))
        chunks: list[bytes] = []
        marked: list[tuple[int, int, int, bool]] = []
        self._mark_chunks: list[int] = []
        self.header_present: set[int] = set()
        pos, wanted = 0, 0
        n_needed = len(needed)

        def new_rows(below: int) -> None:  # rows to create before row ``below``
            nonlocal wanted
            while wanted < n_needed and needed[wanted] < below:
                number = needed[wanted]
                tag = b'<row r="%d">' % number
                chunks.append(resize(number, tag, b"") if number in tall and resize else tag)
                self._row_cells(chunks, marked, number, [], puts.get(number, {}),
                                marks.get(number, ()), set(), None)
                chunks.append(b"</row>")
                wanted += 1

        covered = lowest_ours >= scanned_to  # the scan saw every cell of our columns
        for (number, start, tag, content_start, content_end, row_end, right, split, unspanned,
             odd) in rows:
            row_puts: dict[int, bytes] = {}
            row_marks: list[int] | tuple[()] = ()
            if wanted < n_needed:
                if needed[wanted] < number:
                    chunks.append(body[pos:start])
                    pos = start
                    new_rows(number)
                if wanted < n_needed and needed[wanted] == number:
                    row_puts, row_marks = puts.get(number, {}), marks.get(number, ())
                    wanted += 1
            empty = row_end - content_end == 1  # <row …/>
            new_tag = None  # a start tag to write instead of the row's own: its height
            if resize is not None and number in tall:
                resized = resize(number, tag, body[content_start:content_end])
                if resized != tag:
                    new_tag = tag = resized
                    if unspanned is not None:
                        unspanned = _SPANS.sub(b"", tag, count=1)
            # The common row: no marks, no cells of the user's right of ours. Ours go after
            # its last cell; the row's own bytes are copied in one slice (``</row>`` starts
            # the next one); ``stale``: its tag without ``spans`` where that hint would
            # now be wrong.
            if not right and not row_marks and not empty and covered:  # none of ours yet
                if not row_puts:
                    continue  # nothing of ours in this row
                if odd:
                    raise Unsupported("attribute quoting")
                common, stale = True, unspanned if unspanned is not None else new_tag
            else:
                lowest = min(lowest_ours, *row_marks) if row_marks else lowest_ours
                if lowest < scanned_to:  # the scan stopped short of this row's leftmost column
                    right, split = self._right_cells(content_start, content_end, lowest)
                elif right and right[-1][0] < lowest:  # it went further left than needed
                    keep = 0
                    while right[keep][0] >= lowest:
                        keep += 1
                    right, split = right[:keep], right[keep][2]
                if not right and not row_puts and not row_marks:
                    continue  # nothing of ours in this row
                kept: list[tuple[int, bytes]] = []
                for column, p, end in reversed(right):
                    cell = body[p:end]
                    if column in columns:
                        if b"<f" in cell:
                            if b"shared" in cell:
                                raise Unsupported("formula in our columns")
                            self.formula_removed = True
                    else:
                        kept.append((column, cell))
                if odd:
                    raise Unsupported("attribute quoting")
                present = {column for column, _, _ in right}
                if number == 1:
                    self.header_present = present & columns
                common = not kept and not row_marks and not empty
                stale = unspanned if common and any(
                    column not in present for column in row_puts) else None
                if common and stale is None:
                    stale = new_tag
            if common:
                if stale is not None:
                    chunks += (body[pos:start], stale, body[content_start:split])
                else:
                    chunks.append(body[pos:split])
                chunks.append(b"".join([row_puts[column] for column in sorted(row_puts)]))
                pos = content_end
                continue
            custom = row_style_attr(tag) if row_marks else None
            chunks.append(body[pos:start])
            if empty:  # <row …/>: open it
                chunks.append(tag[:-2].rstrip() + b">")
            else:
                chunks.append(tag)
            head_index = len(chunks) - 1
            chunks.append(body[content_start:split])
            inserted = self._row_cells(chunks, marked, number, kept, row_puts, row_marks,
                                       present, custom)
            chunks.append(b"</row>")
            if inserted and unspanned is not None:  # an optional hint that would now be stale
                chunks[head_index] = _SPANS.sub(b"", chunks[head_index], count=1)
            pos = row_end
        if wanted < n_needed:
            chunks.append(body[pos:])
            pos = len(body)
            new_rows(needed[-1] + 1)
        chunks.append(body[pos:])
        self._chunks = chunks
        return marked

    def _row_cells(self, chunks: list[bytes], marked: list, number: int,
                   kept: list[tuple[int, bytes]], row_puts: dict[int, bytes],
                   row_marks, present: set[int], custom: str | None) -> bool:
        """Append the row's cells right of the split; True when a cell was added."""
        cells = dict(kept)
        cells.update(row_puts)
        inserted = any(column not in present for column in row_puts)
        for column in row_marks:
            if column not in cells:
                style = custom if custom is not None else self.editor._column_style(column)
                cells[column] = (b'<c r="%s" s="%s"/>' % (ref(number, column).encode(),
                                                          style.encode()) if style
                                 else b'<c r="%s"/>' % ref(number, column).encode())
                marked.append((number, column, _style_of(cells[column]), True))
                inserted = True
            else:
                cell = cells[column]
                _check_tag(cell[:cell.find(b">")])
                marked.append((number, column, _style_of(cell), False))
        mark_set = set(row_marks)
        for column in sorted(cells):
            if column in mark_set:
                self._mark_chunks.append(len(chunks))
            chunks.append(cells[column])
        return inserted

    def set_mark_styles(self, styles: list[int]) -> None:
        for index, style in zip(self._mark_chunks, styles, strict=True):
            self._chunks[index] = _with_style(self._chunks[index], style)

    # -- writing back ------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        chunks = self._chunks if hasattr(self, "_chunks") else [self.body]
        head, found, tail = serialise(self.root).partition(_PLACEHOLDER)
        if not found:  # cannot happen: the placeholder is an element of the root
            raise RuntimeError("sheetData placeholder lost")
        if not any(chunks):
            return head + b"<sheetData/>" + tail
        # One join: the rows are tens of megabytes, every extra concatenation copies them.
        return b"".join([head, b"<sheetData>", *chunks, b"</sheetData>", tail])


def row_style_attr(tag: bytes) -> str | None:
    """The style a new cell takes from its row (``customFormat``), or None."""
    if not _CUSTOM_FORMAT.search(tag):
        return None
    found = _STYLE.search(tag)
    return found.group(1).decode() if found else ""
