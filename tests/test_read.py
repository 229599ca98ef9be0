"""The tolerant reader: every quirk of real files the foundation issue lists."""

from __future__ import annotations

import datetime
import math
import pickle
from dataclasses import fields, replace

import xlsxwriter

from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.model.plan import (
    Identity, Indicator, Node, Number, Plan, Position, SheetInfo, trusted,
)
from tests.conftest import YEARS, identitas_rows

L1 = C.LEVEL_BY_NUMBER[1].sheet
L5 = C.LEVEL_BY_NUMBER[5].sheet


def _plan(path):
    return parse_workbook(read_raw(path), source=path.name)


def test_header_case_spaces_and_user_columns(workbook_factory):
    headers = ["  id ", "ID INDUK", "sasaran", "Indikator  ", "SATUAN", "arah", "Baseline",
               *[f"target  {y}" for y in YEARS], "Jenis cascading", "Pemilik kinerja",
               "Catatan Pribadi", "Kolaborator", "Keterangan"]
    row = ["S1", "", "Menurunnya kemacetan", "Indeks LoS", "indeks", "Turun", 4, 3.8, 3.6, 3.4,
           3.2, 3, "", "WALIKOTA", "milik saya", "", ""]
    path = workbook_factory({"Identitas": identitas_rows(), L1: [headers, row],
                             "Catatan Saya": [["bebas"]]})
    plan = _plan(path)
    info = plan.sheets[L1]
    assert info.missing_columns == []
    assert info.years == list(YEARS)
    assert info.columns[C.ID] == 1 and info.columns[C.KETERANGAN] == 17
    assert info.last_column == 17  # the user's column counts for placing Status at the right
    (node,) = plan.nodes
    assert node.owner == "WALIKOTA" and node.indicators[0].targets[2029].value == 3.0


def test_continuation_rows_merged_cells_and_blank_rows(workbook_factory):
    headers = C.level_headers(C.LEVEL_BY_NUMBER[1], YEARS)
    width = len(headers)

    def row(**values):
        cells = [None] * width
        for header, value in values.items():
            cells[headers.index(header)] = value
        return cells

    rows = [
        headers,
        row(ID="S1", Sasaran="Menurunnya kemacetan", Indikator="Indeks LoS", Satuan="indeks"),
        row(Indikator="Kecepatan rata-rata", Satuan="km/jam"),  # continuation
        [None] * width,  # blank row inside the table
        row(ID="S2", Sasaran="Meningkatnya keselamatan", Indikator="Angka kecelakaan"),
        row(Indikator="Fatalitas", Satuan="orang"),  # ID and Sasaran merged from the row above
    ]
    pemilik = headers.index(C.PEMILIK) + 1
    rows[4][pemilik - 1] = "WALIKOTA"
    letter = chr(64 + pemilik)
    path = workbook_factory(
        {"Identitas": identitas_rows(), L1: rows},
        merges={L1: ["A5:A6", "C5:C6", f"{letter}5:{letter}6"]},
    )
    plan = _plan(path)
    assert [n.id for n in plan.nodes] == ["S1", "S2"]
    s1, s2 = plan.nodes
    assert [i.name for i in s1.indicators] == ["Indeks LoS", "Kecepatan rata-rata"]
    assert [i.row for i in s2.indicators] == [5, 6]
    assert s2.rows == [5, 6]
    assert s2.owner == "WALIKOTA"


def test_indonesian_numbers_as_text_and_trailing_spaces(workbook_factory):
    spec = C.LEVEL_BY_NUMBER[5]
    headers = C.level_headers(spec, YEARS)
    values = {C.ID: "  SK-01  ", C.ID_INDUK: "K-01 ", C.SASARAN: "Terpasangnya rambu",
              C.BASELINE: "0,85", C.target_header(2025): "70%", C.target_header(2026): "1.250",
              C.budget_header(2025): "Rp 2.500.000", C.budget_header(2026): "1.250.000",
              C.budget_header(2027): "Rp2.500.000,-", C.budget_header(2028): "dua juta"}
    row = [values.get(h) for h in headers]
    path = workbook_factory({"Identitas": identitas_rows(), spec.sheet: [headers, row]})
    (node,) = _plan(path).nodes
    first = node.indicators[0]
    assert node.id == "SK-01" and node.parent_id == "K-01"
    assert first.baseline.value == 0.85
    assert first.targets[2025].value == 70 and first.targets[2026].value == 1250
    assert node.budget(2025) == 2_500_000 and node.budget(2026) == 1_250_000
    assert node.budget(2027) == 2_500_000
    assert first.budgets[2028].invalid and first.budgets[2028].raw == "dua juta"


def test_formulas_read_as_cached_values(tmp_path):
    path = tmp_path / "rumus.xlsx"
    book = xlsxwriter.Workbook(path)
    ident = book.add_worksheet("Identitas")
    for r, (key, value) in enumerate(identitas_rows()):
        ident.write(r, 0, key)
        ident.write(r, 1, value)
    sheet = book.add_worksheet(L5)
    headers = C.level_headers(C.LEVEL_BY_NUMBER[5], YEARS)
    sheet.write_row(0, 0, headers)
    sheet.write_row(1, 0, ["SK-01", "K-01"])
    col = headers.index(C.budget_header(2026))
    sheet.write_formula(1, col, "=1000000*2.5", None, 2_500_000)
    sheet.write_formula(1, headers.index(C.target_header(2025)), "=ROUND(2/3,2)", None, 0.67)
    book.close()
    (node,) = _plan(path).nodes
    assert node.budget(2026) == 2_500_000
    assert node.indicators[0].targets[2025].value == 0.67


def test_ids_typed_as_numbers_lose_the_decimal(workbook_factory):
    headers = C.level_headers(C.LEVEL_BY_NUMBER[1], YEARS)
    row = [1, None, "Menurunnya kemacetan"]
    path = workbook_factory({"Identitas": identitas_rows(), L1: [headers, row]})
    assert _plan(path).nodes[0].id == "1"


def test_years_from_identitas_and_headers(workbook_factory):
    headers = C.level_headers(C.LEVEL_BY_NUMBER[1], range(2025, 2028))
    path = workbook_factory({"Identitas": identitas_rows(), L1: [headers]})
    plan = _plan(path)
    assert plan.years == list(YEARS)  # Identitas decides the period
    assert plan.sheets[L1].years == [2025, 2026, 2027]  # the rules compare the two
    assert plan.pk_year == 2026


def test_missing_sheets_and_columns_are_recorded_not_fatal(workbook_factory):
    path = workbook_factory({"Identitas": identitas_rows(), L1: [["ID", "Sasaran"]]})
    plan = _plan(path)
    assert plan.sheets[L1].missing_columns
    assert not plan.sheets[C.JABATAN].present
    assert not plan.sheets[L5].present


# Odd cells for the parser's memos: values that compare equal across types (True == 1 ==
# 1.0, 0.0 == -0.0) must still read as they would one by one.
_ODD_CELLS = [True, 1, 1.0, False, 0, 0.0, -0.0, -0.0, 0.0, 1.0, True, 2.5, 2.5, float("nan"),
              float("inf"), "", "  ", " 1.250 ", "1.250", "Rp 2.500.000,-", "abc", None,
              datetime.date(2025, 1, 2), datetime.datetime(2025, 1, 2, 3, 4)]


def _same(a, b) -> bool:
    """Equal, of the same type, and for floats of the same sign (nan equals nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                     math.copysign(1, b))
    return a == b


def test_repeated_values_read_as_each_cell_alone():
    from pohon_xl.model.parse import RawSheet, _number_of, parse_level, text

    spec = C.LEVEL_BY_NUMBER[5]
    headers = C.level_headers(spec, YEARS)
    satuan, baseline = headers.index(C.SATUAN), headers.index(C.BASELINE)
    target, budget = headers.index(C.target_header(2025)), headers.index(C.budget_header(2026))
    rows = [headers]
    for r, value in enumerate(_ODD_CELLS + _ODD_CELLS[::-1]):
        row = [None] * len(headers)
        row[0] = f"S{r}"
        row[satuan] = row[baseline] = row[target] = row[budget] = value
        rows.append(row)
    plan = Plan(source="", identity=Identity())
    parse_level(RawSheet(spec.sheet, rows), spec, plan)
    assert len(plan.nodes) == len(rows) - 1
    for node, row in zip(plan.nodes, rows[1:]):
        indicator = node.indicators[0]
        assert indicator.unit == text(row[satuan])
        for number, cell in ((indicator.baseline, row[baseline]),
                             (indicator.targets[2025], row[target]),
                             (indicator.budgets[2026], row[budget])):
            alone = _number_of(cell)
            assert _same(number.raw, alone.raw) and _same(number.value, alone.value), cell
        assert node == Node(**vars(node))


def test_models_from_the_reader_behave_as_constructed(workbook_factory):
    headers = C.level_headers(C.LEVEL_BY_NUMBER[1], YEARS)
    rows = [headers, ["S1", "", "Satu", "Indeks"], ["S2", "", "Dua", "Indeks"]]
    plan = _plan(workbook_factory({"Identitas": identitas_rows(), L1: rows}))
    first, second = plan.nodes
    assert list(vars(first)) == [f.name for f in fields(Node)]  # every field, in order
    assert first == Node(**vars(first)) and repr(first) == repr(Node(**vars(first)))
    copy = replace(first, row=9)
    first.owner = "WALIKOTA"  # assignment, as a rule or the batch may do
    assert (copy.row, first.owner, second.owner) == (9, "WALIKOTA", "")
    assert pickle.loads(pickle.dumps(plan)) == plan


def test_contract_only_reads_the_contract_sheets_alone(workbook_factory):
    level = [C.level_headers(C.LEVEL_BY_NUMBER[1], YEARS), ["S1", "", "Satu", "Indeks"]]
    path = workbook_factory({"Petunjuk": [["isi"]], " identitas ": identitas_rows(),
                             "Catatan Saya": [["bebas"]], L1: level, C.PK: [["PK"]],
                             "l1_sasaran_daerah": [["salinan"]]})
    full, contract = read_raw(path), read_raw(path, contract_only=True)
    assert list(contract) == [" identitas ", L1]
    assert all(contract[k].rows == full[k].rows for k in contract)
    assert parse_workbook(contract) == parse_workbook(full)


def test_trusted_is_the_constructor():
    """The reader's hot path makes the instance the constructor makes (equal, same fields in
    the same order), for every model it builds that way."""
    cases = [(Indicator, {"row": 3, "name": "Indeks", "unit": "%", "arah": "Naik",
                          "baseline": Number(), "targets": {}, "budgets": {}, "aspek": ""}),
             (Position, {"row": 2, "code": "K1", "name": "", "kind": "", "unit": "",
                         "superior": "", "nip": "", "holder": ""})]
    for cls, values in cases:
        made, reference = trusted(cls, dict(values)), cls(**values)
        assert made == reference and list(vars(made)) == list(vars(reference)), cls
    first, second = SheetInfo(name="a"), SheetInfo(name="b")
    assert first.columns is not second.columns  # a fresh default for each