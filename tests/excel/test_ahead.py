"""The run's helper process (excel.ahead): sheets read there and the result written there
give the same file as a run without it, and every failure of it falls back to doing the
work here."""

from __future__ import annotations

import datetime
import os
import shutil
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.cli import main
from pohon_xl.errors import InputError
from pohon_xl.excel import ahead, read, xlsxpatch
from pohon_xl.excel.forked import can_fork
from pohon_xl.excel.write import write_workbook
from pohon_xl.pipeline import process
from tests.excel.test_write import rich_edits
from tests.excel.workbooks import L1, L2, rich_xlsm

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.xlsx"))
needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork here (or one core)")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture
def src(tmp_path) -> Path:
    path = tmp_path / EXAMPLES[0].name
    shutil.copy(EXAMPLES[0], path)
    return path


@pytest.fixture
def who(monkeypatch, tmp_path):
    """Which process read which sheet and wrote which file: (pid, what) lines in a file that
    the helper, a forked child, appends to as well."""
    log = tmp_path / "who.log"
    reader, patcher = read.read_sheets, xlsxpatch.patch

    def read_sheets(book, names):
        with log.open("a") as out:
            out.writelines(f"{os.getpid()} read {name}\n" for name in names)
        return reader(book, names)

    def patch(src, target, *args):
        with log.open("a") as out:
            out.write(f"{os.getpid()} wrote\n")
        return patcher(src, target, *args)

    monkeypatch.setattr(read, "read_sheets", read_sheets)
    monkeypatch.setattr(xlsxpatch, "patch", patch)

    def lines() -> list[tuple[bool, str]]:  # (by this process, what)
        found = log.read_text().splitlines() if log.exists() else []
        return [(int(pid) == os.getpid(), what) for pid, what in (x.split(" ", 1) for x in found)]

    return lines


@pytest.fixture(autouse=True)
def single_threaded(monkeypatch):
    """The helper forks only from a process without other threads; the test process may
    have one left idle by another test (Dask's offload thread)."""
    real = ahead.single_threaded
    monkeypatch.setattr(ahead, "single_threaded", lambda: True)
    return real


@pytest.fixture(autouse=True)
def helpers(monkeypatch) -> list[int]:
    """The pids of the helpers started."""
    started: list[int] = []
    original = ahead.Ahead._start

    def start(self):
        original(self)
        if os.getpid() == parent:  # (the child never returns here, but be sure)
            started.append(self._pid)

    parent = os.getpid()
    monkeypatch.setattr(ahead.Ahead, "_start", start)
    return started


def reaped(pids: list[int]) -> bool:
    """Every one of them has ended and been waited for (no zombie, none running)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


# -- the same file ---------------------------------------------------------------------------------
@needs_fork
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_validasi_written_by_the_helper_is_the_same_file(example, tmp_path, who, helpers):
    src = tmp_path / example.name
    shutil.copy(example, src)
    here = process(src, tmp_path / "here.xlsx", fork=False)
    assert all(mine for mine, _ in who())
    helped = process(src, tmp_path / "helped.xlsx", fork=True)
    assert members(helped.output) == members(here.output)
    assert helped.report.findings == here.report.findings
    by_helper = [what for mine, what in who() if not mine]
    assert "wrote" in by_helper and any(w.startswith("read L") for w in by_helper)
    # and again on its own output: old statuses are replaced, the scan guesses them right
    again = process(helped.output, tmp_path / "again.xlsx", fork=True)
    assert members(again.output) == members(process(here.output, tmp_path / "b.xlsx",
                                                   fork=False).output)
    assert helpers and reaped(helpers)


@needs_fork
def test_the_helper_writes_in_place_too(src, tmp_path, who):
    copy = tmp_path / "copy.xlsx"
    shutil.copy(src, copy)
    process(copy, in_place=True, fork=False)
    process(src, in_place=True, fork=True)
    assert (False, "wrote") in who()
    assert members(src) == members(copy)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, copy.name, "who.log"])


@needs_fork
def test_turunkan_reads_with_the_helper_and_writes_here(src, tmp_path, who, helpers):
    here = process(src, tmp_path / "here.xlsx", derive=True, fork=False)
    before = len(who())
    helped = process(src, tmp_path / "helped.xlsx", derive=True, fork=True)
    assert members(helped.output) == members(here.output)
    lines = who()[before:]
    assert (True, "wrote") in lines and (False, "wrote") not in lines
    assert any(not mine and what.startswith("read ") for mine, what in lines)
    assert helpers and reaped(helpers)


@needs_fork
def test_every_level_sheet_is_read_once(src, tmp_path, who):
    process(src, tmp_path / "out.xlsx", fork=True)
    reads = [what for _, what in who() if what.startswith("read ")]
    assert len(reads) == len(set(reads))
    assert {r for r in reads if r.startswith("read L")} == {
        f"read {spec.sheet}" for spec in ahead.C.LEVELS}


@pytest.mark.parametrize("guess", [1, 5, 6, 7, 40])
def test_the_scan_guess_never_changes_the_file(guess, tmp_path):
    """F and G are ours on L2 (G and H on L1); user columns lie to the right, marks to the
    left: whatever column the scan was prepared for, the splice comes out the same."""
    src = rich_xlsm(tmp_path)
    statuses, marked = tmp_path / "statuses.xlsm", tmp_path / "marked.xlsm"
    write_workbook(src, statuses, rich_edits(marks=False))
    write_workbook(src, marked, rich_edits())
    # Then on outputs: old statuses in our columns, and old marks (whose fills are undone
    # first: the scan is made again).
    for step, source in enumerate((src, statuses, marked)):
        reference = tmp_path / f"reference{step}.xlsm"
        write_workbook(source, reference, rich_edits())
        prepared = xlsxpatch.prepare(source, {L1: guess, L2: guess})
        assert len(prepared.sheets) == 2
        out = tmp_path / f"prepared{step}.xlsm"
        write_workbook(source, out, rich_edits(), prepared=prepared)
        assert members(out) == members(reference)


# -- failures fall back ---------------------------------------------------------------------------
@needs_fork
def test_a_helper_that_dies_at_once_changes_nothing(src, tmp_path, monkeypatch, helpers):
    here = process(src, tmp_path / "here.xlsx", fork=False)
    monkeypatch.setattr(ahead._Child, "run", lambda self: os._exit(3))
    helped = process(src, tmp_path / "helped.xlsx", fork=True)
    assert members(helped.output) == members(here.output)
    assert helpers and reaped(helpers)


@needs_fork
def test_sheets_the_helper_cannot_read_are_read_here(src, tmp_path, monkeypatch, who):
    here = process(src, tmp_path / "here.xlsx", fork=False)
    parent, reader = os.getpid(), read.read_sheets
    before = len(who())

    def failing(book, names):
        if os.getpid() != parent:  # whichever sheet the helper takes
            raise ValueError("rusak di helper")
        return reader(book, names)

    monkeypatch.setattr(read, "read_sheets", failing)
    helped = process(src, tmp_path / "helped.xlsx", fork=True)
    assert members(helped.output) == members(here.output)
    lines = who()[before:]
    assert (False, "wrote") in lines  # the helper wrote the file all the same
    assert {what for mine, what in lines if mine and what.startswith("read L")} == {
        f"read {spec.sheet}" for spec in ahead.C.LEVELS}


@needs_fork
def test_a_helper_that_fails_to_write_leaves_it_to_this_process(src, tmp_path, monkeypatch):
    here = process(src, tmp_path / "here.xlsx", fork=False)
    parent, patcher = os.getpid(), xlsxpatch.patch

    def failing(src, target, *args):
        if os.getpid() != parent:
            raise OSError("disk penuh di helper")
        return patcher(src, target, *args)

    monkeypatch.setattr(xlsxpatch, "patch", failing)
    helped = process(src, tmp_path / "helped.xlsx", fork=True)
    assert members(helped.output) == members(here.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [src.name, "here.xlsx", "helped.xlsx"])  # no temporary file left behind


@needs_fork
def test_a_run_that_stops_early_writes_nothing(tmp_path, helpers):
    other = tmp_path / "lain.xlsx"  # a readable workbook, but not a pohon kinerja
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active["A1"] = "bukan pohon kinerja"
    book.save(other)
    with pytest.raises(InputError, match="bukan workbook pohon kinerja"):
        process(other, tmp_path / "out.xlsx", fork=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lain.xlsx"]
    assert helpers and reaped(helpers)


@needs_fork
def test_the_command_line_starts_the_helper_for_a_large_workbook(src, tmp_path, monkeypatch,
                                                                   who):
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)  # the example counts as large
    assert main(["validasi", str(src), "-o", str(tmp_path / "cli.xlsx")]) == 0
    assert (False, "wrote") in who()
    assert members(tmp_path / "cli.xlsx") == members(
        process(src, tmp_path / "here.xlsx", fork=False).output)


def test_small_workbooks_and_no_fork_need_no_helper(src, monkeypatch, single_threaded):
    with ahead.Ahead(src, write=True) as small:
        assert not small.started and small.share() is None
    monkeypatch.setattr(ahead, "single_threaded", single_threaded)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:  # another thread might hold a lock the child would wait on: no fork then
        with ahead.Ahead(src, write=True, fork=True) as threaded:
            assert not threaded.started
    finally:
        release.set()
        other.join()
    monkeypatch.setattr(ahead, "can_fork", lambda: False)
    with ahead.Ahead(src, write=True, fork=True) as nowhere:
        assert not nowhere.started
        assert not nowhere.written(src.with_name("x.xlsx"), None)


# -- the pieces ------------------------------------------------------------------------------------
def test_frames_carry_cell_values_and_dates():
    rows = [["ID", "Target 2025", None], ["A.1", 70.5, True],
            ["A.2", datetime.datetime(2025, 1, 31), ""]]
    for message in (("L6", rows[:2], [(1, 1, 1, 2)]), ("L6", rows, []), "done"):
        read_end, write_end = os.pipe()
        ahead._send(write_end, message)
        os.close(write_end)
        assert ahead._receive(read_end) == message
        assert ahead._receive(read_end) is None  # the other end is closed
        os.close(read_end)


@pytest.mark.parametrize("header, column", [
    (["ID", "ID Induk", "Sasaran"], 4),
    (["ID", "ID Induk", "Sasaran", "", None], 4),
    (["ID", "Sasaran", "Status", "Catatan Validasi", "Milik saya"], 3),
    (["ID", "Sasaran", " catatan  validasi ", "status"], 3),
    ([], 1),
])
def test_first_written_column_guesses_from_the_header(header, column):
    assert ahead.first_written_column(header) == column
