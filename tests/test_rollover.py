"""pohon-xl tahun-baru: next year's workbook keeps the tree, owners and targets, moves Tahun PK,
clears what the last run wrote, and validates without a Galat the roll-over introduced."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.cli import main
from pohon_xl.pipeline import process, read_run

EXAMPLE = Path(__file__).parents[1] / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """This year's workbook after Turunkan (derived sheets, Laporan, statuses)."""
    folder = tmp_path_factory.mktemp("tahun")
    source = folder / "Pohon.xlsx"
    shutil.copy(EXAMPLE, source)
    process(source, in_place=True, derive=True)
    return source


def _values(path: Path, sheet: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


def test_next_year_keeps_the_tree_and_validates(derived, tmp_path, capsys):
    out = tmp_path / "Pohon_2027.xlsx"
    assert main(["tahun-baru", str(derived), "--tahun-pk", "2027", "-o", str(out)]) == 0
    assert "Tahun PK 2027" in capsys.readouterr().out
    before, after = read_run(derived), read_run(out)
    assert after.plan.pk_year == 2027 and after.plan.years == before.plan.years
    assert [(n.id, n.parent_id, n.owner) for n in after.plan.nodes] == \
        [(n.id, n.parent_id, n.owner) for n in before.plan.nodes]
    assert [[(y, t.value) for y, t in i.targets.items()] for n in after.plan.nodes
            for i in n.indicators] == [[(y, t.value) for y, t in i.targets.items()]
                                       for n in before.plan.nodes for i in n.indicators]
    introduced = {f.code for f in after.report.findings if f.severity.value == "Galat"} - \
        {f.code for f in before.report.findings if f.severity.value == "Galat"}
    assert introduced == set()
    book = openpyxl.load_workbook(out)
    # What the last run wrote is cleared: statuses, marks, report and derived sheets.
    level = book["L2_Sasaran_PD"]
    header = [c.value for c in level[1]]
    status = header.index("Status") + 1
    assert [level.cell(r, status).value for r in range(2, level.max_row + 1)] == \
        [None] * (level.max_row - 1)
    assert [[c.value for c in row] for row in book["PK"].iter_rows()][0][0].startswith(
        "Dikosongkan untuk Tahun PK 2027")
    review = _values(out, "Tinjau_Tahun_Baru")
    assert review[0] == ["No", "Sheet", "ID", "Yang perlu ditinjau"]
    assert any("RHK tahun 2027" in str(row[3]) for row in review[1:])
    # Turunkan on it derives the PK of the new year.
    derived_again = tmp_path / "turunan.xlsx"
    assert main(["turunkan", str(out), "-o", str(derived_again)]) in (0, 1)
    assert _values(derived_again, "PK")[0][0] == "PERJANJIAN KINERJA TAHUN 2027"
    # Last year's Rencana_Aksi and Realisasi are cleared, and generated for 2027 again.
    for sheet in ("Rencana_Aksi", "Realisasi"):
        assert _values(out, sheet)[0][0].startswith("Dikosongkan untuk Tahun PK 2027")
        again = _values(derived_again, sheet)
        planned = [i for n in after.plan.nodes if n.level >= 2 for i in n.indicators
                   if i.targets.get(2027) is not None and not i.targets[2027].empty]
        assert "Target 2027" in again[0] and len(again) == 1 + len(planned)


def test_next_period_shifts_the_years(derived, tmp_path):
    out = tmp_path / "Periode.xlsx"
    assert main(["tahun-baru", str(derived), "--periode-baru", "-o", str(out)]) == 0
    before, after = read_run(derived), read_run(out)
    assert after.plan.years == [2030, 2031, 2032, 2033, 2034] and after.plan.pk_year == 2030
    header = _values(out, "L5_Sasaran_Subkegiatan")[0]
    assert "Target 2030" in header and "Anggaran 2034" in header and "Target 2025" not in header
    old = {n.id: n for n in before.plan.nodes}
    for node in after.plan.nodes:
        for new_indicator, old_indicator in zip(node.indicators, old[node.id].indicators):
            last = old_indicator.targets.get(2029)
            if last is not None and last.value is not None:
                assert new_indicator.baseline.value == last.value
            assert all(t.empty for t in new_indicator.targets.values())
    # The only Galat the new period brings is the one it asks for: the targets of the new
    # Tahun PK are empty until the planner fills them (NIL15), as Tinjau_Tahun_Baru says.
    introduced = {f.code for f in after.report.findings if f.severity.value == "Galat"} - \
        {f.code for f in before.report.findings if f.severity.value == "Galat"}
    assert introduced <= {"NIL15"}


def test_a_year_outside_the_period_is_refused(derived, tmp_path, capsys):
    assert main(["tahun-baru", str(derived), "--tahun-pk", "2031",
                 "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "--periode-baru" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
