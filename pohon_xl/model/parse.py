"""Raw cell tables -> a typed :class:`Plan`. Pure: no files, no openpyxl, no Excel.

The adapters (a file read with calamine, a live workbook read through xlwings) hand over each
sheet as a list of rows of cell values plus its merged ranges; everything tolerant about
reading lives here, once, for all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from math import isfinite

from pohon_xl.model import contract as C
from pohon_xl.model.numbers import parse_number
from pohon_xl.model.plan import (
    Identity, Indicator, Node, Number, Plan, Position, SheetInfo, trusted,
)

_YEAR_HEADER = re.compile(r"^(target|anggaran)\s*(\d{4})$")


@dataclass
class RawSheet:
    """A sheet's cells as values: ``rows[0]`` is Excel row 1, ``rows[r][0]`` column A.

    ``merged`` holds merged ranges as (first_row, first_col, last_row, last_col), 1-based.
    """

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def value(self, row: int, col: int) -> object:
        if row - 1 < len(self.rows):
            cells = self.rows[row - 1]
            if col - 1 < len(cells):
                return cells[col - 1]
        return None


RawWorkbook = dict[str, RawSheet]


def text(value: object) -> str:
    """A cell as text: integral floats lose their ``.0`` (IDs and codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value).strip()


def _find_sheet(raw: RawWorkbook, name: str) -> RawSheet | None:
    if name in raw:
        return raw[name]
    wanted = C.normalise_header(name)
    return next((s for key, s in raw.items() if C.normalise_header(key) == wanted), None)


def _merge_fill(sheet: RawSheet) -> tuple[list[list[object]], set[tuple[int, int]]]:
    """Fill each merged range with its top-left value; return the covered (non-top) cells.

    Without merged ranges the sheet's own rows are returned (they are only read)."""
    if not sheet.merged:
        return sheet.rows, set()
    rows = [list(r) for r in sheet.rows]
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in sheet.merged:
        top = sheet.value(r0, c0)
        for r in range(r0, r1 + 1):
            while len(rows) < r:
                rows.append([])
            line = rows[r - 1]
            for c in range(c0, c1 + 1):
                if (r, c) == (r0, c0):
                    continue
                while len(line) < c:
                    line.append(None)
                line[c - 1] = top
                covered.add((r, c))
    return rows, covered


def _read_headers(sheet: RawSheet, known: list[str]) -> SheetInfo:
    info = SheetInfo.model_construct(name=sheet.name)
    wanted = {C.normalise_header(h): h for h in known + [C.STATUS, C.CATATAN]}
    header_row = sheet.rows[0] if sheet.rows else []
    for index, label in enumerate(header_row, start=1):
        key = C.normalise_header(label)
        if not key:
            continue
        if key not in (C.normalise_header(C.STATUS), C.normalise_header(C.CATATAN)):
            info.last_column = index
        year_match = _YEAR_HEADER.match(key)
        if year_match:
            kind, year = year_match.group(1), int(year_match.group(2))
            header = C.target_header(year) if kind == "target" else C.budget_header(year)
            (info.years if kind == "target" else info.budget_years).append(year)
            info.columns.setdefault(header, index)
            info.header_labels.setdefault(header, str(label))
        elif key in wanted and wanted[key] not in info.columns:
            info.columns[wanted[key]] = index
            info.header_labels[wanted[key]] = str(label)
        elif key.startswith(("target", "anggaran")):
            info.unknown_year_headers.append(str(label))
    return info


def _number(row: list[object], col: int | None) -> Number:
    value = row[col - 1] if col and col - 1 < len(row) else None
    return _number_of(value)


def _number_of(value: object) -> Number:
    if value.__class__ is float:  # the usual numeric cell: parse_number's float branch
        return Number(value, float(f"{value:.15g}") if isfinite(value) else None)
    if isinstance(value, str) and not value.strip():
        value = None
    return Number(value, parse_number(value))


def _cell(row: list[object], col: int | None) -> str:
    return text(row[col - 1]) if col and col - 1 < len(row) else ""


def _text(value: object) -> str:
    """:func:`text`, with the common cases (text, empty) first."""
    if value.__class__ is str:
        return " ".join(value.split())
    if value is None:
        return ""
    return text(value)


def _filled(value: object) -> bool:
    """Whether a cell reads as non-empty text (``text(value) != ""``), without building it."""
    if value is None:
        return False
    kind = value.__class__
    if kind is str:
        return not value.isspace() and value != ""
    if kind is float or kind is int:
        return True
    return text(value) != ""


def parse_level(sheet: RawSheet, spec: C.LevelSpec, plan: Plan) -> None:
    base = C.level_headers(spec, range(0))  # without year columns
    info = _read_headers(sheet, base)
    info.missing_columns = [h for h in C.required_headers(spec) if h not in info.columns]
    plan.sheets[spec.sheet] = info
    rows, covered = _merge_fill(sheet)
    col = info.columns.get
    contract_cols = sorted(set(info.columns.values()) - {col(C.STATUS), col(C.CATATAN)})
    id_col, sasaran_col = col(C.ID), col(C.SASARAN)
    # Every column read below as a 0-based index into a row padded to ``width`` + 1; a
    # column the sheet lacks reads the padding (None), as ``_cell``/``_number`` would.
    width = max(contract_cols, default=0)
    pad = [None] * (width + 1)

    def at(header: str | None) -> int:
        found = col(header) if header else None
        return found - 1 if found else width

    contract = [c - 1 for c in contract_cols]
    i_id, i_sasaran, i_parent = at(C.ID), at(C.SASARAN), at(C.ID_INDUK)
    i_ind, i_unit, i_arah, i_base = at(C.INDIKATOR), at(C.SATUAN), at(C.ARAH), at(C.BASELINE)
    i_aspek, i_jenis, i_owner = at(C.ASPEK), at(C.JENIS_CASCADING), at(C.PEMILIK)
    i_kolab, i_ket = at(C.KOLABORATOR), at(C.KETERANGAN)
    i_code = at(spec.code_header) if spec.code_header else None
    i_name = at(spec.name_header) if spec.name_header else None
    target_cols = [(y, at(C.target_header(y))) for y in info.years]
    budget_cols = [(y, at(C.budget_header(y))) for y in info.budget_years]
    level, sheet_name = spec.number, sheet.name
    current: Node | None = None
    for excel_row in range(2, len(rows) + 1):
        line = rows[excel_row - 1]
        row = line[:width] + pad[min(len(line), width):]
        for index in contract:
            if _filled(row[index]):
                break
        else:
            continue  # blank row (user columns alone do not make a row of the tree)
        own_id = "" if (excel_row, id_col) in covered else _text(row[i_id])
        own_sasaran = "" if (excel_row, sasaran_col) in covered else _text(row[i_sasaran])
        indicator = trusted(Indicator, {
            "row": excel_row,
            "name": _text(row[i_ind]),
            "unit": _text(row[i_unit]),
            "arah": _text(row[i_arah]),
            "baseline": _number_of(row[i_base]),
            "targets": {y: _number_of(row[i]) for y, i in target_cols},
            "budgets": {y: _number_of(row[i]) for y, i in budget_cols},
            "aspek": _text(row[i_aspek]),
        })
        if own_id or own_sasaran:
            current = trusted(Node, {
                "id": own_id,
                "level": level,
                "sheet": sheet_name,
                "row": excel_row,
                "parent_id": _text(row[i_parent]),
                "sasaran": own_sasaran,
                "jenis_cascading": _text(row[i_jenis]),
                "owner": _text(row[i_owner]),
                "collaborators": _split_list(_text(row[i_kolab])),
                "keterangan": _text(row[i_ket]),
                "code": _text(row[i_code]) if i_code is not None else "",
                "code_name": _text(row[i_name]) if i_name is not None else "",
                "indicators": [indicator],
            })
            plan.nodes.append(current)
        elif current is None:
            plan.orphan_rows.append((spec.sheet, excel_row))
        else:
            current.indicators.append(indicator)


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


def parse_jabatan(sheet: RawSheet, plan: Plan) -> None:
    info = _read_headers(sheet, list(C.JABATAN_HEADERS))
    info.missing_columns = [h for h in C.JABATAN_REQUIRED if h not in info.columns]
    plan.sheets[C.JABATAN] = info
    rows, _ = _merge_fill(sheet)
    col = info.columns.get
    for excel_row in range(2, len(rows) + 1):
        row = rows[excel_row - 1]
        values = {h: _cell(row, col(h)) for h in C.JABATAN_HEADERS}
        if not any(values.values()):
            continue
        plan.positions.append(
            Position.model_construct(
                row=excel_row,
                code=values[C.KODE_JABATAN],
                name=values[C.NAMA_JABATAN],
                kind=values[C.JENIS_JABATAN],
                unit=values[C.UNIT_KERJA],
                superior=values[C.KODE_ATASAN],
                nip=values[C.NIP_PEMANGKU],
                holder=values[C.NAMA_PEMANGKU],
            )
        )


def parse_identitas(sheet: RawSheet, plan: Plan) -> None:
    plan.sheets[C.IDENTITAS] = SheetInfo.model_construct(name=sheet.name)
    keys = {C.normalise_header(k): k for k in C.IDENTITAS_KEYS}
    identity = Identity.model_construct()
    for excel_row, row in enumerate(sheet.rows, start=1):
        key = keys.get(C.normalise_header(row[0] if row else None))
        if key and key not in identity.values:
            value = row[1] if len(row) > 1 else None
            identity.values[key] = value.strip() if isinstance(value, str) else value
            identity.rows[key] = excel_row
    plan.identity = identity


def parse_workbook(raw: RawWorkbook, source: str = "") -> Plan:
    """Read every contract sheet that is present; absent ones are recorded, not fatal."""
    plan = Plan.model_construct(source=source, identity=Identity.model_construct())
    for name, parser in ((C.IDENTITAS, parse_identitas), (C.JABATAN, parse_jabatan)):
        sheet = _find_sheet(raw, name)
        if sheet is None:
            plan.sheets[name] = SheetInfo.model_construct(name=name, present=False)
        else:
            parser(sheet, plan)
    for spec in C.LEVELS:
        sheet = _find_sheet(raw, spec.sheet)
        if sheet is None:
            plan.sheets[spec.sheet] = SheetInfo.model_construct(name=spec.sheet, present=False)
        else:
            parse_level(sheet, spec, plan)
    return plan


def is_contract_workbook(raw: RawWorkbook) -> bool:
    """At least Identitas or one level sheet: otherwise it is some other workbook."""
    names = [C.IDENTITAS] + [spec.sheet for spec in C.LEVELS]
    return any(_find_sheet(raw, name) is not None for name in names)
