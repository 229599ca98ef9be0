"""The batch's jobs: what a worker does with one submission (module level functions and
plain data, so that they are pickled by reference into processes and Dask workers).

1. :func:`analyse_job`: read and validate one workbook alone -> its :class:`Plan` and findings
   (raw cells stay in the worker);
2. :func:`finish_job`: derive with the file's own and the cross-workbook findings, write the
   returned workbook and compose the reply e-mail; their bytes go back to the parent
   (workers never write outside their temp folder, so remote Dask workers need no shared
   disk);
3. :func:`consolidate_job`: the consolidated workbook's bytes.
"""

from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar

from pohon_xl.core.compare import Comparison, perubahan_sheet
from pohon_xl.errors import InputError
from pohon_xl.findings import Finding, Report
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan, Position
from pohon_xl.sheets import SheetSpec, WorkbookEdits

from .cross import arrange
from .mail import Reply, build_reply
from .rounds import PreviousRound
from .merge import (
    DITERIMA,
    PERLU_PERBAIKAN,
    REKAP,
    REKAP_HEADERS,
    RekapRow,
    consolidate,
    identitas_sheet,
    jabatan_sheet,
    laporan_sheet,
    level_sheet,
    level_statuses,
    node_offices,
    rekap_sheet,
)

T = TypeVar("T")


class Packed(Generic[T]):
    """A value (a :class:`Plan`) that crosses process boundaries as its pickle.

    Pickled once, in the worker that made it; the parent forwards the same bytes to phase 3
    and to the consolidation instead of pickling the plan again. Within one process nothing
    is pickled at all.
    """

    __slots__ = ("_value", "_data")

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._data: bytes | None = None

    @property
    def value(self) -> T:
        if self._value is None:
            assert self._data is not None
            self._value = pickle.loads(self._data)
        return self._value

    def __getstate__(self) -> bytes:
        if self._data is None:
            self._data = pickle.dumps(self._value, pickle.HIGHEST_PROTOCOL)
        return self._data

    def __setstate__(self, data: bytes) -> None:
        self._value, self._data = None, data

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Packed) and self.value == other.value)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Job:
    index: int
    name: str  # display name
    filename: str  # safe unique file name
    path: str | None = None  # local file (process pool, inline)
    data: bytes | None = None  # the file's bytes (Dask: workers may be on other machines)


@dataclass
class Analysed:
    index: int
    packed: Packed[Plan] | None = None
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""

    @property
    def plan(self) -> Plan | None:
        return self.packed.value if self.packed is not None else None


@dataclass(frozen=True)
class FinishJob(Job):
    plan: Packed[Plan] | None = None
    findings: tuple[Finding, ...] = ()  # its own and the cross-workbook findings
    reply: Reply | None = None
    superiors: tuple[Position, ...] = ()  # positions of other workbooks its heads report to
    previous: PreviousRound | None = None  # what the office sent and got back last round
    body_l1: tuple[Node, ...] = ()  # the body's L1 nodes, for an office without L1


@dataclass
class Finished:
    index: int
    findings: list[Finding] = field(default_factory=list)  # final, derivation findings too
    workbook: bytes | None = None
    email: bytes | None = None
    derived: list[str] = field(default_factory=list)
    problem: str = ""
    changes: Comparison | None = None  # against the previous round, when there was one


def _materialise(job: Job, folder: Path) -> Path:
    """The job's workbook as a file named like the submission (messages quote the name)."""
    target = folder / job.filename
    if job.data is not None:
        target.write_bytes(job.data)
    else:
        assert job.path is not None
        target.write_bytes(Path(job.path).read_bytes())
    return target


def _problem_text(job: Job, message: str) -> str:
    prefix = f"{job.filename}: "
    return f"{job.name}: {message[len(prefix):]}" if message.startswith(prefix) else message


def analyse_job(job: Job) -> Analysed:
    """Phase 1 in a worker: read and validate one workbook alone."""
    from pohon_xl.pipeline import analyse

    try:
        with tempfile.TemporaryDirectory(prefix="pohon-xl-") as tmp:
            outcome = analyse(_materialise(job, Path(tmp)))
    except InputError as exc:
        return Analysed(job.index, problem=_problem_text(job, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
        return Analysed(job.index, problem=f"{job.name}: galat tak terduga saat membaca "
                                           f"({type(exc).__name__}: {exc})")
    plan = outcome.plan
    plan.source = job.name
    findings = [replace(f, source=job.name) for f in outcome.report.findings]
    return Analysed(job.index, Packed(plan), findings)


def finish_job(job: FinishJob) -> Finished:
    """Phase 3 in a worker: derive, write the returned workbook, compose the reply."""
    from pohon_xl.core.derive.registry import DERIVED_SHEETS
    from pohon_xl.core.run import continue_run
    from pohon_xl.excel.write import write_workbook

    assert job.plan is not None and job.reply is not None
    plan = job.plan.value
    # The PK of the head of an office names the Kepala Daerah of the body-level workbook as
    # pihak kedua: derive with those positions known (the sheets stay untouched).
    # Its L2 hang under the body's L1: the cascade, coverage and drawing start there.
    run = continue_run(plan, job.findings, superiors=job.superiors, finding_source=job.name,
                       body_l1=job.body_l1)
    comparison: Comparison | None = None

    def edits() -> WorkbookEdits:
        nonlocal comparison
        found = run.edits()
        if job.previous is not None:
            comparison = _compared(job, plan, run.report)
            if comparison is not None:
                found.sheets.append(perubahan_sheet(comparison, plan))
        return found

    try:
        with tempfile.TemporaryDirectory(prefix="pohon-xl-") as tmp:
            source = _materialise(job, Path(tmp))
            target = Path(tmp) / "hasil" / job.filename
            target.parent.mkdir()
            write_workbook(source, target, edits, run.sheets(), DERIVED_SHEETS)
            workbook = target.read_bytes()
    except InputError as exc:
        return Finished(job.index, list(job.findings), problem=_problem_text(job, str(exc)))
    except Exception as exc:  # noqa: BLE001
        return Finished(job.index, list(job.findings),
                        problem=f"{job.name}: galat tak terduga saat menulis hasil "
                                f"({type(exc).__name__}: {exc})")
    report = run.report
    status = PERLU_PERBAIKAN if report.has_errors else DITERIMA
    email = build_reply(replace(job.reply, status=status), report.findings, workbook,
                        comparison)
    derived = [name for name in DERIVED_SHEETS if name in run.derived]
    return Finished(job.index, report.findings, workbook, email, derived, changes=comparison)


def _compared(job: FinishJob, plan: Plan, report: Report) -> Comparison | None:
    """This round against the office's previous one (None when that workbook cannot be
    read any more: the round is then reported as a first one)."""
    from pohon_xl.core.compare import compare
    from pohon_xl.excel.read import read_raw
    from pohon_xl.model.parse import parse_workbook

    assert job.previous is not None
    with tempfile.TemporaryDirectory(prefix="pohon-xl-") as tmp:
        path = Path(tmp) / "sebelumnya.xlsx"
        path.write_bytes(job.previous.workbook)
        try:
            before = parse_workbook(read_raw(path, contract_only=True), source=job.previous.file)
        except InputError:
            return None
    return compare(before, plan, Report(list(job.previous.findings)), report)


@dataclass(frozen=True)
class ConsolidateJob:
    """Everything the consolidated workbook is made of (a pure function of these)."""

    index: int  # -1: not a submission
    name: str  # the workbook's file name
    rows: tuple[RekapRow, ...]
    findings: tuple[Finding, ...]  # every file's findings, in item order
    general: tuple[Finding, ...]
    plans: tuple[Packed[Plan], ...]
    instansi: str


def consolidate_job(job: ConsolidateJob) -> bytes:
    """Phase 4 in a worker: the consolidated workbook's bytes."""
    from .xlsx import render_new

    sheets, title, charts = _consolidated_sheets(job)
    return render_new(job.name, sheets, title=title, charts=charts)


def _consolidated_sheets(job: ConsolidateJob) -> tuple[list, str, list]:
    from pohon_xl.core.derive.run import derive_all
    from pohon_xl.core.link import Tree

    from .xlsx import BarChart

    plans = [p.value for p in job.plans]
    batch = arrange(plans)
    cons = consolidate(batch)
    by_source = {p.source: p for p in plans}
    all_findings = list(job.findings)
    report = cons.report(all_findings, by_source)
    derived: list[SheetSpec] = []
    if plans:
        # Renstra matrices are per office: two offices' same code stay apart.
        derived, _extra = derive_all(cons.plan, Tree(cons.plan.nodes, cons.plan.positions),
                                     report, node_offices(cons, batch))
        # _extra: the derivation's own findings on the merged tree repeat what each office's
        # returned workbook already lists; the consolidated report keeps the offices' lists.
    rows = list(job.rows)
    general = list(job.general)
    sheets = [rekap_sheet(rows, general), identitas_sheet(cons, batch), jabatan_sheet(cons)]
    statuses = level_statuses(cons, report)
    sheets += [level_sheet(cons, spec, report, statuses) for spec in C.LEVELS]
    sheets.append(laporan_sheet(general + all_findings, cons, by_source))
    sheets += derived
    chart = BarChart(
        sheet=REKAP, title="Temuan per perangkat daerah",
        categories_column=REKAP_HEADERS.index("Perangkat Daerah") + 1,
        series_columns=((6, "C00000"), (7, "FFC000"), (8, "5B9BD5")),
        first_row=2, last_row=len(rows) + 1, anchor=f"B{len(sheets[0].rows) + 3}",  # below
    )
    return sheets, f"Konsolidasi pohon kinerja {job.instansi}".strip(), [chart]
