"""Checks the spreadsheet does by itself, without Python: conditional formatting on level sheets.

While typing, the planner sees at once (light red, as Excel's "Bad" style):

- an empty required cell: ``ID`` when the row has a ``Sasaran``, ``Sasaran`` when it has an
  ``ID``, ``Indikator`` when the row has any content, ``Pemilik Kinerja`` on a node's row (one
  with an ``ID`` or ``Sasaran``; a continuation row, with only another indicator, needs none);
- an ``ID`` used twice on the sheet (``COUNTIF``);
- an ``ID Induk`` that is not an ``ID`` on the level above (``COUNTIF`` on that sheet's ``ID``
  column) -- only when the level above has IDs in this workbook, since an OPD's L2 may point to
  the body-level workbook's L1.

These are hints; *Validasi* remains the authority (it checks far more, across sheets and files).
Formulas use only COUNTIF, COUNTA, LEN, TRIM, AND and OR, which Excel 2010+ and LibreOffice
evaluate in conditional formats, also across sheets.
"""

from __future__ import annotations

from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pohon_xl.model import contract as C

__all__ = ["CHECK_ROWS", "add_native_checks", "native_rules"]

CHECK_ROWS = 1000  # rows 2..1001 are watched (the template prepares 500)
_BAD_FILL = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
_BAD_FONT = Font(color="9C0006")
_DUPLICATE_FONT = Font(color="9C0006", bold=True)


def _columns(ws: Worksheet) -> dict[str, str]:
    """Contract header -> column letter, from the sheet's header row."""
    wanted = {C.normalise_header(h): h for h in
              (C.ID, C.ID_INDUK, C.SASARAN, C.INDIKATOR, C.PEMILIK)}
    found: dict[str, str] = {}
    last = 0
    for cell in ws[1]:
        if isinstance(cell, MergedCell):  # inside a merged range: holds no value
            continue
        key = C.normalise_header(cell.value)
        if not key:
            continue
        if key not in (C.normalise_header(C.STATUS), C.normalise_header(C.CATATAN)):
            last = max(last, cell.column)
        if key in wanted and wanted[key] not in found:
            found[wanted[key]] = cell.column_letter
    if last:
        found["__last__"] = get_column_letter(last)
    return found


def native_rules(ws: Worksheet, above: Worksheet | None,
                 last_row: int = CHECK_ROWS + 1) -> list[tuple[str, str, str]]:
    """The (range, formula, kind) of every check on one level sheet; kind is ``kosong``,
    ``ganda`` or ``induk``. Formulas are written for the range's first row (row 2)."""
    cols = _columns(ws)
    rules: list[tuple[str, str, str]] = []
    id_, parent, sasaran = cols.get(C.ID), cols.get(C.ID_INDUK), cols.get(C.SASARAN)
    indikator, owner, last = cols.get(C.INDIKATOR), cols.get(C.PEMILIK), cols.get("__last__")

    def empty(col: str) -> str:
        return f"LEN(TRIM(${col}2))=0"

    def filled(col: str) -> str:
        return f"LEN(TRIM(${col}2))>0"

    def area(col: str) -> str:
        return f"{col}2:{col}{last_row}"

    if id_ and sasaran:
        rules.append((area(id_), f"AND({empty(id_)},{filled(sasaran)})", "kosong"))
        rules.append((area(sasaran), f"AND({empty(sasaran)},{filled(id_)})", "kosong"))
    if indikator and last:
        rules.append((area(indikator),
                      f"AND({empty(indikator)},COUNTA($A2:${last}2)>0)", "kosong"))
    if owner and id_ and sasaran:
        rules.append((area(owner), f"AND({empty(owner)},OR({filled(id_)},{filled(sasaran)}))",
                      "kosong"))
    if id_:
        rules.append((area(id_),
                      f"AND({filled(id_)},COUNTIF(${id_}$2:${id_}${last_row},${id_}2)>1)",
                      "ganda"))
    if parent and above is not None:
        above_id = _columns(above).get(C.ID)
        if above_id:
            sheet = "'" + above.title.replace("'", "''") + "'"
            ids = f"{sheet}!${above_id}$2:${above_id}${last_row}"
            rules.append((area(parent),
                          f"AND({filled(parent)},COUNTA({ids})>0,COUNTIF({ids},${parent}2)=0)",
                          "induk"))
    return rules


def add_native_checks(wb: Workbook, last_row: int = CHECK_ROWS + 1) -> Workbook:
    """Add the conditional formats to every level sheet of ``wb`` (an openpyxl workbook)."""
    sheets = {C.normalise_header(ws.title): ws for ws in wb.worksheets}
    previous: Worksheet | None = None
    for spec in C.LEVELS:
        ws = sheets.get(C.normalise_header(spec.sheet))
        if ws is None:
            previous = None
            continue
        for area, formula, kind in native_rules(ws, previous, last_row):
            font = _DUPLICATE_FONT if kind == "ganda" else _BAD_FONT
            ws.conditional_formatting.add(
                area, FormulaRule(formula=[formula], fill=_BAD_FILL, font=font))
        previous = ws
    return wb
