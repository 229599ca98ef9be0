"""An office's workbook in its context: its L1 lives in the body-level workbook.

Alone, the cascade starts at the office's L2 and says where L1 is; with the body's L1 lent
(the batch's returned workbooks), it starts there. Either way the office is not unlinked.
The consolidation's Renstra matrices are per office.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pohon_xl.core.derive.common import BODY_L1
from pohon_xl.core.derive.pohon import UNLINKED_TITLE
from pohon_xl.core.derive.run import derive_all
from pohon_xl.core.link import Tree
from pohon_xl.core.run import continue_run, run_workbook
from pohon_xl.excel import examples as E
from pohon_xl.excel.read import read_raw
from pohon_xl.findings import Report
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec
from tests.derive.helpers import YEARS, jab, make_plan, node, records, texts

OFFICE = E.EXAMPLES_DIR / E.OFFICE.filename
BODY = E.EXAMPLES_DIR / E.KEMACETAN.filename
TRACE = "Subkegiatan (L5) yang tertelusur sampai"


def _plan(path) -> Plan:
    return parse_workbook(read_raw(path), source=path.name)


def _sheets(run) -> dict[str, SheetSpec]:
    return {sheet.name: sheet for sheet in run.sheets()}


@pytest.fixture(scope="module")
def alone() -> dict[str, SheetSpec]:
    return _sheets(run_workbook(read_raw(OFFICE), OFFICE.name, derive=True))


@pytest.fixture(scope="module")
def lent() -> tuple[Plan, dict[str, SheetSpec]]:
    plan, body = _plan(OFFICE), _plan(BODY)
    [l1] = body.nodes_on(1)
    other = replace(l1, id="L1-99", sasaran="Meningkatnya kunjungan wisata")
    run = continue_run(plan, [], body_l1=[l1, other])  # as the batch lends: every body L1
    return plan, _sheets(run)


def _coverage(sheet: SheetSpec) -> dict[str, tuple[object, object]]:
    return {row[1].value: (row[2].value, row[3].value) for row in sheet.rows
            if len(row) > 3 and row[0] is not None and isinstance(row[0].value, int)
            and row[1] is not None}


def _section_titles(sheet: SheetSpec) -> list[str]:
    return [str(c.value) for row in sheet.rows for c in row
            if c is not None and c.style == "subtitle" and c.value]


def test_alone_the_matrix_starts_at_l2_and_names_the_l1_it_points_to(alone):
    plan = _plan(OFFICE)
    rows = records(alone[C.MATRIKS])
    assert len(rows) == 10  # one path per L5 (the example's L5 are its lowest nodes)
    assert {r["ID L2"] for r in rows} == {n.id for n in plan.nodes_on(2)}
    assert {r["ID L1"] for r in rows} == {n.parent_id for n in plan.nodes_on(2)} == {"L1-01"}
    assert {r["Sasaran L1"] for r in rows} == {f"({BODY_L1})"}


def test_alone_ringkasan_counts_coverage_up_to_l2(alone):
    sheet = alone[C.RINGKASAN]
    coverage = _coverage(sheet)
    assert coverage[f"{TRACE} Sasaran Perangkat Daerah (L2)"] == (10, 10)
    assert coverage["Sasaran L2 yang didukung sampai subkegiatan (L5)"] == (3, 3)
    assert not any(key.startswith("Sasaran L1") for key in coverage)  # no 0-of-0 line
    assert any(BODY_L1 in text for text in texts(sheet))


def test_alone_pohon_does_not_call_the_office_unlinked(alone):
    sheet = alone[C.POHON]
    titles = _section_titles(sheet)
    assert len(titles) == 3 and all(t.startswith("L1 L1-01 (workbook Pemda) ▸ L2 ")
                                    for t in titles)
    assert not any(UNLINKED_TITLE in text for text in texts(sheet))
    assert any(BODY_L1 in text for text in texts(sheet))


def test_with_the_body_l1_the_cascade_starts_at_l1(lent):
    plan, sheets = lent
    body_l1 = {n.id: n.sasaran for n in _plan(BODY).nodes_on(1)}
    rows = records(sheets[C.MATRIKS])
    assert len(rows) == 10
    assert {(r["ID L1"], r["Sasaran L1"]) for r in rows} == {("L1-01", body_l1["L1-01"])}
    coverage = _coverage(sheets[C.RINGKASAN])
    assert coverage[f"{TRACE} Sasaran Daerah (L1)"] == (10, 10)
    assert coverage["Sasaran L1 yang didukung sampai subkegiatan (L5)"] == (1, 1)
    titles = _section_titles(sheets[C.POHON])
    assert len(titles) == 3 and all(t.startswith("L1 L1-01 ▸ L2 ") for t in titles)
    assert not any(UNLINKED_TITLE in text for text in texts(sheets[C.POHON]))
    # lent, not taken: the plan (what the input sheets are written from) has no L1, and the
    # body's other L1 nodes (nothing of the office under them) are not shown
    assert not plan.nodes_on(1)
    for sheet in (C.POHON, C.MATRIKS, C.RINGKASAN):
        assert not any("L1-99" in text or "kunjungan wisata" in text
                       for text in texts(sheets[sheet]))


def test_body_workbook_keeps_its_own_l1_roots():
    """The lending changes nothing for a workbook with L1 of its own (the goldens hold it)."""
    sheets = _sheets(run_workbook(read_raw(BODY), BODY.name, derive=True))
    coverage = _coverage(sheets[C.RINGKASAN])
    assert any(key.startswith(f"{TRACE} Sasaran Daerah (L1)") for key in coverage)


# --- the consolidation: per office ----------------------------------------------------------
def _two_kecamatan() -> tuple[Plan, dict[int, str]]:
    """Two offices with the same programme code, merged the way the batch merges them."""
    jabatan = [jab("CAMAT1", "Camat Satu", "Administrator", holder="Ani"),
               jab("CAMAT2", "Camat Dua", "Administrator", holder="Budi")]
    plan = make_plan({
        2: [node("A2", "S1", "Tertibnya wilayah satu", owner="CAMAT1"),
            node("B2", "S1", "Tertibnya wilayah dua", owner="CAMAT2")],
        3: [node("A3", "A2", "Program satu", owner="CAMAT1", code="7.01.01", name="Program"),
            node("B3", "B2", "Program dua", owner="CAMAT2", code="7.01.01", name="Program")],
        5: [node("A5", "A3", "Sub satu", owner="CAMAT1", code="7.01.01.2.01.0001", name="Sub",
                 budget={y: 100 for y in YEARS}),
            node("B5", "B3", "Sub dua", owner="CAMAT2", code="7.01.01.2.01.0001", name="Sub",
                 budget={y: 250 for y in YEARS})],
    }, jabatan, pd="")
    offices = {id(n): ("Kecamatan Satu" if n.id.startswith("A") else "Kecamatan Dua")
               for n in plan.nodes}
    return plan, offices


def test_consolidated_matrices_keep_each_office_apart():
    plan, offices = _two_kecamatan()
    sheets, _ = derive_all(plan, Tree(plan.nodes, plan.positions), Report([]), offices)
    by_name = {s.name: s for s in sheets}
    year = YEARS[0]
    *rows, total = records(by_name[C.PROGRAM])
    assert [(r[C.KEY_PERANGKAT_DAERAH], r["Kode Program"], r[C.pagu_header(year)],
             r["Penanggung Jawab"]) for r in rows] == [
        ("Kecamatan Satu", "7.01.01", 100, "Camat Satu (Ani)"),
        ("Kecamatan Dua", "7.01.01", 250, "Camat Dua (Budi)")]
    assert total[C.KEY_PERANGKAT_DAERAH] == "Jumlah" and total[C.pagu_header(year)] == 350
    *subs, sub_total = records(by_name[C.SUBKEGIATAN])
    assert [r[C.KEY_PERANGKAT_DAERAH] for r in subs] == ["Kecamatan Satu", "Kecamatan Dua"]
    assert sub_total[C.budget_header(year)] == 350


def test_one_workbook_matrices_have_no_office_column():
    plan, _ = _two_kecamatan()
    sheets, _ = derive_all(plan, Tree(plan.nodes, plan.positions), Report([]))
    rows = records(next(s for s in sheets if s.name == C.PROGRAM))
    assert len(rows) == 2 and C.KEY_PERANGKAT_DAERAH not in rows[0]
    assert [r["Kode Program"] for r in rows] == ["7.01.01", "7.01.01"]  # one group
    assert rows[1][C.pagu_header(YEARS[0])] is None  # the group's pagu on its first row
