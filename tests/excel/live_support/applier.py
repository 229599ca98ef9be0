"""Apply the actions xlwings' remote engine recorded (``book.json()``) to a file, with openpyxl.

A test-only stand-in for the Office.js client: it does to the workbook what Excel would do
with each action the live adapter emits, and refuses what Excel would get wrong on our behalf:
a text written by ``setValues`` that Excel would parse as a formula, number, date or boolean
(only an apostrophe-prefixed text is kept as text, without its apostrophe).
"""

from __future__ import annotations

import re
from copy import copy
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

_NUMBERISH = re.compile(r"^[\s\d.,:/%()+\-]*\d[\s\d.,:/%()+\-]*$")


def _with(style, **changes):
    new = copy(style)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


class ExcelWouldConvert(AssertionError):
    """A value Excel would not keep as the text it is."""


def excel_typed(value: object) -> object:
    """What Excel stores when a client writes ``value`` into a cell (like typing it)."""
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    if value.startswith("'"):
        return value[1:]
    if value[0] in "=+-@":
        raise ExcelWouldConvert(f"Excel would read {value[:40]!r} as a formula")
    try:
        float(value.replace(",", "."))
    except ValueError:
        pass
    else:
        raise ExcelWouldConvert(f"Excel would read {value!r} as a number")
    if _NUMBERISH.match(value) or value.strip().upper() in {"TRUE", "FALSE", "BENAR", "SALAH"}:
        raise ExcelWouldConvert(f"Excel would convert {value!r}")
    return value


class Applier:
    def __init__(self, source: Path, payload: dict) -> None:
        self.book = openpyxl.load_workbook(source)
        self.order = [ws.title for ws in self.book.worksheets]
        self.alerts: list[list] = []
        self.unhandled: list[str] = []
        self.active = self.order[payload["book"]["active_sheet_index"]]

    def ws(self, action: dict):
        return self.book[self.order[action["sheet_position"]]]

    @staticmethod
    def cells(ws, action: dict):
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for r in range(r0, r0 + action["row_count"]):
            for c in range(c0, c0 + action["column_count"]):
                yield ws.cell(r, c)

    def apply(self, actions: list[dict]) -> None:
        for action in actions:
            handler = getattr(self, "do_" + action["func"], None)
            if handler is None:
                self.unhandled.append(action["func"])
            else:
                handler(action)

    def save(self, path: Path) -> Path:
        self.book.active = self.book.worksheets.index(self.book[self.active])
        for ws in self.book.worksheets:
            ws.sheet_view.tabSelected = ws.title == self.active
        self.book.save(path)
        return path

    # -- sheets -------------------------------------------------------------------------
    def do_addSheet(self, action: dict) -> None:
        index, name = action["args"]
        self.book.create_sheet(name, index)
        self.order.insert(index, name)
        self.active = name

    def do_sheetClear(self, action: dict) -> None:
        ws = self.ws(action)
        index, name, state = self.order.index(ws.title), ws.title, ws.sheet_state
        self.book.remove(ws)
        fresh = self.book.create_sheet(name, index)
        fresh.sheet_state = state

    def do_sheetDelete(self, action: dict) -> None:
        ws = self.ws(action)
        index = self.order.index(ws.title)
        self.book.remove(ws)
        self.order.remove(ws.title)
        if self.active == ws.title:  # Excel shows the neighbour
            self.active = self.order[min(index, len(self.order) - 1)]

    def do_setSheetVisibility(self, action: dict) -> None:
        self.ws(action).sheet_state = "hidden" if action["args"][0] == "Hidden" else "visible"

    def do_activateSheet(self, action: dict) -> None:
        self.active = self.order[action["args"][0]]

    def do_setScreenUpdating(self, action: dict) -> None:
        pass

    def do_alert(self, action: dict) -> None:
        self.alerts.append(action["args"])

    # -- values and looks ---------------------------------------------------------------
    def do_setValues(self, action: dict) -> None:
        ws = self.ws(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                ws.cell(r0 + i, c0 + j).value = excel_typed(value)

    def _fill(self, cell, color: str | None) -> None:
        cell.fill = PatternFill("solid", fgColor=color.lstrip("#").upper()) if color \
            else PatternFill(fill_type=None)

    def do_setRangeColor(self, action: dict) -> None:
        for cell in self.cells(self.ws(action), action):
            self._fill(cell, action["args"][0])

    def do_setRangeColors(self, action: dict) -> None:
        ws = self.ws(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["args"][0]):
            for j, color in enumerate(row):
                if color != "keep":
                    self._fill(ws.cell(r0 + i, c0 + j), color)

    def do_setFontProperty(self, action: dict) -> None:
        prop, value = action["args"][:2]
        for cell in self.cells(self.ws(action), action):
            changes = ({"bold": bool(value)} if prop == "bold" else
                       {"color": value.lstrip("#").upper()} if prop == "color" else
                       {"sz": value} if prop == "size" else
                       {"italic": bool(value)} if prop == "italic" else {})
            cell.font = _with(cell.font, **changes)

    def do_setNumberFormat(self, action: dict) -> None:
        for cell in self.cells(self.ws(action), action):
            cell.number_format = action["args"][0]

    def do_setWrapText(self, action: dict) -> None:
        for cell in self.cells(self.ws(action), action):
            cell.alignment = _with(cell.alignment, wrap_text=bool(action["args"][0]))

    def do_setHorizontalAlignment(self, action: dict) -> None:
        for cell in self.cells(self.ws(action), action):
            cell.alignment = _with(cell.alignment, horizontal=action["args"][0].lower())

    def do_setColumnWidth(self, action: dict) -> None:
        ws = self.ws(action)
        points = action["args"][0]
        for c in range(action["start_column"] + 1,
                       action["start_column"] + 1 + action["column_count"]):
            ws.column_dimensions[get_column_letter(c)].width = round((points / 0.75 - 5) / 7, 2)

    def do_setRowHeight(self, action: dict) -> None:
        ws = self.ws(action)
        for r in range(action["start_row"] + 1, action["start_row"] + 1 + action["row_count"]):
            ws.row_dimensions[r].height = action["args"][0]

    def do_rangeMerge(self, action: dict) -> None:
        ws = self.ws(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        r1, c1 = r0 + action["row_count"] - 1, c0 + action["column_count"] - 1
        if action["args"][0]:  # across: every row on its own
            for r in range(r0, r1 + 1):
                ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
        else:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    def do_freezePaneAtRange(self, action: dict) -> None:
        self.ws(action).freeze_panes = action["args"][0]

    def do_addHyperlink(self, action: dict) -> None:
        address, text, _tip = action["args"]
        cell = next(self.cells(self.ws(action), action))
        cell.hyperlink = address  # "#'Sheet'!A1": a location inside the workbook
        if text:
            cell.value = excel_typed(text) if not isinstance(cell.value, (int, float)) \
                else cell.value

    # -- notes --------------------------------------------------------------------------
    def do_addNote(self, action: dict) -> None:
        address, text = action["args"]
        ws = self.ws(action)
        cell = ws[address.replace("$", "")]
        assert cell.comment is None, f"{ws.title}!{address} already has a note"
        cell.comment = Comment(text, "pohon-xl")

    def do_setNoteText(self, action: dict) -> None:
        address, text = action["args"]
        cell = self.ws(action)[address.replace("$", "")]
        cell.comment = Comment(text, cell.comment.author if cell.comment else "pohon-xl")

    def do_deleteNote(self, action: dict) -> None:
        address = action["args"][0]
        self.ws(action)[address.replace("$", "")].comment = None


def apply_actions(source: Path, target: Path, payload: dict, actions: list[dict]) -> Applier:
    applier = Applier(source, payload)
    applier.apply(actions)
    applier.save(target)
    return applier
