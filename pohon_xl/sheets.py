"""Pure descriptions of what to write into a workbook: new sheets and marks on input sheets.

The core (validation report rendering, derivations, the tree drawing) produces these; an
adapter (the zip-level patcher for files, xlwings for live Excel) applies them. Nothing here
touches a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from typing import TypeVar

from pohon_xl.findings import Severity

K = TypeVar("K")

# Named cell styles every adapter knows how to render (see excel/styles.py for the looks).
STYLE_NAMES = (
    "text",  # wrapped, top-aligned, thin border
    "text_center",  # as text, centred
    "header",  # bold, wrapped, centred, header fill, border
    "number",  # #,##0.## with border
    "money",  # Rp #,##0 with border
    "percent",  # 0.0% with border
    "title",  # bold 14 pt, centred, no border
    "subtitle",  # bold, no border
    "plain",  # no border, wrapped
    "bold",  # bold, no border
    "link",  # blue underlined, border (internal hyperlinks)
    "total",  # bold number with border (totals rows)
    "total_money",  # bold money with border
    "galat",  # red fill, border (status cells)
    "peringatan",  # amber fill, border
    "info",  # blue fill, border
    "ok",  # green fill, border
    # The `Pohon` sheet (the tree drawn with cells); exact looks in POHON_STYLES below.
    "box_l1",  # box body of an L1 node: light level fill, level-coloured border, wrapped 9 pt
    "box_l2",  # ... L2
    "box_l3",  # ... L3
    "box_l4",  # ... L4
    "box_l5",  # ... L5
    "box_l6",  # ... L6
    "head_l1",  # box header line / band label of L1: dark level fill, white bold, centred
    "head_l2",  # ... L2
    "head_l3",  # ... L3
    "head_l4",  # ... L4
    "head_l5",  # ... L5
    "head_l6",  # ... L6
    "box_galat",  # box header line of a node with a Galat: red fill, white bold
    "box_peringatan",  # box header line of a node with a Peringatan: amber fill, bold
    "line_v",  # connector: vertical line on the cell's right edge (medium, dark grey)
    "line_h",  # connector: horizontal line on the cell's bottom edge
    "line_vh",  # connector: right and bottom edges (where a vertical meets the bar)
    # The sheets people fill (Rencana_Aksi, Realisasi): a light fill marks what is typed.
    "input",  # as text, input fill
    "input_number",  # as number, input fill
    "input_money",  # as money, input fill
    "unused",  # grey fill, border: a cell that is not filled for this row (budget off L5)
)

# Level colours of the tree pictures (the `Pohon` sheet and `pohon-xl gambar`):
# level -> (dark header colour, light box colour), RRGGBB. No red/amber: those mark findings.
LEVEL_COLORS: dict[int, tuple[str, str]] = {
    1: ("1F4E79", "DDEBF7"),  # navy
    2: ("38761D", "E2EFDA"),  # green
    3: ("674EA7", "E4DFEC"),  # purple
    4: ("0B7285", "D5F0F3"),  # teal
    5: ("44546A", "D6DCE4"),  # slate
    6: ("595959", "EDEDED"),  # grey
}
GALAT_COLOR = "C00000"
PERINGATAN_COLOR = "FFC000"
LINE_COLOR = "404040"

_ALL_SIDES = {"left": "thin", "right": "thin", "top": "thin", "bottom": "thin"}

# The looks of the `Pohon` styles, for the file writer and the live adapter. Keys of a look:
#   fill: RRGGBB solid fill (absent: no fill)      font_color: RRGGBB (absent: automatic)
#   bold: bool    size: font size in points (absent: the workbook default)
#   wrap: bool    horizontal: "left" | "center"    vertical: "top" | "center"
#   borders: {side: "thin" | "medium"} for sides among left/right/top/bottom
#   border_color: RRGGBB of those borders
POHON_STYLES: dict[str, dict] = {
    **{
        f"box_l{level}": {
            "fill": light,
            "size": 9,
            "wrap": True,
            "horizontal": "left",
            "vertical": "top",
            "borders": dict(_ALL_SIDES),
            "border_color": dark,
        }
        for level, (dark, light) in LEVEL_COLORS.items()
    },
    **{
        f"head_l{level}": {
            "fill": dark,
            "font_color": "FFFFFF",
            "bold": True,
            "size": 9,
            "wrap": True,
            "horizontal": "center",
            "vertical": "center",
            "borders": dict(_ALL_SIDES),
            "border_color": dark,
        }
        for level, (dark, light) in LEVEL_COLORS.items()
    },
    "box_galat": {
        "fill": GALAT_COLOR,
        "font_color": "FFFFFF",
        "bold": True,
        "size": 9,
        "wrap": True,
        "horizontal": "center",
        "vertical": "center",
        "borders": dict(_ALL_SIDES),
        "border_color": GALAT_COLOR,
    },
    "box_peringatan": {
        "fill": PERINGATAN_COLOR,
        "font_color": "000000",
        "bold": True,
        "size": 9,
        "wrap": True,
        "horizontal": "center",
        "vertical": "center",
        "borders": dict(_ALL_SIDES),
        "border_color": "BF9000",
    },
    "line_v": {"borders": {"right": "medium"}, "border_color": LINE_COLOR},
    "line_h": {"borders": {"bottom": "medium"}, "border_color": LINE_COLOR},
    "line_vh": {"borders": {"right": "medium", "bottom": "medium"}, "border_color": LINE_COLOR},
}


@dataclass(frozen=True, slots=True, init=False)
class Cell:
    """A value to write. Strings are always written as text, never as formulas."""

    value: str | int | float | None
    style: str = "text"
    link: str = ""  # internal target, e.g. "'L1_Sasaran_Daerah'!C4"

    def __init__(self, value: str | int | float | None, style: str = "text",
                 link: str = "") -> None:
        # A large run makes hundreds of thousands: the slots are set directly, not through
        # object.__setattr__ by name as a frozen dataclass's own __init__ does (1.7x slower).
        _set_value(self, value)
        _set_style(self, style)
        _set_link(self, link)


# The slots' own setters (member descriptors; what a frozen class's __setattr__ refuses).
_set_value, _set_style, _set_link = (Cell.__dict__[name].__set__
                                     for name in ("value", "style", "link"))


@dataclass
class PrintSetup:
    landscape: bool = False
    paper: str = "A4"  # "A4" or "A3"
    fit_to_width: bool = True
    scale: int = 0  # percent, when not fitted to width (0: 100 %)
    title_rows: str = ""  # repeated rows, e.g. "1:1"
    title_columns: str = ""  # repeated columns on every page across, e.g. "A:B"
    area: str = ""  # e.g. "A1:F40"
    row_breaks: list[int] = field(default_factory=list)  # page break after these rows
    column_breaks: list[int] = field(default_factory=list)  # page break after these columns


@dataclass
class SheetSpec:
    """A whole sheet written by the processor (replaced on every run)."""

    name: str
    rows: list[list[Cell | None]] = field(default_factory=list)  # rows[0] is Excel row 1
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    heights: dict[int, float] = field(default_factory=dict)  # 1-based row -> height (points)
    merges: list[str] = field(default_factory=list)  # "A1:E1"
    freeze: str = ""  # top-left cell of the scrolling pane, e.g. "A2"
    autofilter: str = ""  # e.g. "A1:H40"
    protect: bool = True  # derived sheets: protected without a password
    print: PrintSetup = field(default_factory=PrintSetup)
    tab_color: str = ""  # RRGGBB
    hidden: bool = False  # e.g. the marks registry (pohon_xl.marks)
    # Dropdowns: (cell range, the values offered), e.g. ("H2:H40", ("Kumulatif", ...)).
    validations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def values(self) -> list[list[object]]:
        """Cell values only: what golden files and tests compare."""
        return [[c.value if c is not None else None for c in row] for row in self.rows]


@dataclass(frozen=True)
class RowStatus:
    """`Status` and `Catatan Validasi` for one row of an input sheet."""

    sheet: str
    row: int
    status: str  # OK, Peringatan or Galat
    notes: str


@dataclass(frozen=True)
class CellMark:
    """Highlight a cell at fault and attach a note (Excel comment) to it."""

    sheet: str
    row: int
    column: int
    severity: Severity
    note: str


def group_marks(marks: Iterable[CellMark], key: Callable[[CellMark], K]
                ) -> dict[K, tuple[Severity, str]]:
    """One mark per cell (as ``key`` names it): the worst severity and every note, in order,
    without repeats; cells in the order first met. What every writer puts on a cell."""
    grouped: dict[K, tuple[Severity, list[str]]] = {}
    for mark in marks:
        where = key(mark)
        severity, notes = grouped.get(where, (mark.severity, []))
        if mark.severity.rank < severity.rank:
            severity = mark.severity
        if mark.note not in notes:
            notes.append(mark.note)
        grouped[where] = (severity, notes)
    return {where: (severity, "\n".join(notes)) for where, (severity, notes) in grouped.items()}


@dataclass(frozen=True)
class CellValue:
    """A value put into a cell of an input sheet, keeping the cell's format (``None``
    empties it); only commands that change the plan itself use it (``tahun-baru``)."""

    sheet: str
    row: int
    column: int
    value: str | int | float | None
    style: str = ""  # a named style given to the cell ("": its own format kept)
    # A cell of a row added below the sheet's data: a writer moves the rows so added down
    # past the last row holding anything (a formula a reader saw as empty, say), never onto it.
    append: bool = False


def appended_below(values: list[CellValue], last_row: int) -> list[CellValue]:
    """``values`` with the appended rows moved down, when needed, to start below
    ``last_row`` (the last row of the sheet that holds anything), keeping their order."""
    first = min((value.row for value in values if value.append), default=0)
    shift = last_row + 1 - first if first and last_row >= first else 0
    if not shift:
        return values
    return [replace(value, row=value.row + shift) if value.append else value
            for value in values]


@dataclass
class WorkbookEdits:
    """Everything one run changes in a workbook; all else is kept as it was."""

    status_columns: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> cols
    statuses: list[RowStatus] = field(default_factory=list)
    marks: list[CellMark] = field(default_factory=list)
    sheets: list[SheetSpec] = field(default_factory=list)  # added at the end, or replaced
    clear_marks: bool = True  # remove the marks and notes a previous run left
    values: list[CellValue] = field(default_factory=list)


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """Excel's name of a 1-based column: 1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_link(sheet: str, row: int, column: int) -> str:
    """An internal link to a cell (``'Sheet'!C4``), the sheet quoted as a formula quotes it."""
    return "'" + sheet.replace("'", "''") + f"'!{column_letter(column or 1)}{row or 1}"
