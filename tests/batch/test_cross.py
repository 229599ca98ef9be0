"""The cross-workbook checks (BAT codes) on plans parsed from rows: pure, no files."""

from __future__ import annotations

import copy

import pytest

from pohon_xl.batch.cross import CATALOGUE, arrange, cross_check, reconsider
from pohon_xl.batch.merge import consolidate
from pohon_xl.core.validate import validate
from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawSheet, parse_workbook
from tests.batch.builders import body_sheets, office_sheets


def plan_of(sheets: dict, source: str):
    return parse_workbook({n: RawSheet(n, copy.deepcopy(rows)) for n, rows in sheets.items()},
                          source=source)


def dishub(**kwargs):
    sheets = office_sheets("Dinas Perhubungan", "DISHUB", "a@dishub.go.id", "DISHUB",
                           "2.15.02", kwargs.pop("parent", "S1"), 4e8, **kwargs)
    return sheets


def pupr(**kwargs):
    return office_sheets("Dinas PU", "PUPR", "a@pupr.go.id", "PUPR", "1.03.10",
                         kwargs.pop("parent", "S1"), 8e8, **kwargs)


def codes(findings: list[Finding]) -> list[tuple]:
    return [(f.code, f.source, f.location.sheet, f.location.row) for f in findings]


def test_catalogue_codes_are_unique_and_complete():
    numbers = [rule.code for rule in CATALOGUE]
    assert numbers == sorted(set(numbers))
    assert all(code.startswith("BAT") for code in numbers)
    for rule in CATALOGUE:
        assert rule.message and rule.suggestion and rule.name


def test_clean_batch_only_reports_unsupported_l1_and_collaborators():
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(), "Dishub.xlsx"),
             plan_of(pupr(), "PUPR.xlsx")]
    found = cross_check(plans)
    assert sorted(codes(found)) == [
        # S2 (DISPAR) and S3 have nobody under them
        ("BAT03", "Pemkot.xlsx", "L1_Sasaran_Daerah", 3),
        ("BAT03", "Pemkot.xlsx", "L1_Sasaran_Daerah", 4),
        # S1 names DINKES and SATPOL; DISPAR (S2) sent nothing: neither is a workbook here
        ("BAT06", "Pemkot.xlsx", "L1_Sasaran_Daerah", 2),
        ("BAT06", "Pemkot.xlsx", "L1_Sasaran_Daerah", 2),
        ("BAT06", "Pemkot.xlsx", "L1_Sasaran_Daerah", 3),
    ]
    assert all("terdalam: L1" in f.message for f in found if f.code == "BAT03")


def test_duplicate_id_is_reported_to_both_workbooks():
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(), "Dishub.xlsx"),
             plan_of(pupr(rhk_id="DISHUB-L6-1"), "PUPR.xlsx")]
    dup = [f for f in cross_check(plans) if f.code == "BAT01"]
    assert codes(dup) == [("BAT01", "Dishub.xlsx", "L6_RHK_Individu", 2),
                          ("BAT01", "PUPR.xlsx", "L6_RHK_Individu", 2)]
    assert "PUPR.xlsx" in dup[0].message and "Dishub.xlsx" in dup[1].message
    assert all(f.severity is Severity.GALAT and f.location.column_index == 1 for f in dup)


def test_l2_parent_missing_in_body():
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(parent="S9"), "Dishub.xlsx")]
    [bat02] = [f for f in cross_check(plans) if f.code == "BAT02"]
    assert (bat02.source, bat02.location.sheet, bat02.location.row) == (
        "Dishub.xlsx", "L2_Sasaran_PD", 2)
    assert bat02.location.column == C.ID_INDUK and "S9" in bat02.message
    assert "S1, S2, S3" in bat02.suggestion


def test_collaborator_without_nodes_is_told_on_both_sides():
    sheets = dishub()
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(sheets, "Dishub.xlsx"),
             plan_of(office_sheets("Dinas Kesehatan", "DINKES", "k@dinkes.go.id", "DINKES",
                                   "1.02.02", "S2", 1e8), "Dinkes.xlsx")]
    found = cross_check(plans)
    assert ("BAT04", "Pemkot.xlsx", "L1_Sasaran_Daerah", 2) in codes(found)
    [asked] = [f for f in found if f.code == "BAT05"]
    assert asked.source == "Dinkes.xlsx" and asked.location.sheet == C.IDENTITAS
    assert asked.location.row == 3 and "S1" in asked.message
    # DISHUB is under S1: no BAT04 for it
    assert not any(f.code == "BAT04" and "DISHUB" in f.message for f in found)


def test_office_speaks_only_for_itself():
    sheets = dishub()
    sheets["L1_Sasaran_Daerah"] = body_sheets()["L1_Sasaran_Daerah"][:2]  # copies S1
    l3 = sheets["L3_Sasaran_Program"]
    owner = l3[0].index(C.PEMILIK)
    l3[1][owner] = "PUPR-KABID"  # a position of another office
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(sheets, "Dishub.xlsx"),
             plan_of(pupr(), "PUPR.xlsx")]
    found = cross_check(plans)
    assert ("BAT08", "Dishub.xlsx", "L1_Sasaran_Daerah", 2) in codes(found)
    assert ("BAT07", "Dishub.xlsx", "L3_Sasaran_Program", 2) in codes(found)
    assert not any(f.code == "BAT01" for f in found)  # the copied L1 is BAT08, not BAT01


def test_same_position_code_two_positions():
    sheets = pupr()
    jabatan = sheets[C.JABATAN]
    jabatan[1] = list(jabatan[1])
    jabatan[1][1] = "Bupati Lain"  # KDH named differently than in the body workbook
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(sheets, "PUPR.xlsx")]
    [conflict] = [f for f in cross_check(plans) if f.code == "BAT09"]
    assert (conflict.source, conflict.location.sheet, conflict.location.row,
            conflict.location.column) == ("PUPR.xlsx", C.JABATAN, 2, C.NAMA_JABATAN)
    assert "Bupati Lain" in conflict.message and "Wali Kota Contoh" in conflict.message


def test_head_of_office_reports_to_a_position_of_the_body():
    sheets = dishub()
    sheets[C.JABATAN] = [sheets[C.JABATAN][0]] + sheets[C.JABATAN][2:]  # no KDH anywhere
    body = body_sheets()
    body[C.JABATAN] = body[C.JABATAN][:1] + [["BUP", "Bupati", C.KEPALA_DAERAH]]
    plans = [plan_of(body, "Pemkot.xlsx"), plan_of(sheets, "Dishub.xlsx")]
    [head] = [f for f in cross_check(plans) if f.code == "BAT13"]
    assert head.source == "Dishub.xlsx" and "KDH" in head.message


@pytest.mark.parametrize("bodies", [0, 2])
def test_missing_or_doubled_body(bodies):
    plans = [plan_of(dishub(), "Dishub.xlsx")]
    if bodies == 2:
        plans += [plan_of(body_sheets(), "A.xlsx"), plan_of(body_sheets(), "B.xlsx")]
    found = cross_check(plans)
    if bodies == 0:
        [none] = [f for f in found if f.code == "BAT10"]
        assert none.source == "" and none.severity is Severity.GALAT
        assert not any(f.code == "BAT02" for f in found)
    else:
        [extra] = [f for f in found if f.code == "BAT11"]
        assert extra.source == "B.xlsx" and "A.xlsx" in extra.message
        assert arrange(plans).body.source == "A.xlsx"


def test_duplicate_office_code():
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(), "Dishub.xlsx"),
             plan_of(dishub(), "Dishub lagi.xlsx")]
    found = cross_check(plans)
    [dup] = [f for f in found if f.code == "BAT12"]
    assert dup.source == "Dishub.xlsx" and "Dishub lagi.xlsx" in dup.message


def test_single_findings_are_reconsidered_in_the_batch():
    body, office = plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(), "Dishub.xlsx")
    batch = arrange([body, office])
    body_alone = validate(body)[0].findings
    office_alone = validate(office)[0].findings
    assert any(f.code == "STR01" and f.severity is Severity.GALAT for f in body_alone)
    assert any(f.code == "TAU01" and f.level == 2 for f in office_alone)
    again = reconsider(body_alone, body, batch)
    assert not any(f.severity is Severity.GALAT for f in again if f.code == "STR01")
    assert not any(f.code == "TAU06" and f.level == 1 for f in again)
    assert not any(f.code == "TAU01" for f in reconsider(office_alone, office, batch))
    # alone (no offices in the batch) nothing changes
    assert reconsider(body_alone, body, arrange([body])) == list(body_alone)


def test_consolidation_renumbers_rows_and_maps_findings_back():
    plans = [plan_of(body_sheets(), "Pemkot.xlsx"), plan_of(dishub(), "Dishub.xlsx"),
             plan_of(pupr(), "PUPR.xlsx")]
    cons = consolidate(arrange(plans))
    l2 = [n for n in cons.plan.nodes if n.level == 2]
    assert [(n.id, n.row, n.rows) for n in l2] == [("DISHUB-L2-1", 2, [2, 3]),
                                                  ("PUPR-L2-1", 4, [4, 5])]
    assert cons.node_sources[:3] == ["Pemkot.xlsx"] * 3
    finding = Finding("X01", Severity.GALAT, "m", "s",
                      Location("L2_Sasaran_PD", 3, C.INDIKATOR, 4), source="PUPR.xlsx")
    where = cons.locate(finding, {p.source: p for p in plans})
    assert (where.sheet, where.row) == ("L2_Sasaran_PD", 5)
    assert where.column_index == cons.plan.sheets["L2_Sasaran_PD"].columns[C.INDIKATOR]
    codes_seen = [p.code for p in cons.plan.positions]
    assert codes_seen.count("KDH") == 1 and len(codes_seen) == 9
