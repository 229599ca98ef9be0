"""An .xlsx file -> the JSON book payload xlwings' remote engine reads (``xw.Book(json=…)``).

The shape follows xlwings' own remote tests (``tests/test_remote_*.py``) and what its Office.js
client sends: ``client``, ``version``, ``book`` {name, active_sheet_index, selection}, ``names``
and ``sheets`` [{name, values, pictures, tables, notes, used_range_address, …}]. Empty cells are
``""``, dates ISO strings ending in ``Z``. Numbers become floats by default, as Excel on the
desktop hands them over (COM has no integers), so the core sees what a real click gives it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlwings as xw
from openpyxl.utils import get_column_letter


def _value(value: object, floats: bool) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value) if floats else value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).isoformat(timespec="milliseconds") + "Z"
    return str(value)


def payload_from_xlsx(path: Path, *, client: str = "Office.js", floats: bool = True,
                      active: str | None = None) -> dict:
    book = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = ws.max_row if ws.max_row and ws.max_column else 0
        cols = ws.max_column if rows else 0
        if rows == 1 and cols == 1 and ws.cell(1, 1).value is None:
            rows = cols = 0
        values = [[_value(ws.cell(r, c).value, floats) for c in range(1, cols + 1)]
                  for r in range(1, rows + 1)]
        notes = [{"address": f"${get_column_letter(cell.column)}${cell.row}"}
                 for row in ws.iter_rows() for cell in row if cell.comment is not None]
        sheets.append({
            "name": ws.title,
            "values": values or [[]],
            "used_range_address": f"A1:{get_column_letter(cols)}{rows}" if rows else None,
            "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
            "pictures": [],
            "shapes": [],
            "charts": [],
            "tables": [],
            "notes": notes,
            "notes_supported": True,
            "print_area": None,
            "show_gridlines": True,
            "pivot_tables": [],
        })
    names = [ws.title for ws in book.worksheets]
    index = names.index(active) if active in names else book.index(book.active)
    return {
        "client": client,
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": index, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def ensure_remote_engine() -> None:
    """Register xlwings' remote engine as its ``__init__`` does, if xlwings was imported before
    ``XLWINGS_LICENSE_KEY`` was set (the licence check runs on import)."""
    import os

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" in [engine.name for engine in xw.engines]:
        return
    from xlwings.pro import _xlremote

    xw.engines.add(xw.Engine(impl=_xlremote.engine))
