"""The baselines, each run as its own process by ``benchmarks/run.py``::

    python -m benchmarks.baselines openpyxl FILE OUT     # load, change one cell, save
    python -m benchmarks.baselines calamine FILE         # read every sheet's values
    python -m benchmarks.baselines frictionless FILE     # ID primary key, ID Induk foreign key
    python -m benchmarks.baselines frictionless-csv FILE # the same on CSV exported with calamine
    python -m benchmarks.baselines cpu N                 # fixed Python work split over N processes
    python -m benchmarks.baselines turunkan-8 FILE OUT   # turunkan of the target's day (8 sheets)

``cpu``: the machine's own ceiling for a parallel speedup. The same pure-Python work (dicts,
strings, small objects, as in a batch job) done by one process, then split over N forked
processes with no communication at all: ``cpu 1`` / ``cpu N`` is the most that N workers
can gain here (cores shared with other machines, or hyperthreads of one core, give less than
N), the yardstick for ``batch --jobs N``.

Frictionless (a data engineer's approach). One resource per level sheet, schema: ``ID``
and ``ID Induk`` string fields, every other column ``any``, ``ID`` the primary key, ``ID Induk`` a foreign key to ``ID`` of the
level directly above (L1 has none) — the contract's rule, and the same check as pohon-xl's
TAU01/TAU02 together. Continuation rows (no ``ID``: a node's further indicators) are not
nodes: the CSV export leaves them out; with frictionless' own Excel support (which reads
through openpyxl) they are skipped as ``comment_rows`` found by a quick calamine read. No
error limit: every row is checked (frictionless stops at 1000 errors by default). The process exits 0 when the package is valid, 1 otherwise.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from pohon_xl.model import contract as C


def openpyxl_roundtrip(src: str, dst: str) -> int:
    """The floor of any openpyxl write-back: load, modify one cell, save."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb[C.LEVELS[0].sheet]
    ws.cell(row=1, column=ws.max_column + 1, value="Status")
    wb.save(dst)
    return 0


def openpyxl_load(src: str) -> int:
    """A bare ``openpyxl.load_workbook``: what opening a workbook costs at all."""
    import openpyxl

    openpyxl.load_workbook(src)
    return 0


def calamine_read(src: str) -> int:
    """The practical read floor: every sheet's values as Python objects."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(src)
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(len(row) for row in rows)
    return 0 if cells else 1


def _schema(headers: list[str], level: int):
    from frictionless import Schema

    keys = (C.ID, C.ID_INDUK)
    fields = [{"name": h, "type": "string" if h in keys else "any"} for h in headers]
    schema: dict = {"fields": fields, "primaryKey": [C.ID]}
    if level > 1:
        schema["foreignKeys"] = [{
            "fields": [C.ID_INDUK],
            "reference": {"resource": f"l{level - 1}", "fields": [C.ID]},
        }]
    return Schema.from_descriptor(schema)


def _report(package) -> int:
    from frictionless import Checklist

    report = package.validate(checklist=Checklist(), limit_errors=10_000_000, parallel=False)
    errors = report.flatten(["type"])
    rows = sum(task.stats.get("rows") or 0 for task in report.tasks)
    print(f"frictionless: valid={report.valid} errors={len(errors)} rows checked={rows}")
    return 0 if report.valid else 1


def frictionless_native(src: str) -> int:
    """Frictionless with its own Excel support (xlsx read through openpyxl)."""
    from frictionless import Dialect, Package, Resource, formats
    from python_calamine import CalamineWorkbook

    # The headers and the continuation rows (blank ID) are found with a quick calamine read:
    # the rows are skipped as comment rows, so every node row is checked and no error is
    # spurious (frictionless stops at 1000 errors by default).
    book = CalamineWorkbook.from_path(src)
    folder = str(Path(src).resolve().parent)
    resources = []
    for spec in C.LEVELS:
        rows = book.get_sheet_by_name(spec.sheet).to_python(skip_empty_area=False)
        headers = [str(h) for h in rows[0] if h not in (None, "")]
        id_col = headers.index(C.ID)
        skip = [n for n, row in enumerate(rows[1:], start=2) if row[id_col] in (None, "")]
        dialect = Dialect(controls=[formats.ExcelControl(sheet=spec.sheet)], comment_rows=skip)
        resources.append(Resource(path=Path(src).name, name=f"l{spec.number}", format="xlsx",
                                  basepath=folder, dialect=dialect,
                                  schema=_schema(headers, spec.number)))
    return _report(Package(resources=resources, basepath=folder))


def frictionless_csv(src: str) -> int:
    """Export the level sheets to CSV (calamine; node rows only), validate with frictionless."""
    from frictionless import Package, Resource
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(src)
    with tempfile.TemporaryDirectory(prefix="bench-fl-") as folder:
        resources = []
        for spec in C.LEVELS:
            rows = book.get_sheet_by_name(spec.sheet).to_python()
            headers = [str(h) for h in rows[0]]
            id_col = headers.index(C.ID)
            path = Path(folder) / f"l{spec.number}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows(r for r in rows[1:] if r[id_col] not in (None, ""))
            resources.append(Resource(path=path.name, name=f"l{spec.number}", format="csv",
                                      schema=_schema(headers, spec.number)))
        package = Package(resources=resources, basepath=folder)
        return _report(package)


CPU_UNITS = 96  # about 2.6 s in one process on the machine of benchmarks/RESULTS.md


def _cpu_unit(seed: int) -> int:
    table: dict[str, list[int]] = {}
    for i in range(60_000):
        key = f"{seed}-{i % 997}"
        table.setdefault(key, []).append(i * i % 7919)
    return sum(len(" ".join(map(str, values))) for values in table.values())


def cpu_split(processes: str) -> int:
    """:data:`CPU_UNITS` units of work, shared out over ``processes`` forked children."""
    import os

    count = int(processes)
    children = []
    for index in range(count):
        pid = os.fork()
        if pid == 0:
            for unit in range(index, CPU_UNITS, count):
                _cpu_unit(unit)
            os._exit(0)
        children.append(pid)
    return max(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children)


# The derived sheets `turunkan` wrote when issue 12 set its 10k target (main at 0364b17).
# Issue 15 added SKP_Formulir, issue 16 Evaluasi_Cascading and the fill-in sheets Rencana_Aksi
# and Realisasi; this case measures the same run without them, like for like.
SHEETS_OF_THE_TARGET = (C.PK, C.PROGRAM, C.KEGIATAN, C.SUBKEGIATAN, C.SKP, C.MATRIKS,
                        C.RINGKASAN, C.POHON)


def turunkan_of_the_target(src: str, dst: str) -> int:
    """`pohon-xl turunkan` through the same core and writer, building only the eight derived
    sheets of the target's day and no fill-in sheets."""
    from pohon_xl.core.annotate import validation_edits
    from pohon_xl.core.derive.registry import DERIVED_SHEETS
    from pohon_xl.excel.write import write_workbook
    from pohon_xl.pipeline import read_run

    run = read_run(Path(src), derive=True)
    run.only = SHEETS_OF_THE_TARGET
    write_workbook(Path(src), Path(dst), lambda: validation_edits(run.plan, run.report),
                   run.sheets(), DERIVED_SHEETS)
    return run.report.exit_code


def main(argv: list[str]) -> int:
    kind, *args = argv
    if kind == "cpu":
        return cpu_split(*args)
    if kind == "openpyxl":
        return openpyxl_roundtrip(*args)
    if kind == "openpyxl-load":
        return openpyxl_load(*args)
    if kind == "calamine":
        return calamine_read(*args)
    if kind == "frictionless":
        return frictionless_native(*args)
    if kind == "frictionless-csv":
        return frictionless_csv(*args)
    if kind == "turunkan-8":
        return turunkan_of_the_target(*args)
    raise SystemExit(f"unknown baseline {kind}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
