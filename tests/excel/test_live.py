"""The Excel buttons, run through xlwings' own remote engine (no fake of xlwings).

A real workbook file becomes the JSON payload the remote engine reads (``xw.Book(json=…)``),
``set_mock_caller`` makes it ``xw.Book.caller()``, and ``validasi()``/``turunkan()`` run exactly
as RunPython would run them. The actions xlwings recorded are then applied to the same file
with openpyxl (``live_support/applier.py``, which refuses text Excel would turn into a formula
or a number) and the result is compared with what the CLI writes for the same input.

The remote engine is xlwings PRO code under the PolyForm Noncommercial licence
(``XLWINGS_LICENSE_KEY=noncommercial``), which permits use by government institutions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported
xw = pytest.importorskip("xlwings")

from pohon_xl.core.derive.registry import DERIVED_SHEETS  # noqa: E402
from pohon_xl.excel import live, live_plan  # noqa: E402
from pohon_xl.model import contract as C  # noqa: E402
from pohon_xl.pipeline import process  # noqa: E402

from .live_support.applier import ExcelWouldConvert, apply_actions, excel_typed  # noqa: E402
from .live_support.payload import ensure_remote_engine, payload_from_xlsx  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.xlsx"))
LEVEL_SHEETS = [spec.sheet for spec in C.LEVELS]


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("POHON_XL_LOG", str(tmp_path / "galat.log"))
    ensure_remote_engine()
    yield
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def click(path: Path, button, **payload_options):
    """Open ``path`` as the remote engine would receive it, press ``button``; return the book,
    the payload and what the button returned."""
    payload = payload_from_xlsx(path, **payload_options)
    book = xw.Book(json=payload)
    book.set_mock_caller()
    result = button()
    return book, payload, result


def click_and_apply(path: Path, button, target: Path, **payload_options):
    book, payload, result = click(path, button, **payload_options)
    actions = book.json()["actions"]
    applier = apply_actions(path, target, payload, actions)
    assert applier.unhandled == [], "actions the applier does not know"
    return result, actions, applier


def values(ws) -> dict[str, object]:
    """Non-empty cells (an empty text, which the file writer may store, is an empty cell)."""
    return {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row
            if cell.value is not None and cell.value != ""}


def column_values(ws, column: int) -> list[object]:
    return [ws.cell(r, column).value for r in range(1, ws.max_row + 1)]


def notes(ws) -> dict[str, str]:
    """Our notes (the file writer starts them with the author line, as Excel's UI does)."""
    return {cell.coordinate: cell.comment.text.removeprefix("pohon-xl:\n")
            for row in ws.iter_rows() for cell in row
            if cell.comment is not None and cell.comment.author == "pohon-xl"}


def fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type else ""


def assert_same_as_cli(live_path: Path, cli_path: Path, derived: list[str]) -> None:
    got, want = openpyxl.load_workbook(live_path), openpyxl.load_workbook(cli_path)
    for name in want.sheetnames:
        if name not in LEVEL_SHEETS:
            continue
        ws_want, ws_got = want[name], got[name]
        headers = [c.value for c in ws_want[1]]
        for label in (C.STATUS, C.CATATAN):
            col = headers.index(label) + 1
            assert column_values(ws_got, col)[:ws_want.max_row] == column_values(ws_want, col), \
                f"{name}: column {label}"
            assert all(v is None for v in column_values(ws_got, col)[ws_want.max_row:])
        # every other cell of the input sheet is as the CLI leaves it (untouched)
        assert values(ws_got) == values(ws_want), name
        # the same cells carry our notes, with the same text, and a mark fill
        assert notes(ws_got) == notes(ws_want), f"{name}: notes"
        for ref in notes(ws_got):
            assert fill(ws_got[ref]) in {"FFC7CE", "FFEB9C", "DDEBF7"}, f"{name}!{ref} fill"
    for name in [C.LAPORAN, *derived]:
        assert name in got.sheetnames, name
        assert values(got[name]) == values(want[name]), f"sheet {name}"


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_validasi_writes_what_the_cli_writes(example: Path, tmp_path: Path) -> None:
    cli = process(example, tmp_path / "cli.xlsx")
    run, actions, applier = click_and_apply(example, live.validasi, tmp_path / "live.xlsx")

    assert run is not None
    assert run.report.findings == cli.report.findings
    assert_same_as_cli(tmp_path / "live.xlsx", tmp_path / "cli.xlsx", derived=[])
    # bulk writes: one setValues per Status/Catatan column block, not one per cell (a level
    # sheet without rows, as L1 of an office's workbook, has no block)
    status_writes = [a for a in actions if a["func"] == "setValues" and a["start_row"] == 1
                     and a["column_count"] == 1]
    filled = {node.sheet for node in cli.plan.nodes}
    filled |= {info.name for info in cli.plan.filled_sheets.values()}  # Rencana_Aksi …
    assert len(status_writes) == 2 * len(filled & set(run.edits.status_columns))
    # the outcome is reported: one message box, in Indonesian, with the counts
    (prompt, title, buttons, mode, _), = applier.alerts
    counts = run.counts
    assert title == "Pohon Kinerja" and buttons == "ok"
    assert f"{counts['Galat']} Galat" in prompt or "Tidak ada Galat" in prompt
    assert C.LAPORAN in prompt
    assert mode == ("critical" if counts["Galat"] else "info")
    # the user stays on the sheet they were on
    assert applier.active == openpyxl.load_workbook(example).active.title


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_turunkan_writes_the_derived_sheets_of_the_cli(example: Path, tmp_path: Path) -> None:
    cli = process(example, tmp_path / "cli.xlsx", derive=True)
    run, actions, applier = click_and_apply(example, live.turunkan, tmp_path / "live.xlsx")

    assert run is not None and run.derived_names == list(cli.derived)
    assert run.report.findings == cli.report.findings
    assert_same_as_cli(tmp_path / "live.xlsx", tmp_path / "cli.xlsx",
                       derived=list(cli.derived))
    funcs = {a["func"] for a in actions}
    assert {"addSheet", "setValues", "setNumberFormat", "setFontProperty",
            "setColumnWidth"} <= funcs
    got = openpyxl.load_workbook(tmp_path / "live.xlsx")
    money = [c for ws in got.worksheets for row in ws.iter_rows() for c in row
             if c.number_format == '"Rp "#,##0']
    assert money, "budget cells carry the Rupiah format"


def broken_workbook(workbook_factory) -> Path:
    from tests.conftest import identitas_rows

    headers = C.level_headers(C.LEVELS[0], range(2025, 2030))
    l2_headers = C.level_headers(C.LEVELS[1], range(2025, 2030))

    def row(headers, **values):
        return [values.get(h) for h in headers]

    path = workbook_factory({
        C.IDENTITAS: identitas_rows(),
        C.JABATAN: [list(C.JABATAN_HEADERS),
                    ["KD", "Wali Kota", "Kepala Daerah", "Pemkot", "", "", "Budi"],
                    ["KADIS", "Kepala Dinas", "JPT", "Dishub", "KD", "1970", "Ani"]],
        C.LEVELS[0].sheet: [
            headers,
            row(headers, ID="1.1", Sasaran="=SUM(A1:A3)", Indikator="+62 indeks", Satuan="%",
                Arah="Naik", Baseline=1, **{"Target 2025": 2, "Target 2026": 3,
                                            "Target 2027": 4, "Target 2028": 5,
                                            "Target 2029": 6, "Pemilik Kinerja": "KD"}),
            row(headers, ID="1.1", Sasaran="Duplikat", Indikator="@indeks", Satuan="2025",
                Arah="Naik", **{"Target 2026": 3, "Pemilik Kinerja": "KD"}),
        ],
        C.LEVELS[1].sheet: [
            l2_headers,
            row(l2_headers, ID="P1", **{"ID Induk": "TIDAK-ADA"}, Sasaran="-kurang jelas",
                Indikator="Jumlah kegiatan", Satuan="kegiatan", Arah="Naik",
                **{"Target 2026": "TRUE", "Pemilik Kinerja": "KADIS",
                   "Jenis Cascading": "Langsung"}),
        ],
    }, name="rusak.xlsx")
    # texts that look like formulas, stored as texts (as a user typing '=… gets them)
    book = openpyxl.load_workbook(path)
    l1 = book[C.LEVELS[0].sheet]
    l1.append(row(headers, ID="S9", Sasaran="x", Indikator="Indeks mutu", Satuan="indeks",
                  Arah="Naik", Baseline=1, **{f"Target {y}": 2 for y in range(2025, 2030)},
                  **{"Pemilik Kinerja": "KD"}))
    for ref, text in (("C2", "=SUM(A1:A3)"), ("C4", "=Meningkatnya mutu")):
        l1[ref].value = text
        l1[ref].data_type = "s"
    book.save(path)
    return path


def test_text_that_looks_like_a_formula_stays_text(workbook_factory, tmp_path: Path) -> None:
    path = broken_workbook(workbook_factory)
    cli = process(path, tmp_path / "cli.xlsx", derive=True)
    run, actions, _ = click_and_apply(path, live.turunkan, tmp_path / "live.xlsx")

    assert run is not None and run.report.has_errors
    assert_same_as_cli(tmp_path / "live.xlsx", tmp_path / "cli.xlsx",
                       derived=list(cli.derived))
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"]
               for v in row if isinstance(v, str)]
    for value in written:  # nothing Excel would read as a formula or a number
        excel_typed(value)
    assert "'=Meningkatnya mutu" in written
    # Laporan_Validasi links each finding to its cell, as the CLI's does
    def links(path):
        ws = openpyxl.load_workbook(path)[C.LAPORAN]
        return {c.coordinate: (c.hyperlink.location or c.hyperlink.target or "").lstrip("#")
                for row in ws.iter_rows() for c in row if c.hyperlink is not None}

    assert links(tmp_path / "live.xlsx") == links(tmp_path / "cli.xlsx") != {}


def test_a_second_run_puts_fixed_cells_back(workbook_factory, tmp_path: Path) -> None:
    path = broken_workbook(workbook_factory)
    first = tmp_path / "first.xlsx"
    click_and_apply(path, live.validasi, first)
    marked = {ws.title: notes(ws) for ws in openpyxl.load_workbook(first).worksheets}
    assert marked[C.LEVELS[1].sheet], "the unknown parent is marked"
    registry = openpyxl.load_workbook(first)[live.REGISTRY_SHEET]
    assert registry.sheet_state == "hidden"

    # the planner fixes L2 (a known parent) and clicks again on the saved workbook
    book = openpyxl.load_workbook(first)
    l2 = book[C.LEVELS[1].sheet]
    headers = [c.value for c in l2[1]]
    l2.cell(2, headers.index("ID Induk") + 1).value = "1.1"
    book.save(fixed := tmp_path / "fixed.xlsx")
    xw.Book._mock_caller = None
    del xw.Book._mock_caller
    second = tmp_path / "second.xlsx"
    click_and_apply(fixed, live.validasi, second)

    after = openpyxl.load_workbook(second)[C.LEVELS[1].sheet]
    parent = f"{openpyxl.utils.get_column_letter(headers.index('ID Induk') + 1)}2"
    assert parent in marked[C.LEVELS[1].sheet]
    assert parent not in notes(after)
    assert fill(after[parent]) == ""
    # and the result equals a CLI run on the fixed workbook
    process(fixed, tmp_path / "cli.xlsx")
    assert_same_as_cli(second, tmp_path / "cli.xlsx", derived=[])


def test_a_workbook_of_another_kind_gets_a_readable_message(workbook_factory,
                                                           tmp_path: Path) -> None:
    path = workbook_factory({"Anggaran": [["Uraian", "Nilai"], ["Belanja", 10]]},
                            name="lain.xlsx")
    book, _, result = click(path, live.validasi)

    assert result is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"], "nothing written to the workbook"
    prompt, title, _, mode, _ = actions[0]["args"]
    assert "bukan workbook pohon kinerja" in prompt and mode == "critical"
    assert str(tmp_path / "galat.log") in prompt


def test_an_unexpected_error_is_logged_not_shown_raw(workbook_factory, tmp_path: Path,
                                                      monkeypatch) -> None:
    path = broken_workbook(workbook_factory)

    def boom(*args, **kwargs):
        raise KeyError("kolom hilang")

    monkeypatch.setattr(live, "plan_writes", boom)
    book, _, result = click(path, live.turunkan)

    assert result is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"], "computed first: no half-written book"
    prompt = actions[0]["args"][0]
    assert "tidak dapat menyelesaikan Turunkan" in prompt and "KeyError" in prompt
    assert "Traceback" not in prompt
    log = (tmp_path / "galat.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "kolom hilang" in log


@pytest.mark.parametrize("text, expected", [
    ("Menurunnya kemacetan", "Menurunnya kemacetan"),
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+62", "'+62"),
    ("-kurang", "'-kurang"),
    ("@x", "'@x"),
    ("'kutip", "''kutip"),
    ("1.1", "'1.1"),
    ("2.15.02", "'2.15.02"),
    ("12/3", "'12/3"),
    ("1e5", "'1e5"),
    ("TRUE", "'TRUE"),
    ("1-Jan", "'1-Jan"),
    ("", None),
    (3.5, 3.5),
    (None, None),
])
def test_excel_value(text, expected) -> None:
    assert live.excel_value(text) == expected
    if isinstance(expected, str):
        assert excel_typed(expected) == text  # Excel keeps exactly the text


def test_the_applier_refuses_what_excel_would_convert() -> None:
    for bad in ("=1+1", "1.5", "2025", "TRUE", "12/3"):
        with pytest.raises(ExcelWouldConvert):
            excel_typed(bad)


def test_rectangles_cover_exactly() -> None:
    cells = {(1, 1), (1, 2), (2, 1), (2, 2), (3, 5), (4, 5), (4, 7)}
    rects = live_plan._rectangles(cells)
    covered = {(r + i, c + j) for r, c, nr, nc in rects for i in range(nr) for j in range(nc)}
    assert covered == cells
    assert (1, 1, 2, 2) in rects and (3, 5, 2, 1) in rects


def test_the_button_module_imports_nothing_heavy() -> None:
    code = ("import sys, pohon_xl.excel.live, pohon_xl.core.derive.run;"
            "heavy = {'xlwings', 'pandas', 'numpy', 'openpyxl', 'lxml'} & set(sys.modules);"
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_format_runs_batch_into_union_ranges_or_fall_back(workbook_factory,
                                                         tmp_path: Path) -> None:
    """Desktop Excel gets runs of one format as one multi-area range; an engine that refuses
    the union (the remote engine does) gets the same formats rectangle by rectangle."""
    path = broken_workbook(workbook_factory)
    ops = live.plan_writes(*_edits_and_state(path, derive=True))
    groups = live._batches(ops)
    assert len(groups) < len(ops)
    for group in groups:
        assert len(",".join(live._address(op) for op in group)) <= 255
        assert len({(op.kind, op.sheet, repr(op.value)) for op in group}) == 1

    recorded = []
    for multi_area in (False, True):
        book = xw.Book(json=payload_from_xlsx(path))
        live.apply_ops(book, ops, multi_area=multi_area)
        recorded.append(book.json()["actions"])
    assert recorded[0] == recorded[1]


def _edits_and_state(path: Path, derive: bool):
    book = xw.Book(json=payload_from_xlsx(path))
    raw, state = live.read_book(book)
    run = live.compute(raw, path.name, derive=derive)
    return run.edits, state


def test_the_buttons_of_a_macro_workbook(tmp_path: Path) -> None:
    """What a planner really clicks: a `pohon-xl makro` workbook (xlwings.conf sheet, VBA)."""
    from pohon_xl.excel.macro import build_macro_workbook

    xlsm = build_macro_workbook(EXAMPLES[0], tmp_path / "tombol.xlsm")
    process(xlsm, tmp_path / "cli.xlsm", derive=True)
    cli_sheets = openpyxl.load_workbook(tmp_path / "cli.xlsm").sheetnames
    click_and_apply(xlsm, live.turunkan, tmp_path / "live.xlsm")
    assert_same_as_cli(tmp_path / "live.xlsm", tmp_path / "cli.xlsm",
                       derived=[n for n in cli_sheets if n in DERIVED_SHEETS])


# ---------------------------------------------------------------------------------------------
# One way of keeping marks: the button and the file writer clear each other's, after any save.
def _reset_caller() -> None:
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


@pytest.mark.parametrize("last_writer", ["openpyxl", "libreoffice"])
def test_the_button_clears_the_file_writers_marks_after_a_resave(tmp_path: Path,
                                                                 last_writer: str) -> None:
    import shutil

    from tests.excel import resave
    from tests.excel.test_marks_resave import fix, marks, run, workbook

    if last_writer == "libreoffice" and shutil.which("soffice") is None:
        pytest.skip("soffice tidak terpasang")
    fresh = workbook(tmp_path / "segar.xlsx", "L1-01")
    assert run("validasi", fresh, "--di-tempat") == 1
    path = workbook(tmp_path / "kiriman.xlsx", "TIDAK-ADA")
    assert run("validasi", path, "--di-tempat") == 1
    fix(path)
    if last_writer == "libreoffice":
        resave.libreoffice(path, tmp_path / "profil")

    click_and_apply(path, live.validasi, tmp_path / "tombol.xlsx")
    assert marks(tmp_path / "tombol.xlsx") == marks(fresh)
    fixed = openpyxl.load_workbook(tmp_path / "tombol.xlsx")["L2_Sasaran_PD"]["B2"]
    assert fill(fixed) == "CCE5FF" and fixed.comment is None  # the user's own fill is back


def test_the_file_writer_clears_the_buttons_marks(tmp_path: Path) -> None:
    from tests.excel.test_marks_resave import fix, marks, run, workbook

    fresh = workbook(tmp_path / "segar.xlsx", "L1-01")
    assert run("validasi", fresh, "--di-tempat") == 1
    path = workbook(tmp_path / "kiriman.xlsx", "TIDAK-ADA")
    click_and_apply(path, live.validasi, tmp_path / "tombol.xlsx")
    _reset_caller()
    fix(tmp_path / "tombol.xlsx")  # openpyxl saves it: the last writer

    assert run("validasi", tmp_path / "tombol.xlsx", "--di-tempat") == 1
    assert marks(tmp_path / "tombol.xlsx") == marks(fresh)
    fixed = openpyxl.load_workbook(tmp_path / "tombol.xlsx")["L2_Sasaran_PD"]["B2"]
    # The remote engine (as xlwings Lite) cannot read the fill the button covered: it recorded
    # none, so the mark clears to no fill. (Desktop Excel reads and records it.)
    assert fill(fixed) == "" and fixed.comment is None


def test_rows_whose_note_wraps_are_made_taller_never_lower() -> None:
    from pohon_xl.core.derive.common import lines_height, wrapped_lines
    from pohon_xl.sheets import RowStatus, WorkbookEdits

    note = "[TAU01] Galat (ID Induk): " + "kata panjang " * 20
    sheet = "L2_Sasaran_PD"
    edits = WorkbookEdits(status_columns={sheet: (17, 18)}, statuses=[
        RowStatus(sheet, row, "OK" if row == 4 else "Galat", "" if row == 4 else note)
        for row in (2, 3, 4, 5)])
    state = live_plan.BookState(sheet_names=[sheet],
                                row_heights={(sheet, 2): 15.0, (sheet, 3): 300.0,
                                             (sheet, 4): 15.0})
    needed = lines_height(wrapped_lines(note, live_plan.CATATAN_WIDTH))
    assert needed > 3 * 15
    assert live_plan.note_rows(edits) == [(sheet, r, needed) for r in (2, 3, 5)]
    heights = [(op.sheet, op.row, op.nrows, op.value)
               for op in live_plan.plan_writes(edits, state) if op.kind == "height"]
    # row 3 is taller already, row 4 has no note, row 5's height is unknown (left to Excel)
    assert heights == [(sheet, 2, 1, needed)]


def test_row_heights_are_read_where_the_engine_can() -> None:
    class Cell:
        def __init__(self, height: float | None) -> None:
            self.height = height

        @property
        def row_height(self) -> float:
            if self.height is None:
                raise NotImplementedError("remote engine")
            return self.height

    class Sheet:
        def __init__(self, height: float | None) -> None:
            self.height = height

        def range(self, where: tuple[int, int]) -> Cell:
            return Cell(self.height if where[0] == 2 else 15.0)

    from pohon_xl.sheets import RowStatus, WorkbookEdits

    sheet = "L3_Sasaran_Program"
    run = live_plan.LiveRun(report=None, derive=False, edits=WorkbookEdits(  # type: ignore[arg-type]
        statuses=[RowStatus(sheet, 2, "Galat", "kata " * 40), RowStatus(sheet, 3, "OK", "")]))
    for height, expected in ((47.0, {(sheet, 2): 47.0}), (None, {})):
        state = live_plan.BookState(sheet_names=[sheet])
        book = type("Book", (), {"sheets": {sheet: Sheet(height)}})()
        live._read_heights(book, run, state)
        assert state.row_heights == expected


def test_turunkan_keeps_what_people_typed_like_the_cli(tmp_path: Path) -> None:
    """The button patches `Rencana_Aksi` and `Realisasi` as the file writer does: typed
    cells kept, generated cells refreshed, rows for new indicators appended, stale rows
    flagged."""
    from tests.cycle.typed_book import type_into

    first = process(EXAMPLES[0], tmp_path / "pertama.xlsx", derive=True).output
    assert first is not None
    # Without the uncalculated total formula: Excel calculates on opening, so the button
    # never meets a formula without a value (the file writer does: tests/cycle).
    typed = type_into(first, tmp_path / "diketik.xlsx", total=False)
    process(typed.path, tmp_path / "cli.xlsx", derive=True)
    click_and_apply(typed.path, live.turunkan, tmp_path / "live.xlsx")
    got, want = (openpyxl.load_workbook(tmp_path / name) for name in ("live.xlsx", "cli.xlsx"))
    for name in C.FILLED_SHEETS:
        assert values(got[name]) == values(want[name]), name
    for (sheet, row, column), value in typed.typed.items():
        assert got[sheet].cell(row, column).value == value
def test_the_capaian_button_writes_what_the_cli_writes(tmp_path: Path) -> None:
    from pohon_xl.core.derive.registry import CAPAIAN_SHEETS
    from tests.capaian.builders import with_realisation

    source = with_realisation(tmp_path / "realisasi.xlsx")
    cli = process(source, tmp_path / "cli.xlsx", derive=True, only=CAPAIAN_SHEETS)
    run, _, _ = click_and_apply(source, live.capaian, tmp_path / "live.xlsx")

    assert run is not None and run.derived_names == list(cli.derived) == list(CAPAIAN_SHEETS)
    assert run.status_line().startswith("pohon-xl Capaian:")
    assert_same_as_cli(tmp_path / "live.xlsx", tmp_path / "cli.xlsx",
                       derived=list(cli.derived))


def test_the_capaian_button_without_realisation_says_what_to_do(tmp_path: Path) -> None:
    book, _, result = click(EXAMPLES[0], live.capaian)

    assert result is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"], "nothing written to the workbook"
    assert "Belum ada realisasi" in actions[0]["args"][0]
