"""The xlwings Lite buttons (pohon_xl.excel.lite) and what `pohon-xl lite` writes, in CPython.

The book is xlwings' own remote engine fed with the JSON payload (``xw.Book(json=…)``), which
is what xlwings Lite hands a ``@xw.script`` function; the recorded actions are applied to the
file with openpyxl and compared with the CLI's output. The same scripts run under Node +
Pyodide in ``test_lite_pyodide.py``.
"""

from __future__ import annotations

import ast
import base64
import copy
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported
xw = pytest.importorskip("xlwings")

from pohon_xl.cli import main as cli_main  # noqa: E402
from pohon_xl.excel import lite, lite_bundle  # noqa: E402
from pohon_xl.excel.live_plan import Op  # noqa: E402
from pohon_xl.model import contract as C  # noqa: E402
from pohon_xl.pipeline import process  # noqa: E402

from . import test_live as live_tests  # noqa: E402 - its comparison helpers, not its tests
from .live_support.applier import apply_actions  # noqa: E402
from .live_support.payload import ensure_remote_engine, payload_from_xlsx  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.xlsx"))


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    ensure_remote_engine()


def press(path: Path, button, target: Path):
    """Run a Lite script on ``path`` as the add-in would; apply its actions to ``target``."""
    payload = payload_from_xlsx(path)
    book = xw.Book(json=copy.deepcopy(payload))  # the engine updates what it was given
    result = button(book)
    actions = book.json()["actions"]
    applier = apply_actions(path, target, payload, actions)
    assert applier.unhandled == [], "actions the applier does not know"
    return result, actions, applier


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_validasi_and_turunkan_write_what_the_cli_writes(example: Path, tmp_path: Path) -> None:
    for derive, button in ((False, lite.validasi), (True, lite.turunkan)):
        cli = process(example, tmp_path / f"cli{derive}.xlsx", derive=derive)
        run, _, applier = press(example, button, tmp_path / f"lite{derive}.xlsx")

        assert run is not None and run.report.findings == cli.report.findings
        live_tests.assert_same_as_cli(tmp_path / f"lite{derive}.xlsx",
                                      tmp_path / f"cli{derive}.xlsx",
                                      derived=list(cli.derived) if derive else [])
        (prompt, title, buttons, mode, _), = applier.alerts
        assert title == "Pohon Kinerja" and C.LAPORAN in prompt
        assert mode == ("critical" if run.report.has_errors else "info")


class _Unreadable(AssertionError):
    pass


def test_nothing_is_decided_by_reading_colours_or_notes(workbook_factory, tmp_path: Path,
                                                        monkeypatch) -> None:
    """Lite raises on reading colours, notes and merges: the second run on a fixed workbook
    must put the fixed cell back from the registry alone, and equal the CLI's result."""
    from xlwings.pro import _xlremote

    path = live_tests.broken_workbook(workbook_factory)
    first = tmp_path / "first.xlsx"
    press(path, lite.validasi, first)
    book = openpyxl.load_workbook(first)
    l2 = book[C.LEVELS[1].sheet]
    headers = [c.value for c in l2[1]]
    l2.cell(2, headers.index("ID Induk") + 1).value = "1.1"
    book.save(fixed := tmp_path / "fixed.xlsx")

    def refuse(*args, **kwargs):
        raise _Unreadable("Lite cannot read this")

    # Which cells carry a note is in the payload (deleting a note needs it); what a note says
    # and every colour, merge and width are what Lite cannot read.
    for cls, names in ((_xlremote.Range, ("color", "merge_cells", "column_width")),
                       (_xlremote.Sheet, ("notes",)), (_xlremote.Note, ("text",))):
        for name in names:
            monkeypatch.setattr(cls, name, property(refuse, getattr(cls, name).fset))
    second = tmp_path / "second.xlsx"
    run, _, _ = press(fixed, lite.validasi, second)

    assert run is not None
    process(fixed, tmp_path / "cli.xlsx")
    live_tests.assert_same_as_cli(second, tmp_path / "cli.xlsx", derived=[])
    parent = f"{openpyxl.utils.get_column_letter(headers.index('ID Induk') + 1)}2"
    cell = openpyxl.load_workbook(second)[C.LEVELS[1].sheet][parent]
    assert live_tests.fill(cell) == "" and cell.comment is None


def test_a_failure_is_an_alert_and_a_sheet(workbook_factory, tmp_path: Path) -> None:
    path = workbook_factory({"Anggaran": [["Uraian", "Nilai"], ["Belanja", 10]]},
                            name="lain.xlsx")
    result, actions, applier = press(path, lite.validasi, tmp_path / "gagal.xlsx")

    assert result is None
    (prompt, _, _, mode, _), = applier.alerts
    assert "bukan workbook pohon kinerja" in prompt and lite.ERROR_SHEET in prompt
    assert mode == "critical"
    got = openpyxl.load_workbook(tmp_path / "gagal.xlsx")
    assert got.sheetnames == ["Anggaran", lite.ERROR_SHEET]
    assert applier.active == lite.ERROR_SHEET
    column = [c.value for c in got[lite.ERROR_SHEET]["A"] if c.value]
    assert column[0] == "pohon-xl tidak dapat menyelesaikan Validasi"
    assert "bukan workbook pohon kinerja" in column[1]
    assert any("Traceback" in str(v) for v in column), "the details, for the maintainer"
    assert got["Anggaran"]["B2"].value == 10, "nothing else written"


def test_an_unexpected_error_leaves_the_book_and_a_later_success_removes_the_sheet(
        workbook_factory, tmp_path: Path, monkeypatch) -> None:
    path = live_tests.broken_workbook(workbook_factory)

    def boom(*args, **kwargs):
        raise KeyError("kolom hilang")

    with monkeypatch.context() as patch:
        patch.setattr(lite, "plan_writes", boom)
        result, actions, applier = press(path, lite.turunkan, tmp_path / "gagal.xlsx")
    assert result is None
    assert {a["func"] for a in actions} <= {"addSheet", "setValues", "setFontProperty",
                                            "setWrapText", "setColumnWidth", "activateSheet",
                                            "alert"}
    prompt = applier.alerts[0][0]
    assert "KeyError" in prompt and "Traceback" not in prompt
    failed = openpyxl.load_workbook(tmp_path / "gagal.xlsx")
    assert lite.ERROR_SHEET in failed.sheetnames and C.LAPORAN not in failed.sheetnames

    run, _, applier = press(tmp_path / "gagal.xlsx", lite.turunkan, tmp_path / "lagi.xlsx")
    assert run is not None
    assert lite.ERROR_SHEET not in openpyxl.load_workbook(tmp_path / "lagi.xlsx").sheetnames
    assert applier.active != lite.ERROR_SHEET


def test_without_notes_the_marks_are_fills_and_the_messages_stay_in_the_columns(
        tmp_path: Path) -> None:
    """An Excel without ExcelApi 1.18 cannot add notes: the run still completes."""
    example = REPO / "examples" / "Pohon_Kinerja_Kesalahan_Umum.xlsx"
    payload = payload_from_xlsx(example)
    for sheet in payload["sheets"]:
        sheet["notes_supported"] = False
    book = xw.Book(json=copy.deepcopy(payload))
    run = lite.validasi(book)
    actions = book.json()["actions"]

    assert run is not None and run.report.has_errors
    assert not {"addNote", "deleteNote"} & {a["func"] for a in actions}
    apply_actions(example, tmp_path / "lite.xlsx", payload, actions)
    process(example, tmp_path / "cli.xlsx")
    got, want = (openpyxl.load_workbook(tmp_path / n) for n in ("lite.xlsx", "cli.xlsx"))
    for name in want.sheetnames:
        if name in [spec.sheet for spec in C.LEVELS] or name == C.LAPORAN:
            assert live_tests.values(got[name]) == live_tests.values(want[name]), name


def test_buka_laporan(workbook_factory, tmp_path: Path) -> None:
    example = EXAMPLES[0]
    _, _, applier = press(example, lite.buka_laporan, tmp_path / "belum.xlsx")
    assert "klik Validasi dahulu" in applier.alerts[0][0]
    press(example, lite.validasi, tmp_path / "sudah.xlsx")
    _, actions, applier = press(tmp_path / "sudah.xlsx", lite.buka_laporan, tmp_path / "x.xlsx")
    assert [a["func"] for a in actions] == ["activateSheet"] and applier.active == C.LAPORAN


def test_fills_become_few_colour_blocks() -> None:
    ops = [Op("sheet", "S"), Op("fill", "S", 1, 1, 1, 3, "#FFC7CE"),
           Op("values", "S", 1, 1, 1, 1, [["x"]]), Op("fill", "S", 2, 2, value="#FFEB9C"),
           Op("fill", "S", 1, 2, value=None),  # a later fill of a cell wins
           Op("fill", "S", 500, 1, value="#DDEBF7"), Op("fill", "T", 4, 4, 120, 100, "#FFFFFF")]
    grouped = lite.group_fills(ops)

    # where the sheet's first fill was: rows 1-2 in one block, row 500 in another
    assert [op.kind for op in grouped if op.sheet == "S"] == ["sheet", "colors", "colors",
                                                              "values"]
    cells: dict[tuple[str, int, int], object] = {}
    for op in grouped:
        if op.kind == "colors":
            assert op.nrows * op.ncols <= lite.MAX_COLORS
            assert len(op.value) == op.nrows and {len(r) for r in op.value} == {op.ncols}
            for i, row in enumerate(op.value):
                for j, color in enumerate(row):
                    if color is not ...:
                        assert (op.sheet, op.row + i, op.col + j) not in cells
                        cells[(op.sheet, op.row + i, op.col + j)] = color
    expected = {("S", 1, 1): "#FFC7CE", ("S", 1, 2): None, ("S", 1, 3): "#FFC7CE",
                ("S", 2, 2): "#FFEB9C", ("S", 500, 1): "#DDEBF7"}
    expected |= {("T", r, c): "#FFFFFF" for r in range(4, 124) for c in range(4, 104)}
    assert cells == expected
    assert "fill" not in {op.kind for op in grouped}
    assert len([op for op in grouped if op.sheet == "T"]) == 2  # 12,000 cells: two blocks


def test_a_500_row_validasi_makes_a_few_hundred_calls(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    path = generate("office-500")
    _, actions, _ = press(path, lite.validasi, tmp_path / "lite.xlsx")
    assert len(actions) <= 300, len(actions)


# ---------------------------------------------------------------------------------------------
# What `pohon-xl lite` writes
def test_the_command_writes_the_script_and_requirements(tmp_path: Path) -> None:
    assert cli_main(["lite", "-o", str(tmp_path / "lite")]) == 0
    main = (tmp_path / "lite" / "main.py").read_text(encoding="utf-8")
    requirements = (tmp_path / "lite" / "requirements.txt").read_text(encoding="utf-8")

    assert requirements.splitlines() == list(lite_bundle.REQUIREMENTS)
    tree = ast.parse(main)
    scripts = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
               and any("script" in ast.unparse(d) for d in node.decorator_list)}
    assert scripts == {"validasi", "turunkan", "buka_laporan"}
    assert main == lite_bundle.main_script(), "the same sources give the same script"


def test_the_embedded_core_is_what_the_buttons_import_and_nothing_heavy() -> None:
    main = lite_bundle.main_script()
    namespace: dict[str, object] = {}
    tree = ast.parse(main)
    paket = next(node for node in tree.body if isinstance(node, ast.Assign)
                 and ast.unparse(node.targets[0]) == "_PAKET")
    exec(compile(ast.Module([paket], []), "main.py", "exec"), namespace)
    data = base64.b64decode("".join(namespace["_PAKET"]))  # type: ignore[arg-type]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()

    assert "pohon_xl/excel/lite.py" in names and "pohon_xl/core/run.py" in names
    assert "pohon_xl/__init__.py" in names
    for heavy in ("pohon_xl/pipeline.py", "pohon_xl/excel/write.py", "pohon_xl/cli.py",
                  "pohon_xl/excel/xlsxpatch.py", "pohon_xl/batch/run.py"):
        assert heavy not in names
    for name in names:  # nothing in it imports what Lite does not install
        tree = ast.parse(zipfile.ZipFile(io.BytesIO(data)).read(name))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) \
                    else [node.module or ""]
                for module in modules:
                    top = module.split(".")[0]
                    assert top not in {"openpyxl", "lxml", "python_calamine", "click", "rich",
                                       "xlsxwriter", "yaml", "defusedxml"}, (name, module)


def _looks(path: Path, sheets: list[str]) -> dict[tuple[str, str], tuple]:
    """Every filled-in cell's look, and every cell's fill."""
    book = openpyxl.load_workbook(path)
    looks = {}
    for name in sheets:
        for row in book[name].iter_rows():
            for cell in row:
                fill = live_tests.fill(cell)
                if cell.value is None:
                    looks[(name, cell.coordinate)] = ("", "", "", "", "", "", fill)
                    continue
                font, align = cell.font, cell.alignment
                looks[(name, cell.coordinate)] = (
                    bool(font.b), (font.color.rgb if font.color is not None else "") or "",
                    font.sz, bool(align.wrap_text), align.horizontal or "",
                    cell.number_format, fill)
    return {k: v for k, v in looks.items() if any(v)}


def test_grouping_changes_the_look_of_no_cell(tmp_path: Path) -> None:
    """The plan carried out as it is (one call per rectangle) and grouped as Lite sends it
    give every filled-in cell the same font, wrapping, alignment and number format, and
    every cell the same fill."""
    from pohon_xl.excel import live

    example = REPO / "examples" / "Pohon_Kinerja_Kesalahan_Umum.xlsx"
    payload = payload_from_xlsx(example)
    book = xw.Book(json=copy.deepcopy(payload))
    raw, state = lite.read_book(book)
    run = live.compute(raw, example.name, derive=True)
    plan = live.plan_writes(run.edits, state)
    grouped = lite.group_formats(lite.group_fills(plan))
    recorded = []
    for ops in (plan, grouped):
        book = xw.Book(json=copy.deepcopy(payload))
        live.apply_ops(book, ops, multi_area=False)
        recorded.append(book.json()["actions"])
    assert len(recorded[1]) < 0.9 * len(recorded[0])
    for name, actions in zip(("plain", "grouped"), recorded):
        apply_actions(example, tmp_path / f"{name}.xlsx", payload, actions)
    sheets = openpyxl.load_workbook(tmp_path / "plain.xlsx").sheetnames
    assert _looks(tmp_path / "grouped.xlsx", sheets) == _looks(tmp_path / "plain.xlsx", sheets)


def test_cover_takes_every_required_cell_and_no_forbidden_one() -> None:
    import random

    rng = random.Random(7)
    for _ in range(200):
        cells = {(rng.randint(1, 30), rng.randint(1, 8)) for _ in range(rng.randint(1, 120))}
        required = {c for c in cells if rng.random() < 0.5}
        forbidden = cells - required
        filled: dict[int, set[int]] = {}
        for r, c in cells:
            filled.setdefault(r, set()).add(c)
        rects = lite._cover(required, filled)
        covered = {(r + i, c + j) for r, c, nr, nc in rects for i in range(nr)
                   for j in range(nc)}
        assert required <= covered and not (covered & forbidden)
    # a column of labels with blank rows between: one rectangle
    labels = {(r, 1) for r in range(1, 40, 3)}
    filled = {r: {1, 2} if (r, 1) in labels else {2} for r in range(1, 40)}
    assert lite._cover(labels, filled) == [(1, 1, 37, 1)]
