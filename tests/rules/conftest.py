"""Builders for the rule cases: a valid base plan (base_plan.yml) changed by each case.

A case (in cases/<GROUP>.yml) may hold:

- ``identitas``: ``{key: value}`` merged into the base's Identitas (``null`` = empty cell);
  ``identitas_remove``: keys whose rows are removed;
- ``sheets``: ``{sheet: operations}`` for `Jabatan`, the level sheets and the sheets people
  fill (`Rencana_Aksi`, `Realisasi`: present only when a case names them, from the base's
  ``filled`` rows; ``{}`` takes them as they are), applied in this
  order: ``drop: true`` (sheet absent), ``rows: [...]`` (replace all data rows),
  ``set: {excel_row: {header: value}}`` (change cells of a row), ``add: [...]`` (append
  rows), ``columns: {drop: [...], add: [...], rename: {old: new}}`` (header row),
  ``merged: [[r0, c0, r1, c1]]``;
- ``nomenclature``: ``{code: name}`` passed to ``validate``;
- ``expect``: findings as ``[code, sheet, row]`` (or ``[code, sheet, row, severity]``),
  compared exactly for the codes named in ``expect`` and ``absent``;
- ``absent``: codes that must not be reported;
- ``header_period``: ``{Tahun Awal: .., Tahun Akhir: ..}`` for the year columns of the level
  sheets (default: the base period), to build headers that disagree with Identitas.

Tests get the cases through the ``rule_case`` parameter and the builder through the
``build_workbook`` fixture.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from pohon_xl.core.filled.layout import columns_of
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawSheet, RawWorkbook

HERE = Path(__file__).parent
CASES_DIR = HERE / "cases"


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def base_plan() -> dict:
    return load_yaml(HERE / "base_plan.yml")


def load_cases() -> list[tuple[str, dict]]:
    """(id, case) for every case of every group file, in file order."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in load_yaml(path)["cases"]:
            cases.append((f"{path.stem}:{case['name']}", case))
    return cases


def _years(identitas: dict) -> range:
    return range(int(identitas["Tahun Awal"]), int(identitas["Tahun Akhir"]) + 1)


def _table(headers: list[str], rows: list[dict], ops: dict) -> RawSheet:
    headers = list(headers)
    for row in rows:
        for key in row:
            if not isinstance(key, str):  # e.g. "0,8" unquoted in a flow mapping splits
                raise ValueError(f"column {key!r} in {row}: quote values that contain commas")
            if key not in headers:
                headers.append(key)
    columns = ops.get("columns", {})
    for label in columns.get("add", []):
        headers.append(label)
    dropped = set(columns.get("drop", []))
    kept = [h for h in headers if h not in dropped]
    renames = columns.get("rename", {})
    table: list[list[object]] = [[renames.get(h, h) for h in kept]]
    table += [[row.get(h) for h in kept] for row in rows]
    return RawSheet(name="", rows=table, merged=[tuple(m) for m in ops.get("merged", [])])


def _apply_rows(base_rows: list[dict], ops: dict) -> list[dict]:
    rows = copy.deepcopy(ops["rows"]) if "rows" in ops else copy.deepcopy(base_rows)
    for excel_row, cells in (ops.get("set") or {}).items():
        rows[int(excel_row) - 2].update(cells)
    rows += copy.deepcopy(ops.get("add") or [])
    return rows


def build_raw(case: dict | None = None) -> RawWorkbook:
    """The base workbook as raw tables, changed by ``case``."""
    case = case or {}
    base = base_plan()
    sheets_ops: dict = case.get("sheets") or {}
    identitas = dict(base["identitas"])
    identitas.update(case.get("identitas") or {})
    for key in case.get("identitas_remove") or []:
        identitas.pop(key, None)
    raw: RawWorkbook = {}
    if not (sheets_ops.get(C.IDENTITAS) or {}).get("drop"):
        raw[C.IDENTITAS] = RawSheet(C.IDENTITAS, [[k, v] for k, v in identitas.items()])
    base_identitas = dict(base["identitas"], **(case.get("header_period") or {}))
    years = _years(base_identitas)
    specs = [(C.JABATAN, list(C.JABATAN_HEADERS), base["jabatan"])]
    specs += [
        (spec.sheet, C.level_headers(spec, years), base["levels"].get(spec.sheet, []))
        for spec in C.LEVELS
    ]
    year = int(identitas["Tahun PK"]) if identitas.get("Tahun PK") else None
    specs += [(name, [c.header for c in columns_of(name, year)], base["filled"][name])
              for name in C.FILLED_SHEETS if name in sheets_ops]
    for name, headers, rows in specs:
        ops = sheets_ops.get(name) or {}
        if ops.get("drop"):
            continue
        sheet = _table(headers, _apply_rows(rows, ops), ops)
        sheet.name = name
        raw[name] = sheet
    return raw


def pytest_generate_tests(metafunc):
    if "rule_case" in metafunc.fixturenames:
        cases = load_cases()
        metafunc.parametrize("rule_case", [c for _, c in cases], ids=[i for i, _ in cases])


@pytest.fixture
def build_workbook():
    return build_raw


@pytest.fixture
def all_cases():
    return load_cases()
