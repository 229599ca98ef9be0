"""One workbook file through the core: read, run, write (the file adapter of
:mod:`pohon_xl.core.run`; the command line and the batch call it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pohon_xl.core.link import Tree
from pohon_xl.core.run import WorkbookRun, run_workbook
from pohon_xl.errors import InputError
from pohon_xl.findings import Report
from pohon_xl.model.plan import Plan


@dataclass
class Outcome:
    plan: Plan
    tree: Tree
    report: Report
    output: Path | None = None
    derived: list[str] = field(default_factory=list)  # names of the derived sheets written
    filled: dict[str, str] = field(default_factory=dict)  # Rencana_Aksi, Realisasi: what was done


def default_output(path: Path, action: str) -> Path:
    """``Dinas.xlsx`` -> ``Dinas_validasi.xlsx`` (or ``_turunan``) beside the input."""
    return path.with_name(f"{path.stem}_{action}{path.suffix.lower()}")


def read_run(path: Path, *, derive: bool = False,
             nomenclature: dict[str, str] | None = None) -> WorkbookRun:
    """Read and check a workbook file (nothing is written)."""
    from pohon_xl.excel.read import read_raw

    path = Path(path)
    raw = read_raw(path, contract_only=True)
    return run_workbook(raw, path.name, derive=derive, nomenclature=nomenclature)


def analyse(path: Path, *, nomenclature: dict[str, str] | None = None) -> Outcome:
    """Read and check a workbook without writing anything."""
    run = read_run(path, nomenclature=nomenclature)
    return Outcome(run.plan, run.tree, run.report)


def process(path: Path, output: Path | None = None, *, in_place: bool = False,
            derive: bool = False, nomenclature: dict[str, str] | None = None,
            bands: tuple[float, ...] | None = None, only: Sequence[str] = (),
            action: str = "") -> Outcome:
    """Validate (and derive) ``path`` and write the result workbook; return what was found.

    ``bands``: the achievement categories; ``only``: build these derived sheets only;
    ``action``: the suffix of the default output name (bawaan: turunan / validasi)."""
    from pohon_xl.core.derive.registry import DERIVED_SHEETS
    from pohon_xl.excel.write import write_workbook

    path = Path(path)
    target = output_path(path, output, in_place=in_place, derive=derive, action=action)
    run = read_run(path, derive=derive, nomenclature=nomenclature)
    if bands is not None:
        run.bands = bands
    if only:
        from pohon_xl.core.derive.capaian import NO_REALISATION, has_realisation

        if not has_realisation(run.plan):
            raise InputError(NO_REALISATION)
        run.only = only
    # The derived sheets are written as they are built, each let go before the next (together
    # they take more memory than the rest of the run); the marks on the input sheets follow
    # once the derivations' findings are known.
    write_workbook(path, target, run.edits, run.sheets(), DERIVED_SHEETS)
    return Outcome(run.plan, run.tree, run.report, target,
                   [name for name in DERIVED_SHEETS if name in run.derived], run.filled)


def output_path(path: Path, output: Path | None, *, in_place: bool, derive: bool,
                action: str = "") -> Path:
    """Where the result goes; refuses a target that would overwrite the input by accident."""
    if in_place and output is not None:
        raise InputError("Pilih salah satu: --di-tempat atau -o, tidak keduanya.")
    action = action or ("turunan" if derive else "validasi")
    target = path if in_place else Path(output or default_output(path, action))
    if not in_place and target.resolve() == path.resolve():
        raise InputError("Berkas keluaran sama dengan masukan; gunakan --di-tempat untuk menimpa.")
    if target.suffix.lower() != path.suffix.lower():
        raise InputError(
            f"Berkas keluaran harus berakhiran {path.suffix.lower()} seperti masukannya."
        )
    return target
