"""The pure half of the Excel buttons (:mod:`pohon_xl.excel.live`): what to write, never Excel.

- :func:`compute`: raw cell tables -> parse, validate, derive, the
  :class:`~pohon_xl.sheets.WorkbookEdits` and the summary message;
- :func:`plan_writes`: edits + what was read (:class:`BookState`) -> a list of :class:`Op`,
  every value already made safe for Excel (:func:`excel_value`).

Which marks are ours and what a cell gets back is decided by :mod:`pohon_xl.marks`, from values
(the registry sheet) and whatever the adapter could read, never from colours or notes alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pohon_xl.core.derive.common import lines_height, wrapped_lines
from pohon_xl.errors import InputError
from pohon_xl.excel.styles import HEADER_FILL, LOOKS, MARK_FILLS, STATUS_STYLES
from pohon_xl.findings import Report, Severity
from pohon_xl.marks import (
    REGISTRY_SHEET, Mark, fill_value, first_fill, is_our_note, note_text, registry_spec,
    restored_fill,
)
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawWorkbook
from pohon_xl.sheets import (
    POHON_STYLES, CellValue, RowStatus, SheetSpec, WorkbookEdits, appended_below, group_marks,
)

V = TypeVar("V")

__all__ = [
    "BookState",
    "LiveRun",
    "Op",
    "compute",
    "excel_value",
    "note_rows",
    "plan_writes",
]

MAX_TEXT = 32767  # Excel's limit for the text of one cell
MAX_LINKS = 2000  # hyperlinks cost one call each; beyond this Laporan rows stay plain text
STATUS_WIDTH, CATATAN_WIDTH = 12, 60  # as the file writer (xlsxpatch)


# ---------------------------------------------------------------------------------------------
# Pure layer 1: raw tables -> edits and the summary
# ---------------------------------------------------------------------------------------------
@dataclass
class LiveRun:
    """What one button press computed; nothing has been written yet."""

    report: Report
    edits: WorkbookEdits
    derive: bool
    derived_names: list[str] = field(default_factory=list)
    capaian: bool = False  # the Capaian button: the achievement sheets only

    @property
    def counts(self) -> dict[str, int]:
        counts = self.report.counts()
        return {s.value: counts.get(s, 0) for s in (Severity.GALAT, Severity.PERINGATAN,
                                                    Severity.INFO)}

    def status_line(self) -> str:
        c = self.counts
        action = "Capaian" if self.capaian else "Turunkan" if self.derive else "Validasi"
        return (f"pohon-xl {action}: {c['Galat']} Galat, {c['Peringatan']} Peringatan "
                f"— lihat sheet {C.LAPORAN}.")

    def message(self) -> str:
        c = self.counts
        lines = []
        if c["Galat"]:
            lines.append(f"Ditemukan {c['Galat']} Galat dan {c['Peringatan']} Peringatan.")
        elif c["Peringatan"]:
            lines.append(f"Tidak ada Galat; ada {c['Peringatan']} Peringatan.")
        else:
            lines.append("Tidak ada Galat maupun Peringatan. Bagus!")
        lines.append(f"Rincian: sheet {C.LAPORAN} (klik Kode untuk melompat ke sel), kolom "
                     f"{C.STATUS} dan {C.CATATAN} di setiap sheet level, dan catatan pada sel "
                     "yang berwarna.")
        if self.derive:
            made = ", ".join(self.derived_names) or "-"
            lines.append(f"Sheet turunan diperbarui: {made}.")
            if c["Galat"]:
                lines.append("Baris dengan Galat tidak ikut diturunkan; perbaiki lalu klik "
                             "Turunkan lagi.")
        return "\n\n".join(lines)


def compute(raw: RawWorkbook, source: str = "", *, derive: bool = False,
            nomenclature: dict[str, str] | None = None, only: Sequence[str] = ()) -> LiveRun:
    """The CLI's core on tables already read: the one run of a workbook
    (:func:`~pohon_xl.core.run.run_workbook`), every edit described, nothing written.
    ``only``: build these derived sheets only (the Capaian button: InputError when the
    workbook has no realisation yet)."""
    from pohon_xl.core.derive.registry import DERIVED_SHEETS
    from pohon_xl.core.run import run_workbook

    run = run_workbook(raw, source, derive=derive, nomenclature=nomenclature)
    if only:
        from pohon_xl.core.derive.capaian import NO_REALISATION, has_realisation

        if not has_realisation(run.plan):
            raise InputError(NO_REALISATION)
        run.only = only
    edits = run.all_edits()
    return LiveRun(run.report, edits, derive, [n for n in DERIVED_SHEETS if n in run.derived],
                   capaian=bool(only))


# ---------------------------------------------------------------------------------------------
# Values that stay what they are in Excel
# ---------------------------------------------------------------------------------------------
_SCIENTIFIC = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*$")
_DATE_WORDS = re.compile(r"^\s*(\d{1,2}[-/ .][A-Za-z]{3,9}([-/ .]\d{2,4})?"
                         r"|[A-Za-z]{3,9}[-/ .]\d{1,4}([-/ .]\d{2,4})?)\s*$")
_BOOLEANS = {"TRUE", "FALSE", "BENAR", "SALAH"}


def _text_needs_quote(text: str) -> bool:
    """Would Excel read this typed text as something else (formula, number, date, boolean)?"""
    stripped = text.strip()
    if not stripped:
        return text != ""
    if text[0] in "=+-@'" or stripped[0] in "=+-@":
        return True
    if not any(ch.isalpha() for ch in stripped):  # numbers, dates, times, percentages, codes
        return True
    return bool(_SCIENTIFIC.match(stripped) or _DATE_WORDS.match(stripped)
                or stripped.upper() in _BOOLEANS)


def excel_value(value: object) -> object:
    """A value as it must be written so that Excel keeps it: text stays text, never a formula.

    Text Excel would turn into a formula, number, date or boolean gets a leading apostrophe
    (Excel's text prefix, not part of the value); over-long text is cut as the file writer
    cuts it. Empty text becomes an empty cell.
    """
    if isinstance(value, str):
        if value == "":
            return None
        if len(value) > MAX_TEXT - 1:
            value = value[: MAX_TEXT - 2] + "…"
        return "'" + value if _text_needs_quote(value) else value
    return value


# ---------------------------------------------------------------------------------------------
# Pure layer 2: edits + what was read -> operations
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One bulk write on a rectangle of a sheet (1-based ``row``/``col``).

    ``kind``: ``sheet`` (create, or clear when it exists; ``value`` = hidden), ``values``
    (``value`` = 2D list), ``colors`` (``value`` = 2D list of ``#RRGGBB``/None), ``fill``
    (``value`` = ``#RRGGBB`` or None), ``bold``, ``italic``, ``font_color``, ``font_size``,
    ``number_format``, ``wrap``, ``align`` (``value`` = "left"/"center"), ``width``
    (``value`` = characters), ``height`` (points), ``merge`` (``value`` = across: each row
    of the rectangle merged on its own), ``freeze`` (at ``row``/``col``),
    ``link`` (``value`` = (target, text)), ``note`` (``value`` = text), ``drop_note``,
    ``protect`` (``value`` = on; desktop Excel only), ``activate``.
    """

    kind: str
    sheet: str
    row: int = 1
    col: int = 1
    nrows: int = 1
    ncols: int = 1
    value: Any = None


@dataclass
class BookState:
    """What :func:`~pohon_xl.excel.live.read_book` saw, besides the raw tables: enough to plan
    the writes. Cells are (sheet, row, column); a cell missing from ``fills`` or ``notes`` was
    not read (or, for ``notes``, has none)."""

    sheet_names: list[str] = field(default_factory=list)
    active_sheet: str = ""
    used_rows: dict[str, int] = field(default_factory=dict)  # sheet -> last used row
    registry: list[Mark] = field(default_factory=list)  # the marks registry (pohon_xl.marks)
    fills: dict[tuple[str, int, int], str] = field(default_factory=dict)  # "" = none
    notes: dict[tuple[str, int, int], str | None] = field(default_factory=dict)  # None: unread
    had_columns: dict[str, tuple[int, int]] = field(default_factory=dict)  # Status, Catatan
    our_notes: set[tuple[str, int, int]] = field(default_factory=set)  # by what they show
    # (sheet, row) -> its height in points, read where the engine can (desktop) for the rows
    # of note_rows(): a row is made taller for its note, never lower.
    row_heights: dict[tuple[str, int], float] = field(default_factory=dict)

    def find_sheet(self, name: str) -> str | None:
        wanted = name.casefold()
        return next((n for n in self.sheet_names if n.casefold() == wanted), None)


def _hex(rgb: str | None) -> str | None:
    """``#RRGGBB``; None for no fill, or one xlwings cannot set (a theme colour's attributes
    recorded by the file writer: the cell is then cleared)."""
    rgb = fill_value(rgb)
    return f"#{rgb}" if rgb and "=" not in rgb else None


def _rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover a set of cells with few rectangles (row, col, nrows, ncols): runs per row, then
    identical runs on consecutive rows merged."""
    by_row: dict[int, list[int]] = defaultdict(list)
    for row, col in cells:
        by_row[row].append(col)
    runs: list[tuple[int, int, int]] = []  # row, first col, ncols
    for row in sorted(by_row):
        cols = sorted(set(by_row[row]))
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.append((row, start, prev - start + 1))
                start = col
            prev = col
        runs.append((row, start, prev - start + 1))
    rects: list[list[int]] = []
    open_by_span: dict[tuple[int, int], list[int]] = {}
    for row, col, ncols in runs:
        rect = open_by_span.get((col, ncols))
        if rect is not None and rect[0] + rect[2] == row:
            rect[2] += 1
        else:
            rect = [row, col, 1, ncols]
            rects.append(rect)
            open_by_span[(col, ncols)] = rect
    return [(r, c, nr, nc) for r, c, nr, nc in rects]


def _look(style: str) -> dict[str, Any]:
    """The adapter-neutral look of a named style, as the few properties written live."""
    if style in POHON_STYLES:
        p = POHON_STYLES[style]
        return {"bold": p.get("bold", False), "fill": p.get("fill", ""),
                "font_color": p.get("font_color", ""), "size": p.get("size"),
                "wrap": p.get("wrap", False), "align": p.get("horizontal", ""),
                "number_format": ""}
    look = LOOKS.get(style, LOOKS["text"])
    return {"bold": look.bold, "fill": look.fill, "font_color": look.color, "size": look.size,
            "wrap": look.wrap, "align": look.horizontal, "number_format": look.num_format}


def _format_ops(sheet: str, cells_by_style: dict[str, list[tuple[int, int]]]) -> list[Op]:
    ops: list[Op] = []
    by_property: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for style, cells in cells_by_style.items():
        look = _look(style)
        for key in ("bold", "fill", "font_color", "size", "wrap", "align", "number_format"):
            if look[key]:
                by_property[(key, look[key])].extend(cells)
    kinds = {"bold": "bold", "fill": "fill", "font_color": "font_color", "size": "font_size",
             "wrap": "wrap", "align": "align", "number_format": "number_format"}
    for (key, value), cells in sorted(by_property.items(), key=lambda kv: (kv[0][0],
                                                                           str(kv[0][1]))):
        if key in ("fill", "font_color"):
            value = _hex(value)
        for row, col, nrows, ncols in _rectangles(cells):
            ops.append(Op(kinds[key], sheet, row, col, nrows, ncols, value))
    return ops


def _value_ops(values: Iterable[CellValue], sheet_of: Callable[[str], str],
               used_rows: Mapping[str, int]) -> list[Op]:
    """A write per cell put (few: refreshed and appended cells), rows appended below the
    sheet's used range, and the formats of those given a style."""
    by_sheet: dict[str, list[CellValue]] = defaultdict(list)
    for value in values:
        by_sheet[sheet_of(value.sheet)].append(value)
    ops: list[Op] = []
    for sheet, found in by_sheet.items():
        styled: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for value in appended_below(found, used_rows.get(sheet, 0)):
            ops.append(Op("values", sheet, value.row, value.column,
                          value=[[excel_value(value.value)]]))
            if value.style:
                styled[value.style].append((value.row, value.column))
        ops += _format_ops(sheet, styled)
    return ops


def _sheet_ops(spec: SheetSpec, existing: str | None) -> list[Op]:
    name = existing or spec.name
    ops = [Op("sheet", name, value=spec.hidden)]
    width = max((len(r) for r in spec.rows), default=0)
    if spec.rows and width:
        matrix = [[excel_value(c.value) if c is not None else None for c in row]
                  + [None] * (width - len(row)) for row in spec.rows]
        ops.append(Op("values", name, 1, 1, len(matrix), width, matrix))
    for first, count, chars in _runs(spec.widths):
        ops.append(Op("width", name, 1, first, 1, count, chars))
    for first, count, points in sorted(_runs(spec.heights), key=lambda run: (run[2], run[0])):
        ops.append(Op("height", name, first, 1, count, 1, points))  # equal heights together
    cells_by_style: dict[str, list[tuple[int, int]]] = defaultdict(list)
    links: list[Op] = []
    for r, row in enumerate(spec.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            cells_by_style[cell.style].append((r, c))
            if cell.link and len(links) < MAX_LINKS and isinstance(cell.value, str) \
                    and not _text_needs_quote(cell.value):
                links.append(Op("link", name, r, c, value=(f"#{cell.link}", cell.value)))
    ops += _format_ops(name, cells_by_style)
    ops += _merge_ops(name, spec.merges)
    ops += links
    if spec.freeze:
        freeze_row, freeze_col = _split_cell(spec.freeze)
        ops.append(Op("freeze", name, freeze_row, freeze_col))
    if spec.protect:
        ops.append(Op("protect", name, value=True))
    return ops


def _runs(sizes: Mapping[int, V]) -> list[tuple[int, int, V]]:
    """Consecutive columns (or rows) of equal size (or colour) as (first, count, size)."""
    runs: list[tuple[int, int, V]] = []
    for index, size in sorted(sizes.items()):
        if runs and runs[-1][0] + runs[-1][1] == index and runs[-1][2] == size:
            first, count, _ = runs[-1]
            runs[-1] = (first, count + 1, size)
        else:
            runs.append((index, 1, size))
    return runs


def _merge_ops(sheet: str, refs: Iterable[str]) -> list[Op]:
    """Merged ranges; one-row merges over the same columns on consecutive rows become one
    ``merge across`` of the whole block (one call instead of one per row)."""
    ops: list[Op] = []
    singles: dict[tuple[int, int], list[int]] = defaultdict(list)  # (c0, c1) -> rows
    for ref in refs:
        (r0, c0), (r1, c1) = _split_range(ref)
        if r0 == r1:
            singles[(c0, c1)].append(r0)
        else:
            ops.append(Op("merge", sheet, r0, c0, r1 - r0 + 1, c1 - c0 + 1, False))
    for (c0, c1), rows in sorted(singles.items()):
        for first, count, _ in _runs({r: 0 for r in rows}):
            ops.append(Op("merge", sheet, first, c0, count, c1 - c0 + 1, count > 1))
    return sorted(ops, key=lambda op: op.value)  # like merges together: fewer union calls


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _split_cell(ref: str) -> tuple[int, int]:
    match = _CELL.match(ref.strip())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    letters, digits = match.groups()
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(digits), col


def _split_range(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    first, _, last = ref.partition(":")
    return _split_cell(first), _split_cell(last or first)


def note_rows(edits: WorkbookEdits) -> list[tuple[str, int, float]]:
    """(sheet, row, points) of each row whose ``Catatan Validasi`` wraps onto more lines in
    a column of :data:`CATATAN_WIDTH`, with the height it needs (the file writer's estimate,
    :mod:`pohon_xl.excel.ooxml.rowheight`)."""
    rows = []
    for status in edits.statuses:
        if status.row >= 2 and status.notes:
            lines = wrapped_lines(status.notes, CATATAN_WIDTH)
            if lines > 1:
                rows.append((status.sheet, status.row, lines_height(lines)))
    return rows


def _fold(name: str) -> str:
    return name.casefold()


def plan_writes(edits: WorkbookEdits, state: BookState) -> list[Op]:
    """Every write of one run, in order; pure (no Excel), so it is computed before writing.

    Order: forget the previous run's marks, the ``Status``/``Catatan Validasi`` column blocks,
    the new marks, the registry of marks, then the replaced/added sheets, and finally the sheet
    the user was on becomes active again.
    """
    ops: list[Op] = []
    actual = {_fold(n): n for n in state.sheet_names}

    def sheet_of(name: str) -> str:
        return actual.get(_fold(name), name)

    replaced = {_fold(spec.name) for spec in edits.sheets}
    marks = group_marks([m for m in edits.marks if _fold(m.sheet) in actual],
                        lambda mark: (mark.sheet, mark.row, mark.column))
    marks = {(sheet_of(s), r, c): v for (s, r, c), v in marks.items()}
    previous = {(sheet_of(m.sheet), m.row, m.col): m for m in state.registry
                if _fold(m.sheet) in actual and _fold(m.sheet) not in replaced}
    ours = {(sheet_of(s), r, c) for s, r, c in state.our_notes}

    # 1. Put back the cells marked before and not now (pohon_xl.marks decides).
    for key in sorted(set(previous) | ours):
        if key in marks:
            continue
        sheet, row, col = key
        before = previous.get(key)
        rgb = restored_fill(state.fills.get(key), before)
        if rgb is not None:
            ops.append(Op("fill", sheet, row, col, value=_hex(rgb)))
        if before is None or before.our_note:
            ops.append(Op("drop_note", sheet, row, col))
            if before is not None and before.note:  # an earlier version merged the user's
                ops.append(Op("note", sheet, row, col, value=before.note))

    # 2. Status and Catatan Validasi: one block per column, from row 2 to the last used row.
    statuses: dict[str, dict[int, RowStatus]] = defaultdict(dict)
    for status in edits.statuses:
        statuses[_fold(status.sheet)][status.row] = status
    tall: dict[str, dict[int, float]] = defaultdict(dict)
    for name, row, points in note_rows(edits):
        tall[_fold(name)][row] = points
    for sheet_name, (status_col, note_col) in edits.status_columns.items():
        sheet = sheet_of(sheet_name)
        rows = statuses.get(_fold(sheet_name), {})
        last = max([state.used_rows.get(sheet, 1), *rows])
        ops.append(Op("values", sheet, 1, status_col, value=[[C.STATUS]]))
        ops.append(Op("values", sheet, 1, note_col, value=[[C.CATATAN]]))
        for col in (status_col, note_col):
            ops.append(Op("bold", sheet, 1, col, value=True))
            ops.append(Op("fill", sheet, 1, col, value=_hex(HEADER_FILL)))
            ops.append(Op("wrap", sheet, 1, col, value=True))
        if last >= 2:
            n = last - 1
            status_values = [[excel_value(rows[r].status) if r in rows else None]
                             for r in range(2, last + 1)]
            note_values = [[excel_value(rows[r].notes) if r in rows else None]
                           for r in range(2, last + 1)]
            ops.append(Op("values", sheet, 2, status_col, n, 1, status_values))
            ops.append(Op("values", sheet, 2, note_col, n, 1, note_values))
            colors = [[_hex(LOOKS[STATUS_STYLES.get(rows[r].status, "text")].fill)
                       if r in rows else None] for r in range(2, last + 1)]
            ops.append(Op("colors", sheet, 2, status_col, n, 1, colors))
            ops.append(Op("wrap", sheet, 2, note_col, n, 1, True))
        if (status_col, note_col) != state.had_columns.get(sheet):
            ops.append(Op("width", sheet, 1, status_col, value=STATUS_WIDTH))
            ops.append(Op("width", sheet, 1, note_col, value=CATATAN_WIDTH))
        # Taller rows for wrapped notes, where the engine told the height: a row of unknown
        # height is left to Excel (it fits rows whose height nobody set).
        for row, points in sorted(tall.get(_fold(sheet_name), {}).items()):
            current = state.row_heights.get((sheet, row))
            if current is not None and current < points:
                ops.append(Op("height", sheet, row, 1, 1, 1, points))

    # 2b. Cells put into sheets that stay (Rencana_Aksi, Realisasi: refreshed generated cells
    # and rows appended for new indicators), each with its style when it has one.
    ops += _value_ops(edits.values, sheet_of, state.used_rows)

    # 3. The new marks: our fill, and our note unless the user has one there.
    registry: list[Mark] = []
    for key, (severity, text) in sorted(marks.items()):
        sheet, row, col = key
        before = previous.get(key)
        note = state.notes.get(key, "")
        if before is not None:
            mark = before
        else:
            has_ours = key in ours or (note is not None and is_our_note(note))
            mark = Mark(sheet, row, col, first_fill(state.fills.get(key), has_ours),
                        our_note=key not in state.notes or has_ours)
        ops.append(Op("fill", sheet, row, col, value=_hex(MARK_FILLS[severity.value])))
        if mark.our_note:
            if before is not None or key in state.notes:
                ops.append(Op("drop_note", sheet, row, col))
            body = note_text(text)
            ops.append(Op("note", sheet, row, col,
                          value=f"{mark.note}\n\n{body}" if mark.note else body))
        registry.append(Mark(sheet, row, col, mark.fill, mark.note, mark.our_note))

    # 4. The registry of marks (hidden sheet), rewritten whole.
    if registry or state.registry or state.find_sheet(REGISTRY_SHEET):
        ops += _sheet_ops(registry_spec(registry), state.find_sheet(REGISTRY_SHEET))

    # 5. Laporan_Validasi and the derived sheets, each replaced whole.
    for spec in edits.sheets:
        ops += _sheet_ops(spec, actual.get(_fold(spec.name)))

    if state.active_sheet:
        ops.append(Op("activate", state.active_sheet))
    return ops
