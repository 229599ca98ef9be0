"""A :class:`~pohon_xl.sheets.SheetSpec` rendered as a worksheet part.

Built as text rather than an element tree: derived sheets can have thousands of rows and
string joins are several times faster; every value goes through :func:`escape`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pohon_xl.excel.ooxml.cellref import (
    absolute_range, clean_text, column_letters, quote_sheet, ref, split_ref,
)
from pohon_xl.excel.ooxml.cellref import xml_escape as _escape
from pohon_xl.excel.ooxml.cellref import xml_quoteattr as quoteattr
from pohon_xl.excel.ooxml.package import MAIN, REL
from pohon_xl.sheets import Cell, SheetSpec

PAPER_SIZES = {"A4": 9, "A3": 8}
MAX_COLUMN, MAX_ROW = 16384, 1048576


def escape(text: str) -> str:
    return _escape(clean_text(text))


def attr(text: str) -> str:
    return quoteattr(clean_text(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _value(cell: Cell, where: str, style: int) -> str:
    value = cell.value
    head = f'<c r="{where}" s="{style}"'
    if value is None:
        return head + "/>"
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and math.isfinite(value):
        return f"{head}><v>{value!r}</v></c>" if isinstance(value, float) else \
            f"{head}><v>{value}</v></c>"
    return f'{head} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def _sheet_pr(spec: SheetSpec) -> str:
    inner = f'<tabColor rgb="FF{spec.tab_color.upper()}"/>' if spec.tab_color else ""
    if spec.print.fit_to_width:
        inner += '<pageSetUpPr fitToPage="1"/>'
    return f"<sheetPr>{inner}</sheetPr>" if inner else ""


def _views(spec: SheetSpec) -> str:
    if not spec.freeze or spec.freeze.upper() == "A1":
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    row, col = split_ref(spec.freeze)
    split = f' xSplit="{col - 1}"' if col > 1 else ""
    split += f' ySplit="{row - 1}"' if row > 1 else ""
    pane = {(True, True): "bottomRight", (False, True): "bottomLeft"}.get(
        (col > 1, row > 1), "topRight")
    cell = spec.freeze.upper()
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{cell}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{cell}" '
            f'sqref="{cell}"/></sheetView></sheetViews>')


def _cols(spec: SheetSpec) -> str:
    cols = "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                   for c, w in sorted(spec.widths.items()))
    return f"<cols>{cols}</cols>" if cols else ""


_CHUNK_ROWS = 2000  # rows encoded at a time: keeps one copy of a large sheet in memory, not three


def _rows(spec: SheetSpec, style: Callable[[str], int], links: list[str]
          ) -> tuple[list[bytes], int]:
    """``<sheetData>`` as UTF-8 chunks, and the rightmost column used.

    The hot loop of large derived sheets: column letters, styles and escaped texts are
    looked up once per distinct value, and text and empty cells (nearly all of them) are
    written inline; other values go through :func:`_value`.
    """
    out: list[str] = []
    chunks: list[bytes] = [b"<sheetData>"]
    width = 0
    widest = max(map(len, spec.rows), default=0)
    letters = [""] + [column_letters(c) for c in range(1, widest + 1)]
    styles: dict[str, int] = {}
    texts: dict[str, str] = {}
    rows, heights = spec.rows, spec.heights
    count = len(rows)
    for number in range(1, max(count, max(heights, default=0)) + 1):
        cells = rows[number - 1] if number <= count else ()
        height = heights.get(number)
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        body = []
        column = 0
        for cell in cells:
            column += 1
            if cell is None:
                continue
            where = f"{letters[column]}{number}"
            if column > width:
                width = column
            index = styles.get(cell.style)
            if index is None:
                index = styles[cell.style] = style(cell.style)
            value = cell.value
            if value.__class__ is str:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = escape(value)
                body.append(f'<c r="{where}" s="{index}" t="inlineStr"><is>'
                            f'<t xml:space="preserve">{text}</t></is></c>')
            elif value is None:
                body.append(f'<c r="{where}" s="{index}"/>')
            else:
                body.append(_value(cell, where, index))
            if cell.link:
                display = "" if value is None else f" display={attr(str(value))}"
                links.append(f'<hyperlink ref="{where}" location={attr(cell.link)}{display}/>')
        if body or attrs:
            out.append(f'<row r="{number}"{attrs}>{"".join(body)}</row>')
        if len(out) >= _CHUNK_ROWS:
            chunks.append("".join(out).encode("utf-8"))
            out.clear()
    chunks.append(("".join(out) + "</sheetData>").encode("utf-8"))
    return chunks, width


def _page(spec: SheetSpec) -> str:
    setup = spec.print
    orientation = "landscape" if setup.landscape else "portrait"
    fit = ' fitToWidth="1" fitToHeight="0"' if setup.fit_to_width else ""
    text = ('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
            f'footer="0.3"/><pageSetup paperSize="{PAPER_SIZES.get(setup.paper, 9)}" '
            f'orientation="{orientation}"{fit}/>')
    if setup.row_breaks:
        breaks = "".join(f'<brk id="{r}" max="{MAX_COLUMN - 1}" man="1"/>'
                         for r in sorted(set(setup.row_breaks)))
        count = len(set(setup.row_breaks))
        text += f'<rowBreaks count="{count}" manualBreakCount="{count}">{breaks}</rowBreaks>'
    return text


def render_sheet(spec: SheetSpec, style: Callable[[str], int]) -> bytes:
    """The worksheet XML; ``style`` maps a named style to its cellXfs index."""
    links: list[str] = []
    data, width = _rows(spec, style, links)
    last_row = max(len(spec.rows), 1)
    dimension = f"A1:{ref(last_row, max(width, 1))}" if width else "A1"
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">',
        _sheet_pr(spec),
        f'<dimension ref="{dimension}"/>',
        _views(spec),
        '<sheetFormatPr defaultRowHeight="15"/>',
        _cols(spec),
    ]
    parts = []
    if spec.protect:
        parts.append('<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" '
                     'formatRows="0" autoFilter="0"/>')
    if spec.autofilter:
        parts.append(f'<autoFilter ref="{spec.autofilter.upper()}"/>')
    if spec.merges:
        merges = "".join(f'<mergeCell ref="{m.upper()}"/>' for m in spec.merges)
        parts.append(f'<mergeCells count="{len(spec.merges)}">{merges}</mergeCells>')
    if links:
        parts.append(f"<hyperlinks>{''.join(links)}</hyperlinks>")
    parts.append(_page(spec))
    parts.append("</worksheet>")
    return b"".join(["".join(head).encode("utf-8"), *data, "".join(parts).encode("utf-8")])


def defined_names(spec: SheetSpec) -> dict[str, str]:
    """Sheet-local built-in names this sheet needs: print titles/area, the filter range."""
    sheet = quote_sheet(spec.name)
    names = {}
    if spec.print.title_rows:
        names["_xlnm.Print_Titles"] = f"{sheet}!{absolute_range(spec.print.title_rows)}"
    if spec.print.area:
        names["_xlnm.Print_Area"] = f"{sheet}!{absolute_range(spec.print.area)}"
    if spec.autofilter:
        names["_xlnm._FilterDatabase"] = f"{sheet}!{absolute_range(spec.autofilter)}"
    return names
