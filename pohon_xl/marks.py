"""Which marks (fill + note on a cell at fault) are ours, and what a cell gets back.

One way of keeping mark state, for every writer (the file writer and the live adapter):

- our notes are recognised by what they show: author ``pohon-xl`` or text starting with
  ``pohon-xl:`` (Excel, LibreOffice, openpyxl and XlsxWriter all keep both);
- our fills are exactly the colours of :data:`~pohon_xl.excel.styles.MARK_FILLS`;
- what a cell had before we marked it (its fill, whether the note on it is ours) is kept as
  plain values on the hidden sheet :data:`REGISTRY_SHEET`, which every one of those
  applications keeps, and which an adapter that cannot read colours or notes can read.

When the registry is missing (deleted, or written by a tool that dropped it), a cell that shows
one of our fills and carries our note is still known as ours and is cleared to no fill. A fill
that is not one of ours is never changed: the user made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pohon_xl.excel.styles import MARK_FILLS
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec

__all__ = [
    "NOTE_AUTHOR",
    "NOTE_PREFIX",
    "REGISTRY_HEADERS",
    "REGISTRY_SHEET",
    "Mark",
    "fill_value",
    "first_fill",
    "is_mark_fill",
    "is_our_note",
    "note_text",
    "read_registry",
    "registry_spec",
    "restored_fill",
]

REGISTRY_SHEET = "_PohonXL_Tanda"
# "Catatan Asli": a user's note an earlier version merged into ours (put back on clearing);
# "Catatan Kami": "ya" when the note on the cell is ours (absent in earlier versions' sheets).
REGISTRY_HEADERS = ("Sheet", "Baris", "Kolom", "Isian Asli", "Catatan Asli", "Catatan Kami")
NOTE_AUTHOR = "pohon-xl"
NOTE_PREFIX = "pohon-xl:"  # the first line of our notes, as Excel shows an author line
_YES = "ya"
_OURS = frozenset(rgb.upper() for rgb in MARK_FILLS.values())
_HEX = re.compile(r"^#?(?:[0-9A-Fa-f]{2})?([0-9A-Fa-f]{6})$")
# A colour not given as RGB (Excel's theme palette): its attributes, e.g. "theme=4 tint=0.6".
_ATTRS = re.compile(r"^(?:(?:theme|indexed|tint|auto)=-?[\d.]+ ?)+$")

Key = tuple[str, int, int]  # (sheet, row, column)


@dataclass(frozen=True)
class Mark:
    """A cell we marked, and what it had before."""

    sheet: str
    row: int
    col: int
    fill: str = ""  # its fill before our mark: RRGGBB, colour attributes, "" = none
    note: str = ""  # a user's note an earlier version merged into ours
    our_note: bool = True  # the note on the cell is ours (else the user's, left alone)

    @property
    def key(self) -> Key:
        return (self.sheet.casefold(), self.row, self.col)


def note_text(message: str) -> str:
    """Our note on a cell: the author line, then the message."""
    return f"{NOTE_PREFIX}\n{message}"


def is_our_note(text: str | None, author: str | None = None) -> bool:
    return author == NOTE_AUTHOR or (text or "").lstrip().startswith(NOTE_PREFIX)


def fill_value(text: object) -> str:
    """A fill as the registry keeps it: RRGGBB (from RRGGBB, AARRGGBB or #RRGGBB), a theme
    colour's attributes as they are, or "" (none, or nothing we can put back)."""
    text = str(text or "").strip()
    found = _HEX.match(text)
    if found:
        return found.group(1).upper()
    return text if _ATTRS.match(text) else ""


def is_mark_fill(fill: str | None) -> bool:
    """Whether a fill (as :func:`fill_value` reads it) is exactly one of our mark colours."""
    return fill_value(fill) in _OURS


def restored_fill(current: str | None, before: Mark | None) -> str | None:
    """The fill a cell we marked gets back now that it is fine: the recorded one ("" = none).

    None: leave the cell's fill as it is (it is not one of ours: the user changed it since).
    ``current``: the cell's fill now, None when the adapter cannot read fills (the record is
    then trusted). ``before``: the registry's record, None when only our note tells.
    """
    if current is not None and not is_mark_fill(current):
        return None
    return before.fill if before is not None else ""


def first_fill(current: str | None, our_note: bool) -> str:
    """What to record as the fill of a cell marked with no record of ours: its fill now —
    unless that is one of our colours on a cell carrying our note (a mark whose record was
    lost: the cell had no fill of its own we could know)."""
    if current is None or (our_note and is_mark_fill(current)):
        return ""
    return fill_value(current)


def _int(value: object) -> int | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number >= 1 else None


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return text[1:] if text.startswith("'") else text  # an apostrophe some writers keep


def read_registry(rows: list[list[object]]) -> list[Mark]:
    """The registry's records from its values (row 1: headers; unreadable rows skipped)."""
    if not rows:
        return []
    header = [_text(v).strip().casefold() for v in rows[0]]
    column = {name: header.index(name.casefold()) for name in REGISTRY_HEADERS
              if name.casefold() in header}
    if not {"Sheet", "Baris", "Kolom"} <= set(column):
        return []

    def get(row: list[object], name: str) -> object:
        index = column.get(name)
        return row[index] if index is not None and index < len(row) else None

    marks = []
    for row in rows[1:]:
        sheet, number, col = _text(get(row, "Sheet")), _int(get(row, "Baris")), \
            _int(get(row, "Kolom"))
        if not sheet or number is None or col is None:
            continue
        fill = fill_value(_text(get(row, "Isian Asli")))
        note = _text(get(row, "Catatan Asli"))
        ours = _text(get(row, "Catatan Kami")).casefold() == _YES if "Catatan Kami" in column \
            else True  # earlier versions always put a note of theirs
        marks.append(Mark(sheet, number, col, fill, note, ours))
    return marks


def registry_spec(marks: list[Mark]) -> SheetSpec:
    """The hidden registry sheet holding ``marks``, as every writer writes it."""
    rows: list[list[Cell | None]] = [[Cell(h, "plain") for h in REGISTRY_HEADERS]]
    for mark in sorted(marks, key=lambda m: m.key):
        rows.append([Cell(mark.sheet, "plain"), Cell(mark.row, "plain"),
                     Cell(mark.col, "plain"), Cell(mark.fill or None, "plain"),
                     Cell(mark.note or None, "plain"),
                     Cell(_YES if mark.our_note else None, "plain")])
    return SheetSpec(REGISTRY_SHEET, rows=rows, protect=False, hidden=True,
                     print=PrintSetup(fit_to_width=False))
