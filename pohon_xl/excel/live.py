"""The *Validasi* and *Turunkan* buttons: the CLI's core inside a live Excel, through xlwings.

The VBA module (``macros/PohonKinerja.bas``) runs::

    RunPython "import pohon_xl.excel.live as live; live.validasi()"

and the same for :func:`turunkan` and :func:`capaian`. Following xlwings' own examples, the buttons are in two
layers:

- :mod:`pohon_xl.excel.live_plan`, pure, never sees Excel: :func:`compute` (raw cell tables ->
  edits and the summary) and :func:`plan_writes` (edits + what was read -> a list of
  :class:`Op`);
- this module, the thin wrapper that only does "the Excel stuff": :func:`read_book` (one bulk
  read per sheet), :func:`apply_ops` (bulk writes) and the entry points.

Everything is computed before the first write, so a failure while reading or computing leaves
the workbook untouched. An exception becomes a short Indonesian message box; the traceback goes
to a log file whose path the message shows (:func:`log_path`).

Cells marked by a run (fill + note on the cell at fault) are kept as :mod:`pohon_xl.marks`
says, the same way the file writer keeps them: recorded as values on the hidden sheet
``_PohonXL_Tanda``, so the next run — of either — puts back the fill they had and removes only
our notes.

Imports are light on purpose (the button must feel instant): xlwings is imported inside the
entry points only, and nothing here imports pandas, openpyxl or lxml.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pohon_xl.errors import InputError
from pohon_xl.excel.live_plan import (
    BookState, LiveRun, Op, _runs, compute, excel_value, note_rows, plan_writes,
)
from pohon_xl.marks import REGISTRY_HEADERS, REGISTRY_SHEET, is_our_note, read_registry
from pohon_xl.model import contract as C
from pohon_xl.model.parse import CONTRACT_SHEETS, RawSheet, RawWorkbook
from pohon_xl.sheets import column_letter

__all__ = [
    "REGISTRY_HEADERS",
    "REGISTRY_SHEET",
    "BookState",
    "LiveRun",
    "Op",
    "apply_ops",
    "buka_laporan",
    "capaian",
    "compute",
    "excel_value",
    "log_path",
    "plan_writes",
    "read_book",
    "turunkan",
    "validasi",
    "xl_buka_laporan",
    "xl_capaian",
    "xl_turunkan",
    "xl_validasi",
]

TITLE = "Pohon Kinerja"
# The contract's sheets (the sheets people fill too: a run patches them, never rebuilds them)
# and the registry of marks.
_READ_SHEETS = {C.normalise_header(name) for name in (*CONTRACT_SHEETS, REGISTRY_SHEET)}


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


def read_book(book: Any, *, values_only: bool = False) -> tuple[RawWorkbook, BookState]:
    """Bulk-read the contract's sheets (and our registry) of a live workbook.

    ``values_only`` (xlwings Lite, which raises on reading them): no merges and no notes.
    """
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
            state.registry = read_registry(rows)
            continue
        width = max((len(r) for r in rows), default=0)
        merged = [] if values_only else _merged_ranges(sheet, len(rows), width)
        raw[name] = RawSheet(name, rows, merged)
        if not values_only:
            state.our_notes |= _our_notes(sheet)
        had = _existing_columns(rows)
        if had:
            state.had_columns[name] = had
    return raw, state


def _our_notes(sheet: Any) -> set[tuple[str, int, int]]:
    """Cells whose note shows it is ours (:func:`pohon_xl.marks.is_our_note`), where the engine
    reads notes (desktop Excel): what still tells our marks when the registry is gone."""
    found = set()
    try:
        for note in sheet.notes:
            if is_our_note(note.text):
                cell = note.location
                found.add((sheet.name, cell.row, cell.column))
    except Exception:  # noqa: BLE001 - the engine cannot list or read notes
        return set()
    return found


def _read_cells(book: Any, run: LiveRun, state: BookState) -> None:
    """Before any write, where the engine can tell: the fill and note of each cell to be
    marked with no record of ours, and the fill of each cell to be put back (a fill the user
    changed since is left). Engines that cannot read them (xlwings Lite) leave them unknown:
    the registry then decides."""
    actual = {n.casefold(): n for n in state.sheet_names}
    recorded = {m.key for m in state.registry}
    wanted: dict[tuple[str, int, int], bool] = {}  # cell -> read its note too
    for mark in run.edits.marks:
        sheet = actual.get(mark.sheet.casefold())
        if sheet is not None:
            wanted[(sheet, mark.row, mark.column)] = \
                (sheet.casefold(), mark.row, mark.column) not in recorded
    for m in state.registry:
        sheet = actual.get(m.sheet.casefold())
        if sheet is not None:
            wanted.setdefault((sheet, m.row, m.col), False)
    for key in state.our_notes:
        wanted.setdefault(key, False)
    colors = True  # until the engine says it cannot read them
    for key, with_note in wanted.items():
        if (key in state.fills or not colors) and not with_note:
            continue
        sheet, row, col = key
        cell = book.sheets[sheet].range((row, col))
        try:
            if colors and key not in state.fills:
                color = cell.color
                state.fills[key] = "" if not color else color if isinstance(color, str) \
                    else "#%02X%02X%02X" % tuple(color)
        except NotImplementedError:
            colors = False
        if not with_note:
            continue
        note = cell.note
        if note is not None:
            try:
                state.notes[key] = note.text
            except NotImplementedError:
                state.notes[key] = None


def _read_heights(book: Any, run: LiveRun, state: BookState) -> None:
    """The heights of the rows whose note wraps, where the engine reads them (desktop; the
    remote engines cannot: those rows are left to Excel)."""
    actual = {n.casefold(): n for n in state.sheet_names}
    for name, row, _ in note_rows(run.edits):
        sheet = actual.get(name.casefold())
        if sheet is None:
            continue
        try:
            height = book.sheets[sheet].range((row, 1)).row_height
        except NotImplementedError:
            return
        if isinstance(height, (int, float)):
            state.row_heights[(sheet, row)] = float(height)


def _width_for(book: Any, chars: float) -> float:
    """Column width: characters on the desktop engines, points on the remote (Office.js)."""
    if book.app.engine.name == "remote":
        return min(255.0, round((chars * 7 + 5) * 0.75, 2))
    return chars


def _set_colors(sheet: Any, row: int, col: int, colors: list[list[Any]]) -> None:
    """Fills of a block (``...`` leaves a cell's fill): one call per 10,000 cells (xlwings >=
    0.37.5), else, for a column block, one per run of equal colours."""
    if hasattr(sheet.range((row, col)), "set_colors"):
        width = len(colors[0])
        step = max(1, 10000 // width)
        for start in range(0, len(colors), step):
            chunk = colors[start:start + step]
            sheet.range((row + start, col),
                        (row + start + len(chunk) - 1, col + width - 1)).set_colors(chunk)
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


def _run(derive: bool, book: Any = None, only: Sequence[str] = ()) -> LiveRun | None:
    """One button press. Returns what was computed (None when it failed; see the log)."""
    import xlwings as xw

    book = book if book is not None else xw.Book.caller()
    app = book.app
    return _press(book, app, derive, only)


def _press(book: Any, app: Any, derive: bool, only: Sequence[str] = ()) -> LiveRun | None:
    action = "Capaian" if only else "Turunkan" if derive else "Validasi"
    _status(app, f"pohon-xl {action}: membaca workbook…")
    run = None
    try:
        raw, state = read_book(book)
        _status(app, f"pohon-xl {action}: memeriksa…")
        run = compute(raw, book.name, derive=derive, only=only)
        _read_cells(book, run, state)
        _read_heights(book, run, state)
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


def capaian() -> LiveRun | None:
    """Button *Capaian*: validate, then (re)write Capaian_Kinerja and LKjIP from `Realisasi`."""
    from pohon_xl.core.derive.registry import CAPAIAN_SHEETS

    return _run(derive=True, only=CAPAIAN_SHEETS)


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
xl_capaian = capaian
xl_buka_laporan = buka_laporan


if __name__ == "__main__":  # pragma: no cover - `python -m pohon_xl.excel.live` with a mock
    print(__doc__, file=sys.stderr)
