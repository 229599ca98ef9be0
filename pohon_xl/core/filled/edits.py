"""`Rencana_Aksi` and `Realisasi` written by `turunkan`: built whole when absent, patched when
present.

Once a sheet exists it is never rebuilt: the run only refreshes the generated cells whose value
the tree changed, and appends rows at the bottom for indicators it does not hold yet. Typed
cells, people's formulas, formats and own columns are not touched. A row whose ID and indicator
no longer match the tree is kept and reported (rule RAK05, in `Status`/`Catatan Validasi`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pohon_xl.core.derive.common import WRAPPING, blank, fit_heights
from pohon_xl.core.filled.layout import (
    GEN_CENTER, GEN_MONEY, GEN_NUMBER, Column, Expected, columns_of, expected_rows, is_budgeted,
)
from pohon_xl.core.link import Tree
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import ACCUMULATION_VALUES, CARA_AKUMULASI, row_key
from pohon_xl.model.plan import FilledRow, FilledSheet, Plan, number_of
from pohon_xl.printing import fitted
from pohon_xl.sheets import Cell, CellValue, SheetSpec, column_letter

# Generated cells by column kind; typed cells carry the kind as their (input) style.
_GENERATED_STYLE = {GEN_CENTER: "text_center", GEN_NUMBER: "number", GEN_MONEY: "money"}
DROPDOWN_ROWS = 1000  # rows below the header offered the Cara Akumulasi dropdown
TITLE_COLUMNS = 4  # ID … Indikator repeated on every page across
TAB_COLOR = "BF8F00"  # the sheets people fill: amber, apart from the derived sheets
STATUS_WIDTH, CATATAN_WIDTH = 12, 60  # as the writers give them (excel.xlsxpatch)


@dataclass
class FilledEdits:
    """New sheets (absent before) and cell values for the sheets already there."""

    sheets: list[SheetSpec] = field(default_factory=list)
    values: list[CellValue] = field(default_factory=list)
    said: dict[str, str] = field(default_factory=dict)  # sheet -> what happened, in Indonesian


def _style(column: Column, budgeted: bool) -> str:
    """A cell's style: grey where the column is a sub-activity's budget and the row is not
    its budget row; else by kind (typed columns carry their input style)."""
    if column.l5_only and not budgeted:
        return "unused"
    if column.generated:
        return _GENERATED_STYLE.get(column.kind, "text")
    return column.kind


def _cell(column: Column, expected: Expected) -> Cell:
    style = _style(column, is_budgeted(expected))
    value = expected.values.get(column.header) if column.generated and style != "unused" \
        else None
    return Cell(value, style)


# Generated cells by (value's type, value, style): both sheets repeat the same cells (levels,
# units, owners, and per row ID, Sasaran, Indikator), so they are made once and shared.
CellCache = dict[tuple[type, object, str], Cell]


def _body_rows(columns: list[Column], rows: list[Expected], cells: CellCache
               ) -> list[list[Cell | None]]:
    """A row per expected indicator, with Status `OK` and an empty Catatan Validasi.

    A 10k-row tree makes 400k cells: each row starts as a copy of a template made once (per
    budget row or not: typed and grey cells are one shared empty cell per style) and only
    its generated cells are looked up per row."""
    ok, note = Cell(C.STATUS_OK, "ok"), blank("text")
    templates: dict[bool, list[Cell | None]] = {}
    generated: dict[bool, list[tuple[int, str, str]]] = {}
    for budgeted in (False, True):
        styles = [_style(column, budgeted) for column in columns]
        templates[budgeted] = [*map(blank, styles), ok, note]
        generated[budgeted] = [(index, column.header, style)
                               for index, (column, style) in enumerate(zip(columns, styles))
                               if column.generated and style != "unused"]
    body: list[list[Cell | None]] = []
    for expected in rows:
        budgeted, values = is_budgeted(expected), expected.values
        line = templates[budgeted].copy()
        for index, header, style in generated[budgeted]:
            value = values.get(header)
            key = (value.__class__, value, style)  # the type too: 1 and 1.0 are one key
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = Cell(value, style)
            line[index] = cell
        body.append(line)
    return body


def new_sheet(name: str, columns: list[Column], rows: list[Expected],
              cells: CellCache | None = None) -> SheetSpec:
    """The whole sheet, the first time: a header row, a row per expected indicator.
    ``cells``: generated cells already made (for another sheet of the same rows)."""
    # Status and Catatan Validasi at the right from the start, as a later run writes them
    # (every row OK: nothing typed yet), so that a second run changes nothing.
    header: list[Cell | None] = [Cell(c.header, "header") for c in columns]
    body = [header + [Cell(C.STATUS, "header"), Cell(C.CATATAN, "header")],
            *_body_rows(columns, rows, {} if cells is None else cells)]
    widths = {i: column.width for i, column in enumerate(columns, start=1)}
    widths.update({len(columns) + 1: STATUS_WIDTH, len(columns) + 2: CATATAN_WIDTH})
    validations: list[tuple[str, tuple[str, ...]]] = [
        (f"{column_letter(i)}2:{column_letter(i)}{DROPDOWN_ROWS + 1}", ACCUMULATION_VALUES)
        for i, column in enumerate(columns, start=1)
        if column.header == CARA_AKUMULASI and not column.generated]
    sheet = SheetSpec(name=name, rows=body, widths=widths, freeze="E2", protect=False,
                      tab_color=TAB_COLOR, validations=validations)
    # A4 landscape like the other tables; wider than that, more pages across at 8 pt or more.
    sheet.print = fitted(widths.values(), title_rows="1:1", title_columns=TITLE_COLUMNS,
                         trials=(("A4", True),))
    _fit_heights(sheet, columns)
    return sheet


def _fit_heights(sheet: SheetSpec, columns: list[Column]) -> None:
    """`fit_heights` of the header row, then of the generated text cells alone: the other
    cells of a body row are empty or `OK`, which never wrap (a 10k-row tree makes 460k cells,
    120k of them text that may wrap)."""
    head = SheetSpec(sheet.name, rows=sheet.rows[:1], widths=sheet.widths)
    fit_heights(head)
    at = [index for index, column in enumerate(columns)
          if column.generated and _GENERATED_STYLE.get(column.kind, "text") in WRAPPING]
    body = SheetSpec(sheet.name, rows=[[row[index] for index in at] for row in sheet.rows[1:]],
                     widths={n: sheet.widths[index + 1] for n, index in enumerate(at, start=1)})
    fit_heights(body)
    sheet.heights = head.heights | {row + 1: height for row, height in body.heights.items()}


def _same(current: object, wanted: object) -> bool:
    if wanted is None or wanted == "":
        return current is None or current == ""
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
        number = number_of(current).value
        return number is not None and abs(number - wanted) <= 1e-9 * max(1.0, abs(wanted))
    return " ".join(str(current or "").split()) == " ".join(str(wanted).split())


def _positions(info: FilledSheet, columns: list[Column]) -> dict[str, int]:
    """Layout header -> its column in the sheet as it stands (a deleted column: absent)."""
    found: dict[str, int] = {}
    for index, typed in enumerate(info.headers, start=1):
        found.setdefault(C.normalise_header(typed), index)
    return {column.header: found[key] for column in columns
            if (key := C.normalise_header(column.header)) in found}


def patch_sheet(info: FilledSheet, read: list[FilledRow], columns: list[Column],
                rows: list[Expected]) -> list[CellValue]:
    """The cells to write into a sheet that exists: generated cells the tree changed, and
    rows appended for the indicators the sheet does not hold."""
    at = _positions(info, columns)
    if C.ID not in at or C.INDIKATOR not in at:
        return []  # rows could not be matched, nor found again next time (RAK09 says so)
    by_key = {expected.key: expected for expected in rows}
    values: list[CellValue] = []
    held: set[tuple[str, str]] = set()
    for row in read:
        key = row_key(row)
        expected = by_key.get(key)
        if expected is None:
            continue  # kept as typed; RAK05 reports it
        held.add(key)
        for column in columns:
            where = at.get(column.header)
            if where is None or not column.generated or \
                    _style(column, is_budgeted(expected)) == "unused":
                continue
            typed = info.headers[where - 1]
            wanted = expected.values.get(column.header)
            if not _same(row.cells.get(typed), wanted):
                values.append(CellValue(info.name, row.row, where, wanted))
    next_row = max(info.last_row, 1)
    for expected in rows:
        if expected.key in held:
            continue
        next_row += 1
        for column in columns:
            where = at.get(column.header)
            if where is not None:
                cell = _cell(column, expected)
                values.append(CellValue(info.name, next_row, where, cell.value, cell.style,
                                        append=True))
    return values


def _emptied(info: FilledSheet) -> bool:
    """A sheet holding nothing below its first row and no `ID`/`Indikator` header (as
    `tahun-baru` leaves it): nothing typed to keep, so it is generated again."""
    return info.last_row <= 1 and C.ID not in info.columns and C.INDIKATOR not in info.columns


def filled_edits(plan: Plan, tree: Tree) -> FilledEdits:
    """What `turunkan` writes into `Rencana_Aksi` and `Realisasi`."""
    edits = FilledEdits()
    if plan.pk_year is None:
        return edits  # no year to plan (TUR reports the missing Tahun PK)
    read: dict[str, list[FilledRow]] = {C.RENCANA_AKSI: list(plan.action_plan),
                                        C.REALISASI: list(plan.realisation)}
    rows = expected_rows(plan, tree)
    cells: CellCache = {}
    for name in C.FILLED_SHEETS:
        columns = columns_of(name, plan.pk_year)
        info = plan.filled_sheets.get(name)
        if info is None or _emptied(info):
            edits.sheets.append(new_sheet(info.name if info else name, columns, rows, cells))
            edits.said[name] = f"dibuat, {len(rows)} baris untuk diisi"
        else:
            values = patch_sheet(info, read[name], columns, rows)
            edits.values += values
            edits.said[name] = _said(values, info.last_row)
    return edits


def _said(values: list[CellValue], last_row: int) -> str:
    added = len({value.row for value in values if value.row > last_row})
    refreshed = sum(value.row <= last_row for value in values)
    if not values:
        return "tetap (isian tidak diubah)"
    return f"{added} baris ditambahkan, {refreshed} sel salinan pohon diperbarui; isian tetap"
