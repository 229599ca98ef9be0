"""One workbook file through the core: read, validate, derive, write. The CLI and the batch
call this; the Excel buttons run the same core through the xlwings adapter instead."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pohon_xl.core.annotate import validation_edits
from pohon_xl.core.link import Tree
from pohon_xl.core.validate import validate
from pohon_xl.errors import InputError
from pohon_xl.findings import Report
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec, WorkbookEdits

if TYPE_CHECKING:
    from pohon_xl.excel.ahead import Ahead, SheetShare


FORK_MIN_NODES = 1000  # below this a second process does not pay for itself


@dataclass
class Outcome:
    plan: Plan
    tree: Tree
    report: Report
    output: Path | None = None
    # The derived sheets. After :func:`process` only their names are kept (empty specs):
    # each sheet was written and let go as soon as it was built.
    derived: list[SheetSpec] = field(default_factory=list)


def default_output(path: Path, action: str) -> Path:
    """``Dinas.xlsx`` -> ``Dinas_validasi.xlsx`` (or ``_turunan``) beside the input."""
    return path.with_name(f"{path.stem}_{action}{path.suffix.lower()}")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while one workbook goes through.

    A run allocates hundreds of thousands of small objects that live until it ends (cells,
    models, rows of the derived sheets), and each automatic collection walks all of them
    again: up to half the run's time. They hold no reference cycles worth collecting
    (reference counting frees them); collection resumes, if it was on, when the run ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(
    path: Path, *, derive: bool = False, nomenclature: dict[str, str] | None = None,
    share: SheetShare | None = None,
) -> Outcome:
    """Read and check a workbook (and derive its sheets) without writing anything.
    ``share``: the level sheets are read together with a helper process (see
    :func:`~pohon_xl.excel.read.read_raw`)."""
    with paused_gc():
        return _analyse(Path(path), derive, nomenclature, share)


def _analyse(path: Path, derive: bool, nomenclature: dict[str, str] | None,
             share: SheetShare | None) -> Outcome:
    from pohon_xl.excel.read import read_raw

    raw = read_raw(path, contract_only=True, share=share)
    plan = parse_workbook(raw, source=path.name)
    report, tree = validate(plan, nomenclature)
    outcome = Outcome(plan, tree, report)
    if derive:
        from pohon_xl.core.derive.run import derive_all

        outcome.derived, extra = derive_all(plan, tree, report)
        if extra:
            outcome.report = Report(report.findings + extra)
    return outcome


def process(
    path: Path,
    output: Path | None = None,
    *,
    in_place: bool = False,
    derive: bool = False,
    nomenclature: dict[str, str] | None = None,
    fork: bool | None = None,
    ahead: Ahead | None = None,
    while_writing: Callable[[], object] | None = None,
) -> Outcome:
    """Validate (and derive) ``path`` and write the result workbook; return what was found.

    ``fork``: use a second core where that is possible (the file is the same either way): a
    helper process reads the level sheets, and for ``validasi`` writes the result
    (:mod:`~pohon_xl.excel.ahead`); ``turunkan`` builds the Pohon, SKP and Matriks sheets in
    another one. None: when the workbook is large enough for it to pay. ``ahead``: that helper,
    when the caller started it already (before importing this module). ``while_writing``:
    called while the helper writes the file, if it does (e.g. to import what prints).
    """
    from pohon_xl.excel.ahead import Ahead

    path = Path(path)
    if in_place and output is not None:
        raise InputError("Pilih salah satu: --di-tempat atau -o, tidak keduanya.")
    target = path if in_place else Path(output or default_output(path, "turunan" if derive else "validasi"))
    if not in_place and target.resolve() == path.resolve():
        raise InputError("Berkas keluaran sama dengan masukan; gunakan --di-tempat untuk menimpa.")
    if target.suffix.lower() != path.suffix.lower():
        raise InputError(
            f"Berkas keluaran harus berakhiran {path.suffix.lower()} seperti masukannya."
        )
    if ahead is None:
        ahead = Ahead(path, write=not derive, fork=fork)
    with paused_gc(), ahead:
        outcome = analyse(path, nomenclature=nomenclature, share=ahead.share())
        if derive:
            _write_derived(outcome, path, target, fork)
        else:
            edits = validation_edits(outcome.plan, outcome.report)
            if not ahead.written(target, edits, while_writing):
                from pohon_xl.excel.write import write_workbook

                write_workbook(path, target, edits)
    outcome.output = target
    return outcome


def _write_derived(outcome: Outcome, path: Path, target: Path, fork: bool | None) -> None:
    """Write the derived sheets as they are built (each is let go before the next: together
    they would take more memory than the rest of the run); the marks on the input sheets
    follow once the derivations' findings are known."""
    from pohon_xl.core.derive.run import Derivations
    from pohon_xl.excel.write import write_workbook

    derivations = Derivations(outcome.plan, outcome.tree, outcome.report)
    apart = derivations.apart()
    if fork is None:
        fork = len(outcome.tree.nodes) >= FORK_MIN_NODES
    names: list[str] = list(Derivations.APART)

    def sheets() -> Iterator[SheetSpec]:
        for spec in derivations:
            names.append(spec.name)
            yield spec
            del spec  # not held while the next one is built

    def edits() -> WorkbookEdits:
        if derivations.findings:
            outcome.report = Report(outcome.report.findings + derivations.findings)
        return validation_edits(outcome.plan, outcome.report)

    write_workbook(path, target, edits, sheets(), C.DERIVED_SHEETS, apart, fork)
    outcome.derived = [SheetSpec(name) for name in C.DERIVED_SHEETS if name in names]
