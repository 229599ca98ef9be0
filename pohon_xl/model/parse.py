"""Raw cell tables -> a typed :class:`Plan`. Pure: no files, no openpyxl, no Excel.

The adapters (a file read with calamine, a live workbook read through xlwings) hand over each
sheet as a list of rows of cell values plus its merged ranges; everything tolerant about
reading lives here, once, for all of them.
"""

from __future__ import annotations

import re
from operator import itemgetter

from pohon_xl.model import contract as C
from pohon_xl.model.raw import (  # noqa: F401 - RawSheet & co. are imported from here too
    CONTRACT_SHEETS, RawSheet, RawWorkbook, contract_sheet_names, find_sheet,
    is_contract_workbook,
)
from pohon_xl.model.plan import (
    Identity, Indicator, Node, Number, Plan, Position, SheetInfo, trusted,
)
from pohon_xl.model.cycle import parse_filled_sheets
from pohon_xl.model.plan import number_of as _number_of
from pohon_xl.model.plan import text  # imported from here too (tests, callers of parse)

_YEAR_HEADER = re.compile(r"^(target|anggaran)\s*(\d{4})$")


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
    info = SheetInfo(name=sheet.name)
    wanted = {C.normalise_header(h): h for h in known + [C.STATUS, C.CATATAN]}
    header_row = sheet.rows[0] if sheet.rows else []
    info.used_column = max(max(map(len, sheet.rows), default=0),
                           max((c1 for _, _, _, c1 in sheet.merged), default=0))
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




def nip_text(value: object) -> str:
    """A NIP cell as text. A NIP stored as a number kept only 15 significant digits: it reads
    as Excel shows it (``1.99203172015031E+17``), never as 18 digits that look right but
    end in other digits (rule PEM12 reports it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        return format(float(value), ".15g").upper()
    return text(value)


class _Texts(dict):
    """``texts[value]`` is ``text(value)``: one dict look-up for the strings a sheet repeats
    (units, owners, parent IDs, empty cells). Only str and None are kept: no other cell value
    equals them, so a look-up of a number never finds a text's entry."""

    def __missing__(self, value: object) -> str:
        if value.__class__ is str:
            result = self[value] = " ".join(value.split())  # text(value), inlined
            return result
        if value is None:
            self[None] = ""
            return ""
        return text(value)


class _Numbers(dict):
    """``numbers[value]`` is ``_number_of(value)`` for floats, str and None: the Numbers of
    repeated values are shared (nothing changes a Number). Look up only those types
    (``_MEMO_TYPES``). Zero is not kept, so that ``-0.0`` keeps its sign."""

    def __missing__(self, value: object) -> Number:
        result = _number_of(value)
        if value != 0.0:
            self[value] = result
        return result


# The cell types _Numbers keeps: a bool or an int equals a float (True == 1 == 1.0) and
# must not find that float's entry.
_MEMO_TYPES = frozenset({float, str, type(None)})


def _split_list(value: str) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


def parse_level(sheet: RawSheet, spec: C.LevelSpec, plan: Plan) -> None:
    base = C.level_headers(spec, range(0))  # without year columns
    info = _read_headers(sheet, base)
    info.missing_columns = [h for h in C.required_headers(spec) if h not in info.columns]
    plan.sheets[spec.sheet] = info
    rows, covered = _merge_fill(sheet)
    col = info.columns.get
    contract_cols = sorted(set(info.columns.values()) - {col(C.STATUS), col(C.CATATAN)})
    id_col, sasaran_col = col(C.ID), col(C.SASARAN)
    # Column by column: every cell a contract column holds, from row 2 down, read through
    # the memos (one dict look-up for a repeated value instead of a call). Rows shorter than
    # the rightmost contract column are padded; a column the sheet lacks reads as empty.
    width = max(contract_cols, default=0)
    pad = [None] * width
    body = [line if len(line) >= width else line + pad[len(line):] for line in rows[1:]]
    count = len(body)
    texts, numbers = _Texts(), _Numbers()

    def texts_of(header: str | None) -> list[str]:
        found = col(header) if header else None
        if not found:
            return [""] * count
        return list(map(texts.__getitem__, map(itemgetter(found - 1), body)))

    def numbers_of(header: str) -> list[Number]:
        found = col(header)
        if not found:
            return [numbers[None]] * count
        cells = list(map(itemgetter(found - 1), body))
        if _MEMO_TYPES.issuperset(map(type, cells)):
            return list(map(numbers.__getitem__, cells))
        return [numbers[v] if v.__class__ in _MEMO_TYPES else _number_of(v) for v in cells]

    contract = [c - 1 for c in contract_cols]
    ids, sasarans, parents = texts_of(C.ID), texts_of(C.SASARAN), texts_of(C.ID_INDUK)
    names, units, arahs = texts_of(C.INDIKATOR), texts_of(C.SATUAN), texts_of(C.ARAH)
    baselines, aspeks = numbers_of(C.BASELINE), texts_of(C.ASPEK)
    jenis, owners = texts_of(C.JENIS_CASCADING), texts_of(C.PEMILIK)
    kolabs, kets = texts_of(C.KOLABORATOR), texts_of(C.KETERANGAN)
    codes, code_names = texts_of(spec.code_header), texts_of(spec.name_header)
    years = info.years
    targets = list(zip(*[numbers_of(C.target_header(y)) for y in years])) or [()] * count
    budget_years = info.budget_years
    budgets = (list(zip(*[numbers_of(C.budget_header(y)) for y in budget_years]))
               or [()] * count)
    level, sheet_name = spec.number, sheet.name
    splits: dict[str, list[str]] = {}
    current: Node | None = None
    for r, line in enumerate(body):
        for index in contract:
            if texts[line[index]]:  # text(cell) != ""
                break
        else:
            continue  # blank row (user columns alone do not make a row of the tree)
        excel_row = r + 2
        indicator = trusted(Indicator, {
            "row": excel_row,
            "name": names[r],
            "unit": units[r],
            "arah": arahs[r],
            "baseline": baselines[r],
            "targets": dict(zip(years, targets[r])),
            "budgets": dict(zip(budget_years, budgets[r])) if budget_years else {},
            "aspek": aspeks[r],
        })
        own_id, own_sasaran = ids[r], sasarans[r]
        if covered:  # a merged cell's copy of the value above does not start a node
            own_id = "" if (excel_row, id_col) in covered else own_id
            own_sasaran = "" if (excel_row, sasaran_col) in covered else own_sasaran
        if own_id or own_sasaran:
            kolab = kolabs[r]
            if kolab not in splits:
                splits[kolab] = _split_list(kolab)
            current = trusted(Node, {
                "id": own_id,
                "level": level,
                "sheet": sheet_name,
                "row": excel_row,
                "parent_id": parents[r],
                "sasaran": own_sasaran,
                "jenis_cascading": jenis[r],
                "owner": owners[r],
                "collaborators": list(splits[kolab]),
                "keterangan": kets[r],
                "code": codes[r],
                "code_name": code_names[r],
                "indicators": [indicator],
            })
            plan.nodes.append(current)
        elif current is None:
            plan.orphan_rows.append((spec.sheet, excel_row))
        else:
            current.indicators.append(indicator)


# Position's fields in declaration order: the row, then one per C.JABATAN_HEADERS.
_POSITION_FIELDS = ("row", "code", "name", "kind", "unit", "superior", "nip", "holder")


def parse_jabatan(sheet: RawSheet, plan: Plan) -> None:
    info = _read_headers(sheet, list(C.JABATAN_HEADERS))
    info.missing_columns = [h for h in C.JABATAN_REQUIRED if h not in info.columns]
    plan.sheets[C.JABATAN] = info
    rows, _ = _merge_fill(sheet)
    # Column by column, as parse_level reads a level sheet.
    width = max(info.columns.values(), default=0)
    pad = [None] * width
    body = [line if len(line) >= width else line + pad[len(line):] for line in rows[1:]]
    texts = _Texts()
    columns = [[texts[line[i]] for line in body] if i is not None else [""] * len(body)
               for i in (info.columns[h] - 1 if h in info.columns else None
                         for h in C.JABATAN_HEADERS)]
    if C.NIP_PEMANGKU in info.columns:
        at = info.columns[C.NIP_PEMANGKU] - 1
        columns[C.JABATAN_HEADERS.index(C.NIP_PEMANGKU)] = [
            nip_text(line[at]) for line in body]
    for excel_row, values in enumerate(zip(*columns), start=2):
        if any(values):
            plan.positions.append(
                trusted(Position, dict(zip(_POSITION_FIELDS, (excel_row, *values)))))


def parse_identitas(sheet: RawSheet, plan: Plan) -> None:
    plan.sheets[C.IDENTITAS] = SheetInfo(name=sheet.name)
    keys = {C.normalise_header(k): k for k in C.IDENTITAS_KEYS}
    identity = Identity()
    for excel_row, row in enumerate(sheet.rows, start=1):
        key = keys.get(C.normalise_header(row[0] if row else None))
        if key and key not in identity.values:
            value = row[1] if len(row) > 1 and row[1] != "" else None
            identity.values[key] = value.strip() if isinstance(value, str) else value
            identity.rows[key] = excel_row
    plan.identity = identity


def parse_workbook(raw: RawWorkbook, source: str = "") -> Plan:
    """Read every contract sheet that is present; absent ones are recorded, not fatal."""
    plan = Plan(source=source, identity=Identity())
    for name, parser in ((C.IDENTITAS, parse_identitas), (C.JABATAN, parse_jabatan)):
        sheet = find_sheet(raw, name)
        if sheet is None:
            plan.sheets[name] = SheetInfo(name=name, present=False)
        else:
            parser(sheet, plan)
    for spec in C.LEVELS:
        sheet = find_sheet(raw, spec.sheet)
        if sheet is None:
            plan.sheets[spec.sheet] = SheetInfo(name=spec.sheet, present=False)
        else:
            parse_level(sheet, spec, plan)
    parse_filled_sheets(raw, plan)
    return plan
