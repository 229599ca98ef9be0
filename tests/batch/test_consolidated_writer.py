"""The consolidated workbook's fast writer (XlsxWriter for the skeleton and the Rekap chart,
pohon-xl's worksheet renderer for the tables) against XlsxWriter writing every sheet, and
the plans that travel between processes as their pickle."""

from __future__ import annotations

import pickle
import shutil
import subprocess

import openpyxl
import pytest

import pohon_xl.batch.jobs as batch_jobs
from pohon_xl.batch.jobs import Job, Packed
from pohon_xl.batch.run import _Batch, run_batch
from pohon_xl.batch.runners import InlineRunner, ProcessRunner
from pohon_xl.batch.xlsx import _write_xlsxwriter, write_new
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import Cell, SheetSpec
from tests.batch.builders import build_inbox


@pytest.fixture(scope="module")
def consolidation(tmp_path_factory):
    """The consolidated workbook of the small inbox, and the sheets and chart it was made of."""
    root = tmp_path_factory.mktemp("konsolidasi")
    inbox = build_inbox(root / "kotak", root / "bahan")
    made = []
    original = batch_jobs._consolidated_sheets

    def keep(job):
        made.append(original(job))
        return made[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_jobs, "_consolidated_sheets", keep)
        result = run_batch(inbox, root / "hasil", jobs=1)
    sheets, title, charts = made[-1]
    return {"root": root, "path": result.consolidated, "sheets": sheets, "title": title,
            "charts": charts}


def _kind(value: object) -> type:
    return float if isinstance(value, int) and not isinstance(value, bool) else type(value)


def _look(cell) -> tuple:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    edges = tuple((getattr(border, side).style,
                   getattr(border, side).color.rgb if getattr(border, side).color else None)
                  for side in ("left", "right", "top", "bottom"))
    return (cell.number_format, bool(font.b), bool(font.u), font.sz,
            font.color.rgb if font.color is not None and font.color.type == "rgb" else None,
            fill.fill_type, fill.fgColor.rgb if fill.fill_type else None, edges,
            bool(align.wrap_text), align.horizontal, align.vertical,
            cell.hyperlink.location if cell.hyperlink else None)


def _widths(sheet) -> dict[int, float]:
    widths = {}
    for dim in sheet.column_dimensions.values():
        if dim.customWidth:  # XlsxWriter writes equal neighbours as one <col min max>
            for column in range(dim.min, dim.max + 1):
                widths[column] = dim.width
    return widths


def _sheet_settings(sheet) -> tuple:
    # Widths to 1/1000 of a character: pohon-xl's renderer writes six significant digits.
    widths = {c: round(w, 3) for c, w in _widths(sheet).items()}
    # Rows of the default height (15): XlsxWriter leaves them out, pohon-xl writes them.
    heights = {r: d.height for r, d in sheet.row_dimensions.items() if d.height not in (None, 15)}
    tab = sheet.sheet_properties.tabColor
    return (widths, heights, sheet.freeze_panes, sheet.auto_filter.ref,
            sorted(map(str, sheet.merged_cells.ranges)), sheet.print_title_rows,
            sheet.protection.sheet, sheet.page_setup.orientation,
            str(sheet.page_setup.paperSize), tab.rgb if tab is not None else None,
            [b.id for b in sheet.row_breaks.brk], len(sheet._charts))


def test_same_workbook_as_xlsxwriter_writing_every_sheet(consolidation, tmp_path):
    slow = tmp_path / "xlsxwriter.xlsx"
    _write_xlsxwriter(slow, consolidation["sheets"], title=consolidation["title"],
                      charts=consolidation["charts"])
    fast = openpyxl.load_workbook(consolidation["path"])
    expected = openpyxl.load_workbook(slow)
    assert fast.sheetnames == expected.sheetnames
    assert fast.properties.title == expected.properties.title
    for name in expected.sheetnames:
        got, want = fast[name], expected[name]
        assert (got.max_row, got.max_column) == (want.max_row, want.max_column), name
        for got_row, want_row in zip(got.iter_rows(), want.iter_rows()):
            for g, w in zip(got_row, want_row):
                # Excel numbers are doubles: XlsxWriter writes 1.0 as "1", pohon-xl as "1.0".
                assert _kind(g.value) == _kind(w.value) and g.value == w.value, (name, g.coordinate)
                if w.value is not None or w.has_style:
                    assert _look(g) == _look(w), (name, g.coordinate)
        assert _sheet_settings(got) == _sheet_settings(want), name
    assert len(fast["Rekap"]._charts) == 1


def test_widths_and_heights_as_xlsxwriter_stores_them(tmp_path):
    spec = SheetSpec("Lembar", rows=[[Cell("a")], [Cell("b")]],
                     widths={1: 28, 2: 49.5, 3: 0.5}, heights={1: 20, 2: 43})
    write_new(tmp_path / "cepat.xlsx", [spec])
    _write_xlsxwriter(tmp_path / "lambat.xlsx", [spec])
    got = openpyxl.load_workbook(tmp_path / "cepat.xlsx")["Lembar"]
    want = openpyxl.load_workbook(tmp_path / "lambat.xlsx")["Lembar"]
    assert _sheet_settings(got)[:2] == _sheet_settings(want)[:2]


def test_a_second_write_gives_the_same_bytes(consolidation, tmp_path):
    again = tmp_path / consolidation["path"].name
    write_new(again, consolidation["sheets"], title=consolidation["title"],
              charts=consolidation["charts"])
    assert again.read_bytes() == consolidation["path"].read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [again.name]  # no skeleton left behind


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice tidak terpasang")
def test_libreoffice_opens_the_consolidated_workbook(consolidation, tmp_path):
    out = tmp_path / "lo"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless",
         "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
         str(consolidation["path"])], capture_output=True, text=True, timeout=180)
    converted = out / consolidation["path"].name
    assert result.returncode == 0 and converted.exists(), result.stderr
    again = openpyxl.load_workbook(converted, read_only=True)
    original = openpyxl.load_workbook(consolidation["path"], read_only=True)
    assert again.sheetnames == original.sheetnames
    for name in ("Rekap", "L2_Sasaran_PD", "Laporan_Validasi"):
        assert ([r for r in again[name].iter_rows(values_only=True)]
                == [r for r in original[name].iter_rows(values_only=True)]), name


def test_a_packed_plan_is_pickled_once_and_forwarded_as_is():
    plan = Plan(source="Dinkes.xlsx")
    packed = Packed(plan)
    assert packed.value is plan  # within one process: no pickling at all
    received = pickle.loads(pickle.dumps(packed))
    data = received.__getstate__()
    forwarded = pickle.loads(pickle.dumps(received))
    assert forwarded.__getstate__() is not None and forwarded.__getstate__() == data
    assert received.__getstate__() is data  # not pickled again on the way
    assert forwarded.value == plan and forwarded == received


def test_workers_take_the_largest_jobs_first():
    jobs = [Job(i, f"B{i}.xlsx", f"B{i}.xlsx") for i in range(4)]
    sizes = {0: 5, 1: 20, 2: 5, 3: 9}
    pooled = _Batch([], None, ProcessRunner(2), None, None).largest_first(jobs, lambda j: sizes[j.index])
    assert [j.index for j in pooled] == [1, 3, 0, 2]  # ties keep the inbox order
    alone = _Batch([], None, InlineRunner(), None, None).largest_first(jobs, lambda j: sizes[j.index])
    assert alone == jobs


def test_spawned_workers_write_the_same_bytes(consolidation, tmp_path, monkeypatch):
    """Windows and macOS spawn their workers: plans then travel by pickle all the same."""
    monkeypatch.setattr(ProcessRunner, "start_method", "spawn")
    inbox = consolidation["root"] / "kotak"
    run_batch(inbox, tmp_path / "spawn", jobs=2)
    inline = consolidation["path"].parent
    spawned = {p.relative_to(tmp_path / "spawn"): p.read_bytes()
               for p in (tmp_path / "spawn").rglob("*") if p.is_file()}
    assert spawned == {p.relative_to(inline): p.read_bytes()
                       for p in inline.rglob("*") if p.is_file()}
