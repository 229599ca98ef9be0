"""The *Validasi* and *Turunkan* buttons: the CLI's core inside a live Excel, through xlwings.

The VBA module (``macros/PohonKinerja.bas``) runs::

    RunPython "import pohon_xl.excel.live as live; live.validasi()"

and the same for :func:`turunkan`. Following xlwings' own examples, the module is in two
layers:

- pure functions that never see Excel: :func:`compute` (raw cell tables -> parse, validate,
  derive, :class:`~pohon_xl.sheets.WorkbookEdits` and the summary message) and
  :func:`plan_writes` (edits + what was read -> a list of :class:`Op`, every value already made
  safe for Excel);
- a thin wrapper that only does "the Excel stuff": :func:`read_book` (one bulk read per sheet)
  and :func:`apply_ops` (bulk writes), called by the entry points.

Everything is computed before the first write, so a failure while reading or computing leaves
the workbook untouched. An exception becomes a short Indonesian message box; the traceback goes
to a log file whose path the message shows (:func:`log_path`).

Cells marked by a run (fill + note on the cell at fault) are remembered on a hidden sheet,
``_PohonXL_Tanda``, so the next run can put them back as they were: the fill they had (when the
engine can read it) and the user's own note (when there was one).

Imports are light on purpose (the button must feel instant): xlwings is imported inside the
entry points only, and nothing here imports pandas, openpyxl or lxml.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pohon_xl.errors import InputError
from pohon_xl.excel.styles import HEADER_FILL, LOOKS, MARK_FILLS, STATUS_STYLES
from pohon_xl.findings import Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawSheet, RawWorkbook
from pohon_xl.sheets import (
    POHON_STYLES, SheetSpec, WorkbookEdits, column_letter, group_marks,
)

__all__ = [
    "REGISTRY_SHEET",
    "BookState",
    "LiveRun",
    "Op",
    "apply_ops",
    "buka_laporan",
    "compute",
    "excel_value",
    "log_path",
    "plan_writes",
    "read_book",
    "turunkan",
    "validasi",
    "xl_buka_laporan",
    "xl_turunkan",
    "xl_validasi",
]

REGISTRY_SHEET = "_PohonXL_Tanda"
REGISTRY_HEADERS = ("Sheet", "Baris", "Kolom", "Isian Asli", "Catatan Asli")
TITLE = "Pohon Kinerja"
MAX_TEXT = 32767  # Excel's limit for the text of one cell
MAX_LINKS = 2000  # hyperlinks cost one call each; beyond this Laporan rows stay plain text
STATUS_WIDTH, CATATAN_WIDTH = 12, 60  # as the file writer (xlsxpatch)
_ORIGINAL_NOTE_NONE = ""  # registry: the note on this cell is ours alone
FILE_NOTE_PREFIX = "pohon-xl:"  # how the file writer's notes start (their author line)

_READ_SHEETS = {C.normalise_header(name) for name in
                (C.IDENTITAS, C.JABATAN, REGISTRY_SHEET, *(s.sheet for s in C.LEVELS))}


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

    @property
    def counts(self) -> dict[str, int]:
        counts = self.report.counts()
        return {s.value: counts.get(s, 0) for s in (Severity.GALAT, Severity.PERINGATAN,
                                                    Severity.INFO)}

    def status_line(self) -> str:
        c = self.counts
        action = "Turunkan" if self.derive else "Validasi"
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
            nomenclature: dict[str, str] | None = None) -> LiveRun:
    """The CLI's core on tables already read: the one run of a workbook
    (:func:`~pohon_xl.core.run.run_workbook`), every edit described, nothing written."""
    from pohon_xl.core.derive.registry import DERIVED_SHEETS
    from pohon_xl.core.run import run_workbook

    run = run_workbook(raw, source, derive=derive, nomenclature=nomenclature)
    edits = run.all_edits()
    return LiveRun(run.report, edits, derive, [n for n in DERIVED_SHEETS if n in run.derived])


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
class RegistryEntry:
    sheet: str
    row: int
    col: int
    fill: str = ""  # the fill the cell had before we marked it ("" = none/unknown)
    note: str = _ORIGINAL_NOTE_NONE  # the user's own note text we replaced ("" = none)


@dataclass
class BookState:
    """What :func:`read_book` saw, besides the raw tables: enough to plan the writes."""

    sheet_names: list[str] = field(default_factory=list)
    active_sheet: str = ""
    used_rows: dict[str, int] = field(default_factory=dict)  # sheet -> last used row
    registry: list[RegistryEntry] = field(default_factory=list)
    fills: dict[tuple[str, int, int], str] = field(default_factory=dict)  # cell -> #RRGGBB
    notes: dict[tuple[str, int, int], str | None] = field(default_factory=dict)  # None: unread
    had_columns: dict[str, tuple[int, int]] = field(default_factory=dict)  # Status, Catatan
    file_marks: list[RegistryEntry] = field(default_factory=list)  # notes of the file writer

    def find_sheet(self, name: str) -> str | None:
        wanted = name.casefold()
        return next((n for n in self.sheet_names if n.casefold() == wanted), None)


def _hex(rgb: str | None) -> str | None:
    return f"#{rgb.upper()}" if rgb else None


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
        for col in cols[1:] + [None]:
            if col is not None and col == prev + 1:
                prev = col
                continue
            runs.append((row, start, prev - start + 1))
            if col is not None:
                start = prev = col
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


def _sheet_ops(spec: SheetSpec, existing: str | None) -> list[Op]:
    name = existing or spec.name
    ops = [Op("sheet", name, value=False)]
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
        row, col = _split_cell(spec.freeze)
        ops.append(Op("freeze", name, row, col))
    if spec.protect:
        ops.append(Op("protect", name, value=True))
    return ops


def _runs(sizes: dict[int, float]) -> list[tuple[int, int, float]]:
    """Consecutive columns (or rows) of equal size as (first, count, size)."""
    runs: list[list] = []
    for index, size in sorted(sizes.items()):
        if runs and runs[-1][0] + runs[-1][1] == index and runs[-1][2] == size:
            runs[-1][1] += 1
        else:
            runs.append([index, 1, size])
    return [(first, count, size) for first, count, size in runs]


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
    previous = {(sheet_of(e.sheet), e.row, e.col): e for e in state.registry
                if _fold(e.sheet) in actual and _fold(e.sheet) not in replaced}

    # 1. Put back the cells the previous run marked and this one does not.
    for key, entry in sorted(previous.items()):
        if key in marks:
            continue
        sheet, row, col = key
        ops.append(Op("fill", sheet, row, col, value=_hex(entry.fill)))
        ops.append(Op("drop_note", sheet, row, col))
        if entry.note:
            ops.append(Op("note", sheet, row, col, value=entry.note))

    # 2. Status and Catatan Validasi: one block per column, from row 2 to the last used row.
    statuses = defaultdict(dict)
    for status in edits.statuses:
        statuses[_fold(status.sheet)][status.row] = status
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

    # 3. The new marks: fill and note on each cell at fault.
    registry: list[RegistryEntry] = []
    for key, (severity, text) in sorted(marks.items()):
        sheet, row, col = key
        before = previous.get(key)
        if before is not None:
            original_fill, original_note = before.fill, before.note
        else:
            original_fill = state.fills.get(key, "") or ""
            original_note = state.notes.get(key, "") or ""
        has_note = before is not None or key in state.notes
        if key in state.notes and state.notes[key] is None and before is None:
            # A note we cannot read (the engine does not say): keep the user's, mark by fill.
            ops.append(Op("fill", sheet, row, col, value=_hex(MARK_FILLS[severity.value])))
            registry.append(RegistryEntry(sheet, row, col, original_fill.lstrip("#"), ""))
            continue
        ops.append(Op("fill", sheet, row, col, value=_hex(MARK_FILLS[severity.value])))
        if has_note:
            ops.append(Op("drop_note", sheet, row, col))
        body = f"{original_note}\n\n— pohon-xl —\n{text}" if original_note else text
        ops.append(Op("note", sheet, row, col, value=body))
        registry.append(RegistryEntry(sheet, row, col, original_fill.lstrip("#"),
                                      original_note))

    # 4. The registry of marks (hidden sheet), rewritten whole.
    if registry or state.registry or state.find_sheet(REGISTRY_SHEET):
        reg = state.find_sheet(REGISTRY_SHEET) or REGISTRY_SHEET
        ops.append(Op("sheet", reg, value=True))
        matrix = [list(REGISTRY_HEADERS)] + [
            [excel_value(e.sheet), e.row, e.col, excel_value(e.fill), excel_value(e.note)]
            for e in registry]
        ops.append(Op("values", reg, 1, 1, len(matrix), len(REGISTRY_HEADERS), matrix))

    # 5. Laporan_Validasi and the derived sheets, each replaced whole.
    for spec in edits.sheets:
        ops += _sheet_ops(spec, actual.get(_fold(spec.name)))

    if state.active_sheet:
        ops.append(Op("activate", state.active_sheet))
    return ops


# ---------------------------------------------------------------------------------------------
# The Excel stuff (xlwings): read in bulk, write in bulk
# ---------------------------------------------------------------------------------------------
def _clean(value: object) -> object:
    return None if value == "" else value


def _read_values(sheet: Any) -> list[list[object]]:
    """The sheet's values from A1 to the last used cell, in one read."""
    used = sheet.used_range
    last = used.last_cell
    block = sheet.range((1, 1), (last.row, last.column))
    values = block.options(ndim=2, empty=None).value or []
    rows = [[_clean(v) for v in row] for row in values]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def _merged_ranges(sheet: Any, nrows: int, ncols: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges, if the engine can tell cheaply; otherwise none (the parser copes)."""
    if nrows < 1 or ncols < 1:
        return []
    try:
        whole = sheet.range((1, 1), (nrows, ncols))
        flag = whole.merge_cells
    except (NotImplementedError, AttributeError):
        return []
    if flag is False:
        return []
    found: set[tuple[int, int, int, int]] = set()
    probes = 0
    for col in range(1, ncols + 1):
        column = sheet.range((1, col), (nrows, col))
        if column.merge_cells is False:
            continue
        for row in range(1, nrows + 1):
            probes += 1
            if probes > 20000:
                return sorted(found)
            cell = sheet.range((row, col))
            if cell.merge_cells:
                area = cell.merge_area
                r0, c0 = area.row, area.column
                r1, c1 = r0 + area.shape[0] - 1, c0 + area.shape[1] - 1
                found.add((r0, c0, r1, c1))
    return sorted(found)


def read_book(book: Any) -> tuple[RawWorkbook, BookState]:
    """Bulk-read the contract's sheets (and our registry) of a live workbook."""
    raw: RawWorkbook = {}
    state = BookState()
    try:
        state.active_sheet = book.sheets.active.name
    except Exception:  # noqa: BLE001 - e.g. a chart sheet is active
        state.active_sheet = ""
    for sheet in book.sheets:
        name = sheet.name
        state.sheet_names.append(name)
        if C.normalise_header(name) not in _READ_SHEETS:
            continue
        rows = _read_values(sheet)
        state.used_rows[name] = len(rows)
        if C.normalise_header(name) == C.normalise_header(REGISTRY_SHEET):
            state.registry = _registry_entries(rows)
            continue
        width = max((len(r) for r in rows), default=0)
        raw[name] = RawSheet(name, rows, _merged_ranges(sheet, len(rows), width))
        state.file_marks += _file_writer_marks(sheet)
        had = _existing_columns(rows)
        if had:
            state.had_columns[name] = had
    known = {(e.sheet.casefold(), e.row, e.col) for e in state.registry}
    state.registry += [e for e in state.file_marks
                       if (e.sheet.casefold(), e.row, e.col) not in known]
    return raw, state


def _file_writer_marks(sheet: Any) -> list[RegistryEntry]:
    """Notes the file writer (``pohon-xl validasi``) left, taken over as marks of a previous
    run so that this run clears them; only where the engine reads notes (desktop Excel)."""
    found = []
    try:
        for note in sheet.notes:
            if note.text.startswith(FILE_NOTE_PREFIX):
                cell = note.location
                found.append(RegistryEntry(sheet.name, cell.row, cell.column))
    except Exception:  # noqa: BLE001 - the engine cannot list or read notes
        return []
    return found


def _registry_entries(rows: list[list[object]]) -> list[RegistryEntry]:
    entries = []
    for row in rows[1:]:
        cells = list(row) + [None] * (5 - len(row))
        try:
            entries.append(RegistryEntry(str(cells[0]), int(cells[1]), int(cells[2]),
                                         str(cells[3] or ""), str(cells[4] or "")))
        except (TypeError, ValueError):
            continue
    return entries


def _read_marked_cells(book: Any, run: LiveRun, state: BookState) -> None:
    """Before any write: the fill and note of each cell about to be marked for the first time."""
    known = {(e.sheet.casefold(), e.row, e.col) for e in state.registry}
    actual = {n.casefold(): n for n in state.sheet_names}
    for mark in run.edits.marks:
        sheet = actual.get(mark.sheet.casefold())
        if sheet is None or (sheet.casefold(), mark.row, mark.column) in known:
            continue
        key = (sheet, mark.row, mark.column)
        if key in state.fills or key in state.notes:
            continue
        cell = book.sheets[sheet].range((mark.row, mark.column))
        try:
            color = cell.color
            if color:
                state.fills[key] = "#%02X%02X%02X" % tuple(color) if not isinstance(
                    color, str) else color
        except NotImplementedError:
            pass
        note = cell.note
        if note is not None:
            try:
                text = note.text
                state.notes[key] = "" if text.startswith(FILE_NOTE_PREFIX) else text
            except NotImplementedError:
                state.notes[key] = None


def _width_for(book: Any, chars: float) -> float:
    """Column width: characters on the desktop engines, points on the remote (Office.js)."""
    if book.app.engine.name == "remote":
        return min(255.0, round((chars * 7 + 5) * 0.75, 2))
    return chars


def _set_colors(sheet: Any, row: int, col: int, colors: list[list[str | None]]) -> None:
    """Fills of a column block: one call per 10,000 cells (xlwings >= 0.37.5), else one per
    run of equal colours."""
    if hasattr(sheet.range((row, col)), "set_colors"):
        for start in range(0, len(colors), 10000):
            chunk = colors[start:start + 10000]
            sheet.range((row + start, col), (row + start + len(chunk) - 1, col)).set_colors(chunk)
        return
    runs = _runs({row + i: (line[0] or "") for i, line in enumerate(colors)})
    for first, count, color in runs:
        sheet.range((first, col), (first + count - 1, col)).color = color or None


def _protect(sheet: Any, on: bool) -> None:
    """Protect (no password) or unprotect a sheet, where the engine allows it (desktop)."""
    try:
        api = sheet.api
        if sys.platform.startswith("win"):
            api.Protect() if on else api.Unprotect()
        elif sys.platform == "darwin":
            api.protect_worksheet() if on else api.unprotect()
    except Exception:  # noqa: BLE001 - remote engine, or no such call: leave it
        pass


_FORMATS = {"fill", "bold", "font_color", "font_size", "number_format", "wrap", "align",
            "height", "merge"}
MAX_ADDRESS = 250  # Excel's Range("…") takes at most 255 characters


def _address(op: Op) -> str:
    if op.kind == "height":
        return f"{op.row}:{op.row + op.nrows - 1}"
    first = f"{column_letter(op.col)}{op.row}"
    if op.nrows == 1 and op.ncols == 1:
        return first
    return f"{first}:{column_letter(op.col + op.ncols - 1)}{op.row + op.nrows - 1}"


def _batches(ops: Sequence[Op]) -> list[list[Op]]:
    """Consecutive format operations with the same kind, sheet and value, grouped so that one
    multi-area range (``"A1:C1,A4:C4,…"``, at most :data:`MAX_ADDRESS` characters) does them
    in one call; every other operation stays alone."""
    groups: list[list[Op]] = []
    length = 0
    for op in ops:
        last = groups[-1][-1] if groups else None
        if (op.kind in _FORMATS and last is not None and last.kind == op.kind
                and last.sheet == op.sheet and last.value == op.value
                and length + 1 + len(_address(op)) <= MAX_ADDRESS):
            groups[-1].append(op)
            length += 1 + len(_address(op))
        else:
            groups.append([op])
            length = len(_address(op)) if op.kind in _FORMATS else MAX_ADDRESS
    return groups


def _format(target: Any, kind: str, value: Any) -> None:
    """One format on a range (a rectangle, or several areas on desktop Excel)."""
    if kind == "fill":
        target.color = value
    elif kind == "bold":
        target.font.bold = bool(value)
    elif kind == "font_color":
        target.font.color = value
    elif kind == "font_size":
        target.font.size = value
    elif kind == "number_format":
        target.number_format = value
    elif kind == "wrap":
        target.wrap_text = bool(value)
    elif kind == "align":
        try:
            target.horizontal_alignment = value
        except NotImplementedError:
            pass
    elif kind == "height":
        target.row_height = value
    elif kind == "merge":
        target.merge(across=bool(value))


def apply_ops(book: Any, ops: Sequence[Op], *, multi_area: bool | None = None) -> None:
    """Carry out the planned writes through xlwings' public API (any engine).

    On desktop Excel (``multi_area``, the default there) runs of the same format go out as one
    multi-area range each, which turns the thousands of format calls of a large PK sheet into
    a few hundred. A union is used only when Excel confirms its areas (``Range.Areas.Count``,
    Windows COM); elsewhere each rectangle is written on its own.
    """
    if multi_area is None:
        multi_area = book.app.engine.name == "excel"
    sheets: dict[str, Any] = {}

    def sheet(name: str) -> Any:
        if name not in sheets:
            sheets[name] = book.sheets[name]
        return sheets[name]

    def rng(op: Op) -> Any:
        s = sheet(op.sheet)
        if op.nrows == 1 and op.ncols == 1:
            return s.range((op.row, op.col))
        return s.range((op.row, op.col), (op.row + op.nrows - 1, op.col + op.ncols - 1))

    for group in _batches(ops) if multi_area else [[op] for op in ops]:
        op = group[0]
        if len(group) > 1:
            try:
                target = sheet(op.sheet).range(",".join(_address(o) for o in group))
                if target.api.Areas.Count == len(group):  # Excel's own count of the areas
                    _format(target, op.kind, op.value)
                    continue
            except Exception:  # noqa: BLE001 - no union here (Mac, remote): one by one
                pass
        for op in group:
            _apply_one(book, sheets, sheet, rng, op)


def _apply_one(book: Any, sheets: dict[str, Any], sheet: Any, rng: Any, op: Op) -> None:
    kind = op.kind
    if kind in _FORMATS:
        if kind == "height":
            sheet(op.sheet).range(_address(op)).row_height = op.value
        else:
            _format(rng(op), kind, op.value)
    elif kind == "sheet":
        existing = next((s for s in book.sheets if s.name.casefold() == op.sheet.casefold()),
                        None)
        if existing is None:
            existing = book.sheets.add(name=op.sheet, after=book.sheets[len(book.sheets) - 1])
        else:
            _protect(existing, False)  # the file writer protects derived sheets
            existing.clear()
        if op.value:
            existing.visible = False
        sheets[op.sheet] = existing
    elif kind == "values":
        matrix = op.value
        target = sheet(op.sheet).range((op.row, op.col), (op.row + len(matrix) - 1,
                                                          op.col + len(matrix[0]) - 1))
        target.options(ndim=2).value = matrix
    elif kind == "colors":
        _set_colors(sheet(op.sheet), op.row, op.col, op.value)
    elif kind == "width":
        rng(op).column_width = _width_for(book, op.value)  # every column of the range
    elif kind == "freeze":
        try:
            sheet(op.sheet).freeze_panes.freeze_at(rng(op).address.replace("$", ""))
        except (NotImplementedError, AttributeError):
            pass
    elif kind == "link":
        target, text = op.value
        rng(op).add_hyperlink(target, text_to_display=text, screen_tip=target[1:])
    elif kind == "note":
        target = rng(op)
        if hasattr(target, "add_note"):
            target.add_note(op.value)
        else:  # xlwings < 0.37: the engine's own call
            target.api.AddComment(op.value)
    elif kind == "drop_note":
        note = rng(op).note
        if note is not None:
            note.delete()
    elif kind == "protect":
        _protect(sheet(op.sheet), bool(op.value))
    elif kind == "activate":
        sheet(op.sheet).activate()
    else:  # pragma: no cover - plan_writes only emits the kinds above
        raise ValueError(f"unknown operation {kind!r}")


# ---------------------------------------------------------------------------------------------
# Entry points (RunPython) and their error handling
# ---------------------------------------------------------------------------------------------
def log_path() -> Path:
    """Where a failed button press writes its traceback: ``~/pohon-xl-galat.log``
    (``POHON_XL_LOG`` overrides it)."""
    override = os.environ.get("POHON_XL_LOG")
    return Path(override) if override else Path.home() / "pohon-xl-galat.log"


def _write_log(text: str) -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        import tempfile

        path = Path(tempfile.gettempdir()) / "pohon-xl-galat.log"
        path.write_text(text, encoding="utf-8")
    return path


def _status(app: Any, text: str | bool) -> None:
    try:
        app.status_bar = text
    except (NotImplementedError, AttributeError):
        pass  # the remote engine has no status bar


def _screen(app: Any, on: bool) -> None:
    try:
        app.screen_updating = on
    except (NotImplementedError, AttributeError):
        pass


def _alert(app: Any, text: str, mode: str) -> None:
    try:
        app.alert(text, title=TITLE, buttons="ok", mode=mode)
    except Exception:  # noqa: BLE001 - no dialog possible: the status bar still tells
        pass


def _run(derive: bool, book: Any = None) -> LiveRun | None:
    """One button press. Returns what was computed (None when it failed; see the log)."""
    import xlwings as xw

    book = book if book is not None else xw.Book.caller()
    app = book.app
    return _press(book, app, derive)


def _press(book: Any, app: Any, derive: bool) -> LiveRun | None:
    action = "Turunkan" if derive else "Validasi"
    _status(app, f"pohon-xl {action}: membaca workbook…")
    run = None
    try:
        raw, state = read_book(book)
        _status(app, f"pohon-xl {action}: memeriksa…")
        run = compute(raw, book.name, derive=derive)
        _read_marked_cells(book, run, state)
        ops = plan_writes(run.edits, state)
        _status(app, f"pohon-xl {action}: menulis hasil…")
        _screen(app, False)
        try:
            apply_ops(book, ops)
        finally:
            _screen(app, True)
        _status(app, run.status_line())
        _alert(app, run.message(), "critical" if run.report.has_errors else "info")
        _status(app, False)  # the message box was read: Excel's own status bar again
        return run
    except InputError as exc:
        path = _write_log(f"{action}: {exc}\n\n{traceback.format_exc()}")
        _status(app, False)
        _alert(app, f"{exc}\n\n(Catatan teknis tersimpan di {path})", "critical")
        return None
    except Exception as exc:  # noqa: BLE001 - a planner must never see a bare traceback
        path = _write_log(traceback.format_exc())
        _status(app, False)
        done = "" if run is None else (
            "\n\nSebagian hasil mungkin sudah tertulis; klik tombol yang sama sekali lagi "
            "setelah masalahnya diatasi.")
        _alert(app,
               f"pohon-xl tidak dapat menyelesaikan {action} ({type(exc).__name__}: {exc})."
               f"{done}\n\nRincian teknis tersimpan di:\n{path}\n\nKirim berkas itu kepada "
               "pengelola pohon-xl bila masalah berulang.", "critical")
        return None


def _existing_columns(rows: list[list[object]]) -> tuple[int, int] | None:
    """The (Status, Catatan Validasi) columns already in the header row, if both are."""
    if not rows:
        return None
    labels: dict[str, int] = {}
    for index, value in enumerate(rows[0], start=1):
        labels.setdefault(C.normalise_header(value), index)
    status = labels.get(C.normalise_header(C.STATUS))
    note = labels.get(C.normalise_header(C.CATATAN))
    return (status, note) if status and note else None


def validasi() -> LiveRun | None:
    """Button *Validasi*: check the calling workbook and mark every problem where it is."""
    return _run(derive=False)


def turunkan() -> LiveRun | None:
    """Button *Turunkan*: validate, then (re)write PK, Program, Kegiatan, … in the workbook."""
    return _run(derive=True)


def buka_laporan() -> None:
    """Jump to ``Laporan_Validasi`` (the VBA macro does this without Python too)."""
    import xlwings as xw

    book = xw.Book.caller()
    for sheet in book.sheets:
        if sheet.name.casefold() == C.LAPORAN.casefold():
            sheet.activate()
            return
    _alert(book.app, f"Sheet {C.LAPORAN} belum ada: klik Validasi dahulu.", "info")


# xlwings' naming convention for functions called from Excel.
xl_validasi = validasi
xl_turunkan = turunkan
xl_buka_laporan = buka_laporan


if __name__ == "__main__":  # pragma: no cover - `python -m pohon_xl.excel.live` with a mock
    print(__doc__, file=sys.stderr)
