"""The bundled example of the sheets people fill (Pohon_Kinerja_OPD_Dishub_Realisasi.xlsx):
what its data file promises is in it, the rules find exactly its one planted mistake, and
`turunkan` leaves every cell of it as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pohon_xl.core.validate import validate
from pohon_xl.excel import examples as E
from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import accumulation_of, annual, row_key
from pohon_xl.model.parse import parse_workbook
from pohon_xl.pipeline import process

PATH = E.EXAMPLES_DIR / E.REALISATION.filename


@pytest.fixture(scope="module")
def plan():
    return parse_workbook(read_raw(PATH), source=PATH.name)


def _by_id(rows, node_id):
    return [row for row in rows if row.id == node_id]


def test_the_planted_mistake_is_the_only_rak_finding(plan):
    report, _ = validate(plan)
    rak = [(f.code, f.location.sheet, f.node_id) for f in report.findings
           if f.code.startswith("RAK")]
    assert rak == [("RAK03", C.RENCANA_AKSI, "L5-09")]
    assert not report.has_errors


def test_what_the_data_file_promises(plan):
    tree_targets = {(node.id, ind.name): ind for node in plan.nodes for ind in node.indicators}
    turun = {row.id for row in plan.action_plan
             if tree_targets[(row.id, row.indicator)].arah == C.ARAH_TURUN
             and any(t.value is not None for t in row.targets)}
    assert {"L3-01", "L2-02", "L2-03", "L6-04"} <= turun
    zero = [row for row in plan.action_plan if any(t.value == 0 for t in row.targets)]
    assert {row.id for row in zero} >= {"L5-03"}
    l2 = _by_id(plan.action_plan, "L2-01")[0]
    assert all(t.empty for t in l2.targets) and l2.keterangan
    l4 = _by_id(plan.realisation, "L4-03")[0]
    assert [r.value is None for r in l4.realisations] == [False, False, True, False]
    # every planned year but L5-09's budget holds together (the rules say so; here
    # independently): quarters make the tree's target under the typed accumulation
    for row in plan.action_plan:
        accumulation = accumulation_of(row.accumulation)
        if accumulation is None:
            continue
        target = tree_targets[(row.id, row.indicator)].targets[2026].value
        got = annual([t.value for t in row.targets], accumulation)
        assert got is not None and target is not None
        assert abs(got - target) <= max(0.01, 0.001 * abs(target)) + 1e-9, row.id
    # both sheets hold the same rows, and Realisasi carries Rencana_Aksi's accumulation
    assert [row_key(r) for r in plan.action_plan] == [row_key(r) for r in plan.realisation]
    copied = {row_key(r): r.cells.get("Cara Akumulasi") for r in plan.realisation}
    assert all(copied[row_key(r)] == (r.accumulation or None) for r in plan.action_plan)


def test_turunkan_changes_no_cell_of_the_filled_sheets(tmp_path: Path):
    source = tmp_path / PATH.name
    shutil.copy(PATH, source)
    process(source, tmp_path / "hasil.xlsx", derive=True)
    before, after = load_workbook(source), load_workbook(tmp_path / "hasil.xlsx")
    for name in C.FILLED_SHEETS:
        old, new = before[name], after[name]
        assert new.max_row == old.max_row, name
        for row in old.iter_rows(max_col=old.max_column - 2):  # Status, Catatan: the run's
            for cell in row:
                assert new[cell.coordinate].value == cell.value, (name, cell.coordinate)
        headers = [c.value for c in new[1]]
        assert headers[-2:] == [C.STATUS, C.CATATAN]  # generated with the sheet, reused
    plan = after[C.RENCANA_AKSI]
    status = [c.value for c in plan[1]].index(C.STATUS) + 1
    flagged = {plan.cell(r, 1).value for r in range(2, plan.max_row + 1)
               if plan.cell(r, status).value != "OK"}
    assert flagged == {"L5-09"}
