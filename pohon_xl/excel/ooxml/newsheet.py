"""A :class:`~pohon_xl.sheets.SheetSpec` rendered as a worksheet part.

Built as text rather than an element tree: derived sheets can have thousands of rows and
string joins are several times faster; every text goes through :func:`~pohon_xl.excel.ooxml.cellref.cell_text`.
"""

from __future__ import annotations

import math
from math import isfinite
from collections.abc import Callable, Iterator

from pohon_xl.excel.ooxml.cellref import (
    absolute_range, cell_text, clean_text, column_letters, quote_sheet, ref, split_ref,
)
from pohon_xl.excel.ooxml.cellref import xml_quoteattr as quoteattr
from pohon_xl.excel.ooxml.package import MAIN, REL
from pohon_xl.sheets import Cell, SheetSpec

PAPER_SIZES = {"A4": 9, "A3": 8}
MAX_COLUMN, MAX_ROW = 16384, 1048576


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
    return f'{head} t="inlineStr"><is><t xml:space="preserve">{cell_text(str(value))}</t></is></c>'


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


_OPEN = '<c r="'  # a cell's start, before its column letters
_CHUNK_ROWS = 500  # rows encoded at a time: a chunk can be deflated while the next is built


def _last_column(rows: list[list[Cell | None]]) -> int:
    """The rightmost column holding a cell (what ``<dimension>`` needs before the rows)."""
    width = 0
    for cells in rows:
        column = len(cells)
        while column > width and cells[column - 1] is None:
            column -= 1
        if column > width:
            width = column
    return width


def _rows(spec: SheetSpec, style: Callable[[str], int], links: list[str]) -> Iterator[bytes]:
    """``<sheetData>`` as UTF-8 chunks; the hyperlinks met are added to ``links``.

    The hot loop of large derived sheets (a 10k-row ``turunkan`` writes some 900,000 cells):
    per style, the cell's tail after its reference is made once for an empty cell and once
    for a text met again (texts met once are not kept: a large sheet has many); texts, empty
    and numeric cells (nearly all of them) are written inline, other values through
    :func:`_value`.
    """
    out: list[str] = []
    yield b"<sheetData>"
    widest = max(map(len, spec.rows), default=0)
    starts = [f'{_OPEN}{column_letters(c)}' for c in range(1, widest + 1)]
    # style name -> (its index as text, an empty cell's tail, text -> a text cell's tail)
    known: dict[str, tuple[str, str, dict[str, str]]] = {}
    rows, heights = spec.rows, spec.heights
    count = len(rows)
    for number in range(1, max(count, max(heights, default=0)) + 1):
        cells = rows[number - 1] if number <= count else ()
        height = heights.get(number)
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        at = str(number)
        body: list[str] = []
        append = body.append
        for start, cell in zip(starts, cells):
            if cell is None:
                continue
            value = cell.value
            name = cell.style
            found = known.get(name)
            if found is None:
                found = known[name] = _style_tails(name, style)
            if value is None:
                append(f"{start}{at}{found[1]}")
            elif value.__class__ is str:
                by_text = found[2]
                tail = by_text.get(value)
                if not tail:  # kept from its second use on: most long texts occur once
                    made = (f'" s="{found[0]}" t="inlineStr"><is>'
                            f'<t xml:space="preserve">{cell_text(value)}</t></is></c>')
                    by_text[value] = "" if tail is None else made
                    tail = made
                append(f"{start}{at}{tail}")
            elif value.__class__ is int:
                append(f'{start}{at}" s="{found[0]}"><v>{value}</v></c>')
            elif value.__class__ is float and isfinite(value):
                append(f'{start}{at}" s="{found[0]}"><v>{value!r}</v></c>')
            else:
                append(_value(cell, f"{start[len(_OPEN):]}{number}", int(found[0])))
            if cell.link:
                where = f"{start[len(_OPEN):]}{number}"
                display = "" if value is None else f" display={attr(str(value))}"
                links.append(f'<hyperlink ref="{where}" location={attr(cell.link)}{display}/>')
        if body or attrs:
            out.append(f'<row r="{number}"{attrs}>{"".join(body)}</row>')
        if len(out) >= _CHUNK_ROWS:
            yield "".join(out).encode("utf-8")
            out.clear()
    out.append("</sheetData>")
    yield "".join(out).encode("utf-8")


def _style_tails(name: str, style: Callable[[str], int]) -> tuple[str, str, dict[str, str]]:
    index = str(style(name))
    return index, f'" s="{index}"/>', {}


def _page(spec: SheetSpec) -> str:
    setup = spec.print
    orientation = "landscape" if setup.landscape else "portrait"
    fit = ' fitToWidth="1" fitToHeight="0"' if setup.fit_to_width else (
        f' scale="{setup.scale}"' if setup.scale else "")
    text = ('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
            f'footer="0.3"/><pageSetup paperSize="{PAPER_SIZES.get(setup.paper, 9)}" '
            f'orientation="{orientation}"{fit}/>')
    if setup.row_breaks:
        breaks = "".join(f'<brk id="{r}" max="{MAX_COLUMN - 1}" man="1"/>'
                         for r in sorted(set(setup.row_breaks)))
        count = len(set(setup.row_breaks))
        text += f'<rowBreaks count="{count}" manualBreakCount="{count}">{breaks}</rowBreaks>'
    if setup.column_breaks:
        breaks = "".join(f'<brk id="{c}" max="{MAX_ROW - 1}" man="1"/>'
                         for c in sorted(set(setup.column_breaks)))
        count = len(set(setup.column_breaks))
        text += f'<colBreaks count="{count}" manualBreakCount="{count}">{breaks}</colBreaks>'
    return text


def render_sheet(spec: SheetSpec, style: Callable[[str], int]) -> bytes:
    """The worksheet XML; ``style`` maps a named style to its cellXfs index."""
    return b"".join(sheet_chunks(spec, style))


def sheet_chunks(spec: SheetSpec, style: Callable[[str], int]) -> Iterator[bytes]:
    """:func:`render_sheet` in UTF-8 chunks of a few hundred rows, made as they are asked
    for: a large sheet can be deflated on the fly instead of held whole."""
    width = _last_column(spec.rows)
    last_row = max(len(spec.rows), 1)
    dimension = f"A1:{ref(last_row, width)}" if width else "A1"
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">',
        _sheet_pr(spec),
        f'<dimension ref="{dimension}"/>',
        _views(spec),
        '<sheetFormatPr defaultRowHeight="15"/>',
        _cols(spec),
    ]
    yield "".join(head).encode("utf-8")
    links: list[str] = []
    yield from _rows(spec, style, links)
    parts = []
    if spec.protect:
        parts.append('<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" '
                     'formatRows="0" autoFilter="0"/>')
    if spec.autofilter:
        parts.append(f'<autoFilter ref="{spec.autofilter.upper()}"/>')
    if spec.merges:
        merges = "".join(f'<mergeCell ref="{m.upper()}"/>' for m in spec.merges)
        parts.append(f'<mergeCells count="{len(spec.merges)}">{merges}</mergeCells>')
    if spec.validations:
        parts.append(_validations(spec.validations))
    if links:
        parts.append(f"<hyperlinks>{''.join(links)}</hyperlinks>")
    parts.append(_page(spec))
    parts.append("</worksheet>")
    yield "".join(parts).encode("utf-8")


def _validations(validations: list[tuple[str, tuple[str, ...]]]) -> str:
    """``<dataValidations>``: a dropdown list per range (a wrong value is refused)."""
    items = "".join(
        f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
        f'sqref="{cell_text(where.upper())}"><formula1>{cell_text(chr(34) + ",".join(values) + chr(34))}'
        f'</formula1></dataValidation>'
        for where, values in validations)
    return f'<dataValidations count="{len(validations)}">{items}</dataValidations>'


def defined_names(spec: SheetSpec) -> dict[str, str]:
    """Sheet-local built-in names this sheet needs: print titles/area, the filter range."""
    sheet = quote_sheet(spec.name)
    names = {}
    titles = [f"{sheet}!{absolute_range(part)}"
              for part in (spec.print.title_columns, spec.print.title_rows) if part]
    if titles:
        names["_xlnm.Print_Titles"] = ",".join(titles)
    if spec.print.area:
        names["_xlnm.Print_Area"] = f"{sheet}!{absolute_range(spec.print.area)}"
    if spec.autofilter:
        names["_xlnm._FilterDatabase"] = f"{sheet}!{absolute_range(spec.autofilter)}"
    return names
