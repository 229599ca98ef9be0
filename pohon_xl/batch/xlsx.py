"""Write a new workbook from :class:`SheetSpec` descriptions (the consolidated workbook):
XlsxWriter for the skeleton and the charts, pohon-xl's worksheet renderer for the tables.
Deterministic: fixed document properties, no timestamps, so a second run writes the same
bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from pohon_xl.excel.styles import LOOKS, Look
from pohon_xl.sheets import Cell, SheetSpec

FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_PAPER = {"A4": 9, "A3": 8}


@dataclass(frozen=True)
class BarChart:
    """A clustered/stacked bar chart over a table of a sheet written by :func:`write_new`."""

    sheet: str
    title: str
    categories_column: int  # 1-based column of the labels
    series_columns: tuple[tuple[int, str], ...]  # (1-based column, RRGGBB colour)
    first_row: int  # 1-based Excel rows of the data (header excluded)
    last_row: int
    anchor: str  # top-left cell of the chart, e.g. "L2"
    stacked: bool = True


def _format_props(style: str) -> dict[str, object]:
    look = LOOKS.get(style)
    return _look_props(look) if look is not None else {}


def _look_props(look: Look) -> dict[str, object]:
    props: dict[str, object] = {}
    if look.bold:
        props["bold"] = True
    if look.size:
        props["size"] = look.size
    if look.color:
        props["font_color"] = "#" + look.color
    if look.underline:
        props["underline"] = 1
    if look.fill:
        props.update(pattern=1, bg_color="#" + look.fill)
    weights = {"thin": 1, "medium": 2}
    for side, weight in look.edges().items():  # Pohon connectors have single edges
        props[side] = weights[weight]
        if look.border_color:
            props[f"{side}_color"] = "#" + look.border_color
    if look.num_format:
        props["num_format"] = look.num_format
    if look.wrap:
        props["text_wrap"] = True
    if look.horizontal:
        props["align"] = look.horizontal
    if look.vertical:
        props["valign"] = {"center": "vcenter"}.get(look.vertical, look.vertical)
    return props


def write_new(path: Path, sheets: Sequence[SheetSpec], *, title: str = "",
              charts: Sequence[BarChart] = ()) -> None:
    """Write ``sheets`` as a new workbook at ``path`` (atomically: a temp file, then rename).

    XlsxWriter writes the workbook's skeleton and the sheets that carry a chart (it draws
    the chart); every other sheet — the consolidated tables, close to a million cells — is
    left empty there and then rendered by pohon-xl's own worksheet writer through the zip
    patcher, several times faster than XlsxWriter's cell-by-cell XML.
    """
    from pohon_xl.excel.write import write_workbook
    from pohon_xl.sheets import WorkbookEdits

    path = Path(path)
    drawn = {chart.sheet for chart in charts}
    skeleton = path.with_name(f".{path.name}.kerangka")
    try:
        _write_xlsxwriter(skeleton, [s if s.name in drawn else SheetSpec(s.name, protect=False)
                                     for s in sheets], title=title, charts=charts)
        rendered = [_as_xlsxwriter_sizes(s) for s in sheets if s.name not in drawn]
        # clear_marks=False: a brand-new workbook holds no marks of an earlier run.
        write_workbook(skeleton, path, WorkbookEdits(sheets=rendered, clear_marks=False))
    finally:
        skeleton.unlink(missing_ok=True)


def _as_xlsxwriter_sizes(spec: SheetSpec) -> SheetSpec:
    """``spec`` with the column widths and row heights XlsxWriter would store (its cell
    padding and whole pixels), so that every sheet of the workbook looks as if XlsxWriter
    had written it."""
    return replace(spec, widths={c: _xlsxwriter_width(w) for c, w in spec.widths.items()},
                   heights={r: 0.75 * int(h * 4 / 3 + 0.5) for r, h in spec.heights.items()})


def _xlsxwriter_width(width: float) -> float:
    # Worksheet.set_column then _write_col_info (XlsxWriter 3): 7-pixel digits, 5 of padding.
    if width <= 0:
        return 0
    pixels = int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5
    return (pixels * 256 // 7) / 256


def _write_xlsxwriter(path: Path, sheets: Sequence[SheetSpec], *, title: str = "",
                      charts: Sequence[BarChart] = ()) -> None:
    """Every sheet and chart written by XlsxWriter (the skeleton of :func:`write_new`)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    book.set_properties({"title": title, "author": "pohon-xl", "created": FIXED_DATE,
                         "comments": "Dibuat oleh pohon-xl batch; jangan diubah tangan."})
    formats: dict[str, object] = {}

    def fmt(style: str):
        if style not in formats:
            formats[style] = book.add_format(_format_props(style))
        return formats[style]

    worksheets = {}
    for spec in sheets:
        sheet = book.add_worksheet(spec.name)
        worksheets[spec.name] = sheet
        _write_sheet(sheet, spec, fmt, formats)
    for chart_spec in charts:
        _add_chart(book, worksheets[chart_spec.sheet], chart_spec)
    book.close()


def render_new(name: str, sheets: Sequence[SheetSpec], *, title: str = "",
               charts: Sequence[BarChart] = ()) -> bytes:
    """The bytes :func:`write_new` writes for a workbook called ``name`` (same bytes: it
    writes them in a temp folder; used by batch workers, which never write into OUTDIR)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="pohon-xl-") as tmp:
        target = Path(tmp) / name
        write_new(target, sheets, title=title, charts=charts)
        return target.read_bytes()


def _write_cell(sheet, row: int, col: int, cell: Cell, fmt) -> None:
    style = fmt(cell.style)
    value = cell.value
    if cell.link:
        target = "internal:" + cell.link
        sheet.write_url(row, col, target, style, string="" if value is None else str(value))
    elif value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _write_cells(sheet, spec: SheetSpec, fmt, formats: dict[str, object]) -> None:
    """What :func:`_write_cell` does for every cell, with XlsxWriter's undecorated methods
    (the public ones only add an A1-notation check per call) and the formats looked up in
    ``formats`` first: the same calls in the same order, so the same bytes."""
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    write_blank = getattr(sheet, "_write_blank", sheet.write_blank)
    for r, row in enumerate(spec.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if cell.link:
                _write_cell(sheet, r, c, cell, fmt)
                continue
            style = formats.get(cell.style)
            if style is None:
                style = fmt(cell.style)
            value = cell.value
            kind = type(value)
            if kind is str:
                write_string(r, c, value, style)
            elif value is None:
                write_blank(r, c, None, style)
            elif kind is int or kind is float:
                write_number(r, c, value, style)
            else:
                _write_cell(sheet, r, c, cell, fmt)


def _write_sheet(sheet, spec: SheetSpec, fmt, formats: dict[str, object] | None = None
                 ) -> None:
    if formats is None:
        for r, row in enumerate(spec.rows):
            for c, cell in enumerate(row):
                if cell is not None:
                    _write_cell(sheet, r, c, cell, fmt)
    else:
        _write_cells(sheet, spec, fmt, formats)
    for ref in spec.merges:
        first, _, last = ref.partition(":")
        top = _parse_ref(first)
        # The range as numbers: what XlsxWriter's A1-notation wrapper passes on, without
        # its parsing (an exception and two regular expressions per range).
        area = (*top, *(_parse_ref(last) if last else top))
        cell = (spec.rows[top[0]][top[1]] if top[0] < len(spec.rows)
                and top[1] < len(spec.rows[top[0]]) else None)
        value = cell.value if cell is not None else None
        style = fmt(cell.style) if cell is not None else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.merge_range(*area, None, style)
            sheet.write_number(top[0], top[1], value, style)
        else:
            sheet.merge_range(*area, "" if value is None else str(value), style)
    for column, width in sorted(spec.widths.items()):
        sheet.set_column(column - 1, column - 1, width)
    for row_number, height in sorted(spec.heights.items()):
        sheet.set_row(row_number - 1, height)
    if spec.freeze:
        sheet.freeze_panes(spec.freeze)
    if spec.autofilter:
        sheet.autofilter(spec.autofilter)
    if spec.protect:
        sheet.protect("", {"autofilter": True, "sort": True, "format_columns": True,
                           "format_rows": True})
    setup = spec.print
    if setup.landscape:
        sheet.set_landscape()
    sheet.set_paper(_PAPER.get(setup.paper, 9))
    if setup.fit_to_width:
        sheet.fit_to_pages(1, 0)
    elif setup.scale:
        sheet.set_print_scale(setup.scale)
    if setup.title_rows:
        first, _, last = setup.title_rows.partition(":")
        sheet.repeat_rows(int(first) - 1, int(last or first) - 1)
    if setup.title_columns:
        sheet.repeat_columns(setup.title_columns)
    if setup.area:
        sheet.print_area(setup.area)
    if setup.row_breaks:
        sheet.set_h_pagebreaks(list(setup.row_breaks))
    if setup.column_breaks:
        sheet.set_v_pagebreaks(list(setup.column_breaks))
    if spec.tab_color:
        sheet.set_tab_color("#" + spec.tab_color)


_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


def _parse_ref(ref: str) -> tuple[int, int]:
    """"B3" -> (2, 1), zero-based (row, column)."""
    match = _REF.fullmatch(ref)
    if match is None:
        letters = "".join(ch for ch in ref if ch.isalpha()).upper()
        digits = "".join(ch for ch in ref if ch.isdigit())
    else:
        letters, digits = match.group(1).upper(), match.group(2)
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(digits) - 1, column - 1


def _add_chart(book, sheet, spec: BarChart) -> None:
    if spec.last_row < spec.first_row:
        return
    chart = book.add_chart({"type": "bar", "subtype": "stacked"} if spec.stacked
                           else {"type": "bar"})
    first, last = spec.first_row - 1, spec.last_row - 1
    for column, colour in spec.series_columns:
        chart.add_series({
            "name": [spec.sheet, 0, column - 1],
            "categories": [spec.sheet, first, spec.categories_column - 1, last,
                           spec.categories_column - 1],
            "values": [spec.sheet, first, column - 1, last, column - 1],
            "fill": {"color": "#" + colour},
            "gap": 60,
        })
    chart.set_title({"name": spec.title})
    chart.set_x_axis({"name": "Jumlah temuan", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    rows = spec.last_row - spec.first_row + 1
    chart.set_size({"width": 720, "height": max(288, 60 + 24 * rows)})
    sheet.insert_chart(spec.anchor, chart)
