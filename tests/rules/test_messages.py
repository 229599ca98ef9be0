"""Messages quote what the user typed and point at the cell; odd input never crashes a rule."""

from __future__ import annotations

import datetime as dt

import pytest

from pohon_xl.core.validate import validate
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook


def _findings(build_workbook, case):
    report, _ = validate(parse_workbook(build_workbook(case), "uji.xlsx"))
    return report.findings


def test_messages_suggest_the_code_that_was_meant(build_workbook):
    case = {
        "sheets": {
            "L3_Sasaran_Program": {"set": {2: {"ID Induk": "spd 1"}}},
            "L4_Sasaran_Kegiatan": {"set": {2: {"Pemilik Kinerja": "kasi rll"}}},
            "Jabatan": {
                "set": {5: {"Kode Jabatan Atasan": "kabid_ll"}, 6: {"Jenis Jabatan": "JFT"}}
            },
        }
    }
    messages = {f.code: f.message for f in _findings(build_workbook, case)}
    assert messages["TAU01"] == (
        "ID Induk 'spd 1' tidak ditemukan pada node mana pun (maksudnya 'SPD1'?)."
    )
    assert messages["PEM02"].endswith("(maksudnya 'KASI-RLL'?).")
    assert messages["PEM08"].endswith("(maksudnya 'KABID-LL'?).")
    assert messages["PEM10"].endswith("tidak dikenal (maksudnya 'Fungsional'?).")


def test_findings_point_at_the_contract_column(build_workbook):
    case = {"sheets": {"L3_Sasaran_Program": {"set": {2: {"Target 2027": "xxx"}}}}}
    (finding,) = [f for f in _findings(build_workbook, case) if f.code == "NIL01"]
    headers = C.level_headers(C.LEVEL_BY_NUMBER[3], range(2025, 2030))
    assert finding.location.column == "Target 2027"
    assert finding.location.column_index == headers.index("Target 2027") + 1
    assert finding.node_id == "SP1" and finding.level == 3
    assert "'xxx'" in finding.message


def test_identitas_findings_point_at_the_value_cell(build_workbook):
    findings = _findings(build_workbook, {"identitas": {"Tahun PK": 2031}})
    (finding,) = [f for f in findings if f.code == "STR06"]
    assert (finding.location.row, finding.location.column_index) == (6, 2)


ODD_VALUES = ("  ", "xxx;,", -1, dt.datetime(2026, 1, 31))


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_odd_cell_values_never_crash(build_workbook, value):
    """Every cell of the base workbook (headers and Identitas keys included), in turn,
    replaced by an odd value."""
    base = build_workbook()
    for sheet in base.values():
        for row in sheet.rows:
            for c, original in enumerate(row):
                row[c] = value
                validate(parse_workbook(base, "uji.xlsx"))
                row[c] = original


def test_all_sheets_empty_or_absent(build_workbook):
    empty = {name: {"rows": []} for name in [C.JABATAN] + [s.sheet for s in C.LEVELS]}
    codes = {f.code for f in _findings(build_workbook, {"sheets": empty})}
    assert not codes & {"TAU01", "PEM02", "NIL03"}
    names = [C.IDENTITAS, C.JABATAN] + [s.sheet for s in C.LEVELS]
    absent = {name: {"drop": True} for name in names}
    codes = [f.code for f in _findings(build_workbook, {"sheets": absent})]
    assert codes == ["STR01"] * 8


def test_placeholders_named_like_a_location_reach_the_message(build_workbook):
    """Where a finding points and what its message says are given apart: a placeholder may be
    named ``row``, ``column``, ``level``, ``severity`` or ``node_id``."""
    from pohon_xl.core.link import Tree
    from pohon_xl.findings import FindingType, Severity
    from pohon_xl.rules.base import Context, Rule

    class Placeholders(Rule):  # not registered: it only exercises Rule.at / Rule.at_node
        code, name, severity = "KUA99", "uji", Severity.INFO
        message = "{id} {row} {column} {level} {severity} {node_id}"
        suggestion = "baris {row}"

    plan = parse_workbook(build_workbook(None), "uji.xlsx")
    node = plan.nodes_on(3)[0]
    ctx = Context(plan, Tree(plan.nodes, plan.positions))
    params = {"row": 99, "column": "kolom", "level": "L9", "severity": "berat", "node_id": "X"}
    finding = Placeholders().at_node(ctx, node, C.SATUAN, severity=Severity.GALAT, params=params)
    assert finding.message == f"{node.id} 99 kolom L9 berat X" and finding.suggestion == "baris 99"
    assert (finding.location.row, finding.location.column) == (node.row, C.SATUAN)
    assert (finding.node_id, finding.level, finding.severity) == (node.id, 3, Severity.GALAT)
    kind = FindingType("TUR99", Severity.INFO, "uji", "baris {row}, sumber {source}", "")
    made = kind.make(source="a.xlsx", params={"row": 7, "source": "b.xlsx"})
    assert (made.message, made.source, made.location.row) == ("baris 7, sumber b.xlsx", "a.xlsx", 0)
