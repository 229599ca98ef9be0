"""The *Validasi*, *Turunkan* and *Buka Laporan* buttons in xlwings Lite (Python in Excel's
own add-in, no local install): the CLI's core on the values Lite hands over.

The script that ``pohon-xl lite`` writes (:mod:`pohon_xl.excel.lite_bundle`) decorates the three
entry points here with ``@xw.script``; Lite calls them with the workbook (``book: xw.Book``),
its values already loaded, and carries out the actions they queue when they return.

What differs from the desktop buttons (:mod:`pohon_xl.excel.live`):

- only values are read (sheet names, used ranges, cell values): Lite raises
  ``NotImplementedError`` on reading colours, notes, merges and widths, so which marks are ours
  and what a fixed cell gets back come from the registry sheet (:mod:`pohon_xl.marks`) alone;
- writes are grouped further: every fill of a sheet goes out as a few ``set_colors`` blocks
  (a colour per cell, ``...`` = leave as it is) instead of one call per cell or rectangle;
- a failure is told with an alert and the sheet :data:`ERROR_SHEET` (there is no home folder
  a planner could open in the browser), never a traceback alone.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pohon_xl.errors import InputError
from pohon_xl.excel import live
from pohon_xl.excel.live import TITLE, apply_ops
from pohon_xl.excel.live_plan import BookState, LiveRun, Op, compute, excel_value, plan_writes
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawWorkbook

__all__ = [
    "ERROR_SHEET",
    "MAX_COLORS",
    "buka_laporan",
    "group_fills",
    "group_formats",
    "read_book",
    "turunkan",
    "validasi",
]

ERROR_SHEET = "PohonXL_Galat"
MAX_COLORS = 10_000  # cells per Range.set_colors call (xlwings' limit)
_MAX_GAP = 20  # empty rows a fill block may span before a new block is cheaper
_REACH = 60  # rows a format rectangle may still grow over without taking a cell (speed)


def read_book(book: Any) -> tuple[RawWorkbook, BookState]:
    """The contract's sheets and the marks registry, as values; nothing else is read."""
    return live.read_book(book, values_only=True)


# ---------------------------------------------------------------------------------------------
# Fewer calls: the fills of a sheet as a few colour blocks
# ---------------------------------------------------------------------------------------------
def _bands(sheet: str, cells: dict[tuple[int, int], str | None]) -> list[Op]:
    """Cover the cells with blocks of at most :data:`MAX_COLORS` cells, row band by row band;
    a cell of a block not in ``cells`` keeps its fill (``...``)."""
    rows: dict[int, list[int]] = defaultdict(list)
    for r, c in cells:
        rows[r].append(c)
    bands: list[tuple[int, int, int, int]] = []  # first row, last row, first col, last col
    for r in sorted(rows):
        lo, hi = min(rows[r]), max(rows[r])
        if bands:
            r0, r1, c0, c1 = bands[-1]
            n0, n1 = min(c0, lo), max(c1, hi)
            if r - r1 <= _MAX_GAP and (r - r0 + 1) * (n1 - n0 + 1) <= MAX_COLORS:
                bands[-1] = (r0, r, n0, n1)
                continue
        bands.append((r, r, lo, hi))
    return [Op("colors", sheet, r0, c0, r1 - r0 + 1, c1 - c0 + 1,
               [[cells.get((r, c), ...) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)])
            for r0, r1, c0, c1 in bands]


def group_fills(ops: Sequence[Op]) -> list[Op]:
    """The same writes with every ``fill`` of a sheet gathered into colour blocks, placed where
    the sheet's first fill was. Fills only ever follow their sheet's creation or clearing (the
    plan's order), and a later fill of a cell wins, as it did one call at a time."""
    fills: dict[str, dict[tuple[int, int], str | None]] = {}
    rest: list[Op | str] = []  # a sheet name marks where its blocks go
    for op in ops:
        if op.kind != "fill":
            rest.append(op)
            continue
        if op.sheet not in fills:
            fills[op.sheet] = {}
            rest.append(op.sheet)
        for r in range(op.row, op.row + op.nrows):
            for c in range(op.col, op.col + op.ncols):
                fills[op.sheet][(r, c)] = op.value
    out: list[Op] = []
    for item in rest:
        if isinstance(item, str):
            out += _bands(item, fills[item])
        else:
            out.append(item)
    return out


_FONT_LIKE = frozenset({"bold", "italic", "font_color", "font_size", "wrap", "align",
                        "number_format"})  # invisible on an empty cell, unlike a fill


def _cover(required: set[tuple[int, int]], filled: dict[int, set[int]]
           ) -> list[tuple[int, int, int, int]]:
    """Few rectangles (row, col, nrows, ncols) covering every required cell and no other
    filled one (``filled``: row -> columns); empty cells may be covered. Row by row: a
    rectangle grows down while its columns meet no forbidden cell; required cells it does not
    take start new rectangles, one per stretch between forbidden cells."""
    needed: dict[int, list[int]] = defaultdict(list)
    for r, c in required:
        needed[r].append(c)

    def blocked(row: int) -> set[int]:
        return filled.get(row, set()).difference(needed.get(row, ()))

    rects: list[list[int]] = []  # first row, last row with a required cell, first col, last col
    growing: list[list[int]] = []
    previous = 0
    for r in sorted(needed):
        between = set().union(*(blocked(g) for g in range(previous + 1, r + 1)))
        growing = [rect for rect in growing if rect[1] >= r - _REACH
                   and not any(rect[2] <= c <= rect[3] for c in between)]
        fresh: list[int] = []
        for c in sorted(set(needed[r])):
            rect = next((g for g in growing if g[2] <= c <= g[3]), None)
            if rect is not None:
                rect[1] = r
            else:
                fresh.append(c)
        stops = sorted(blocked(r))
        run: list[int] = []
        for c in fresh:
            if run and any(run[-1] < s < c for s in stops):
                rects.append([r, r, run[0], run[-1]])
                growing.append(rects[-1])
                run = []
            run.append(c)
        if run:
            rects.append([r, r, run[0], run[-1]])
            growing.append(rects[-1])
        previous = r
    return [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, r1, c0, c1 in rects]


def group_formats(ops: Sequence[Op]) -> list[Op]:
    """Fonts, wrapping, alignment and number formats of each sheet pohon-xl writes whole
    (created or cleared, then its values in one block) as few rectangles: they may span the
    empty cells between the cells that need a look, never a filled-in cell that must not have
    it. Placed where the sheet's first such operation was."""
    content: dict[str, dict[int, set[int]]] = {}  # sheets written whole: row -> filled cols
    for op in ops:
        if op.kind == "sheet":
            content[op.sheet] = {}
        elif op.kind == "values" and op.sheet in content and (op.row, op.col) == (1, 1):
            content[op.sheet] = {r + 1: {c + 1 for c, v in enumerate(line) if v is not None}
                                 for r, line in enumerate(op.value)}
    looks: dict[tuple[str, str], dict[tuple[int, int], Any]] = defaultdict(dict)
    rest: list[Op | tuple[str, str]] = []
    for op in ops:
        if op.kind not in _FONT_LIKE or op.sheet not in content:
            rest.append(op)
            continue
        key = (op.sheet, op.kind)
        if key not in looks:
            rest.append(key)
        for r in range(op.row, op.row + op.nrows):
            for c in range(op.col, op.col + op.ncols):
                looks[key][(r, c)] = op.value
    out: list[Op] = []
    for item in rest:
        if isinstance(item, Op):
            out.append(item)
            continue
        sheet, kind = item
        cells = looks[item]
        filled = content[sheet]
        by_value: dict[Any, set[tuple[int, int]]] = defaultdict(set)
        for cell, v in cells.items():
            if cell[1] in filled.get(cell[0], ()):
                by_value[v].add(cell)
        for value in sorted(by_value, key=repr):
            out += [Op(kind, sheet, r, c, nr, nc, value)
                    for r, c, nr, nc in sorted(_cover(by_value[value], filled))]
    return out


# ---------------------------------------------------------------------------------------------
# Entry points (decorated with @xw.script in the generated main.py)
# ---------------------------------------------------------------------------------------------
def _alert(book: Any, text: str, mode: str) -> None:
    book.app.alert(text, title=TITLE, buttons="ok", mode=mode)


def _notes_supported(book: Any) -> bool:
    """Notes need ExcelApi 1.18 (Excel 2021 and older lack it); Lite says so per sheet, and
    an older add-in sends no notes at all (xlwings then refuses to add one)."""
    return all(sheet.api.get("notes") is not None
               and sheet.api.get("notes_supported") is not False for sheet in book.sheets)


def _drop_error_sheet(book: Any) -> None:
    for sheet in book.sheets:
        if sheet.name.casefold() == ERROR_SHEET.casefold():
            sheet.delete()
            return


def _error_sheet(book: Any, action: str, message: str, details: str) -> None:
    """The failure, where a planner sees it and can send it on: what happened, what to do, and
    the technical details for whoever maintains pohon-xl."""
    rows: list[list[object]] = [
        [f"pohon-xl tidak dapat menyelesaikan {action}"],
        [message],
        ["Perbaiki hal di atas lalu klik tombol yang sama sekali lagi. Bila masalah berulang, "
         "kirim workbook ini (atau isi sheet ini) kepada pengelola pohon-xl."],
        [None],
        ["Rincian teknis (untuk pengelola pohon-xl):"],
    ]
    rows += [[line] for line in details.rstrip().splitlines()]
    existing = next((s for s in book.sheets if s.name.casefold() == ERROR_SHEET.casefold()),
                    None)
    if existing is None:
        sheet = book.sheets.add(name=ERROR_SHEET, after=book.sheets[len(book.sheets) - 1])
    else:
        existing.clear()
        sheet = existing
    sheet.range((1, 1), (len(rows), 1)).options(ndim=2).value = \
        [[excel_value(v) for v in row] for row in rows]
    sheet.range((1, 1)).font.bold = True
    sheet.range((5, 1)).font.bold = True
    sheet.range((1, 1), (3, 1)).wrap_text = True
    sheet.range((1, 1)).column_width = 480  # points in Lite: about 90 characters
    sheet.activate()


def _press(book: Any, derive: bool) -> LiveRun | None:
    action = "Turunkan" if derive else "Validasi"
    actions: list[Any] = book.json()["actions"]
    try:
        raw, state = read_book(book)
        if state.active_sheet.casefold() == ERROR_SHEET.casefold():
            state.active_sheet = ""  # the sheet goes away when the run succeeds
        run = compute(raw, book.name, derive=derive)
        ops = group_formats(group_fills(plan_writes(run.edits, state)))
        if not _notes_supported(book):  # the message stays in Catatan Validasi
            ops = [op for op in ops if op.kind not in ("note", "drop_note")]
    except InputError as exc:
        _error_sheet(book, action, str(exc), traceback.format_exc())
        _alert(book, f"{exc}\n\nRincian: sheet {ERROR_SHEET}.", "critical")
        return None
    except Exception as exc:  # noqa: BLE001 - a planner must never see a bare traceback
        message = f"Terjadi kesalahan tak terduga ({type(exc).__name__}: {exc})."
        _error_sheet(book, action, message, traceback.format_exc())
        _alert(book, f"pohon-xl tidak dapat menyelesaikan {action}. {message}\n\n"
               f"Rincian: sheet {ERROR_SHEET}.", "critical")
        return None
    written = len(actions)
    try:
        _drop_error_sheet(book)
        apply_ops(book, ops, multi_area=False)
    except Exception as exc:  # noqa: BLE001 - Lite carries out nothing of a half-queued run
        del actions[written:]
        _alert(book, f"pohon-xl tidak dapat menuliskan hasil {action} "
               f"({type(exc).__name__}: {exc}); workbook tidak diubah. Kirim workbook ini "
               "kepada pengelola pohon-xl bila masalah berulang.", "critical")
        return None
    _alert(book, run.message(), "critical" if run.report.has_errors else "info")
    return run


def validasi(book: Any) -> LiveRun | None:
    """Validasi: check the workbook and mark every problem where it is."""
    return _press(book, derive=False)


def turunkan(book: Any) -> LiveRun | None:
    """Turunkan: validate, then (re)write PK, Program, Kegiatan, … in the workbook."""
    return _press(book, derive=True)


def buka_laporan(book: Any) -> None:
    """Buka Laporan: go to ``Laporan_Validasi``."""
    for sheet in book.sheets:
        if sheet.name.casefold() == C.LAPORAN.casefold():
            sheet.activate()
            return
    _alert(book, f"Sheet {C.LAPORAN} belum ada: klik Validasi dahulu.", "info")
