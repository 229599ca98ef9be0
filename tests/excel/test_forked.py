"""The Pohon sheet built in a forked child: the same file as building it here, and every
failure of the child falls back to building it here."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from pohon_xl.core.derive.run import Derivations
from pohon_xl.excel import xlsxpatch
from pohon_xl.excel.forked import Forked, can_fork
from pohon_xl.model import contract as C
from pohon_xl.pipeline import analyse, process
from pohon_xl.sheets import Cell, SheetSpec

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.xlsx"))
needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork here (or one core)")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@needs_fork
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_forked_pohon_gives_the_same_file(example, tmp_path):
    src = tmp_path / example.name
    shutil.copy(example, src)
    here, forked = tmp_path / "here.xlsx", tmp_path / "forked.xlsx"
    outcome_here = process(src, here, derive=True, fork=False)
    outcome_forked = process(src, forked, derive=True, fork=True)
    assert members(forked) == members(here)
    assert outcome_forked.report.findings == outcome_here.report.findings
    assert [s.name for s in outcome_forked.derived] == list(C.DERIVED_SHEETS)
    # and again on its own output, where every sheet it writes already exists
    assert members(process(forked, tmp_path / "a.xlsx", derive=True, fork=True).output) == \
        members(process(forked, tmp_path / "b.xlsx", derive=True, fork=False).output)


def test_derivations_apart_leaves_pohon_out_of_the_iteration():
    outcome = analyse(EXAMPLES[0])
    derivations = Derivations(outcome.plan, outcome.tree, outcome.report)
    apart = [build().name for build in derivations.apart()]
    names = [sheet.name for sheet in derivations]
    assert apart == list(Derivations.APART) == [C.POHON, C.SKP, C.MATRIKS]
    assert sorted(names + apart) == sorted(C.DERIVED_SHEETS)


@needs_fork
def test_result_comes_from_the_child():
    job = Forked(os.getpid)
    assert job.forked
    assert job.result() != os.getpid() and job.from_child


@needs_fork
def test_a_failing_child_falls_back_to_building_here():
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return "built here"

    job = Forked(work)
    assert job.forked
    assert job.result() == "built here" and not job.from_child


def test_without_fork_the_work_runs_at_result():
    calls = []
    job = Forked(lambda: calls.append(1) or "done", fork=False)
    assert not job.forked and calls == []
    assert job.result() == "done" and calls == [1]


@needs_fork
def test_a_sheet_needing_an_unregistered_style_is_rendered_again_here(tmp_path, monkeypatch):
    """A child cannot hand back a style it added to its copy of styles.xml: the patcher then
    renders that sheet itself (here, a look left out of the ones registered beforehand)."""
    monkeypatch.setattr(xlsxpatch, "STYLE_NAMES", ("text",))
    src = tmp_path / "in.xlsx"
    shutil.copy(EXAMPLES[0], src)
    sheet = SheetSpec("Extra", rows=[[Cell("judul", "header"), Cell(3, "money")]])
    out = {}
    for fork in (False, True):
        out[fork] = tmp_path / f"out_{fork}.xlsx"
        with open(out[fork], "wb") as target:
            xlsxpatch.patch(src, target, xlsxpatch.WorkbookEdits(), apart=[lambda: sheet],
                            fork=fork)
    assert members(out[True]) == members(out[False])
