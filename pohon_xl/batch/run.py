"""``pohon-xl batch``: check every workbook of an inbox, return each with its findings and a
reply e-mail, and assemble the consolidated workbook of the whole body.

Two parallel phases over the submissions, with the pure cross-workbook checks in between:

1. :func:`analyse_job` (per file, in a worker): read, validate alone -> the :class:`Plan`
   and its findings. Only plans come back; raw cells stay in the worker.
2. :func:`cross_check` on all plans (in the parent).
3. :func:`finish_job` (per file, in a worker): derive with the file's own and cross
   findings, write the returned workbook and the reply e-mail; their bytes come back and
   the parent writes them under OUTDIR (workers never write outside their temp folder, so
   remote Dask workers need no shared disk).
4. The consolidated workbook: the merged plan, ``derive_all`` over it, `Rekap`. With a
   pool it is built by :func:`consolidate_job` in a worker, submitted right after the cross
   checks (before the phase 3 jobs) with the findings each file has then, so that it runs
   while the other workers finish the files; its bytes are used only when every file's
   final findings and `Rekap` row turn out equal to what it was given (the derivations may
   add findings); otherwise, or when that job fails, the parent builds it, as with
   ``jobs=1``. The parent writes it under OUTDIR either way.

Workers are a :class:`ProcessPoolExecutor` (``jobs``), a Dask scheduler (``dask``; the same
job functions, files sent as bytes), or the parent itself with ``jobs=1``. The outputs do
not depend on which: results are ordered by item, never by completion, and nothing written
holds a date or time that is not in the input.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from pohon_xl.core.link import Tree
from pohon_xl.errors import InputError
from pohon_xl.findings import Finding, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan, Position

from .cross import Batch, arrange, cross_check, reconsider
from .inbox import InboxItem, Limits, collect, safe_filename
from .mail import Reply, build_reply, recipients, valid_address
from .merge import (
    DITERIMA,
    PERLU_PERBAIKAN,
    REKAP,
    REKAP_HEADERS,
    TIDAK_TERBACA,
    RekapRow,
    consolidate,
    identitas_sheet,
    jabatan_sheet,
    laporan_sheet,
    level_sheet,
    level_statuses,
    rekap_row,
    rekap_sheet,
)

RETURNED_DIR = "dikembalikan"
REPLIES_DIR = "balasan"
J = TypeVar("J")
R = TypeVar("R")
T = TypeVar("T")


class Packed(Generic[T]):
    """A value (a :class:`Plan`) that crosses process boundaries as its pickle.

    Pickled once, in the worker that made it; the parent forwards the same bytes to phase 3
    and to the consolidation instead of pickling the plan again, and whoever needs the value
    unpickles it with the cyclic GC paused (with it running, unpickling the plans of a batch
    takes three to four times as long). Within one process nothing is pickled at all, and to
    workers forked after :meth:`ProcessRunner.inherit` only a key crosses: they find the
    value, already unpickled, in the memory they were forked with.
    """

    __slots__ = ("_value", "_data")

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._data: bytes | None = None

    @property
    def value(self) -> T:
        if self._value is None:
            from pohon_xl.pipeline import paused_gc

            assert self._data is not None
            with paused_gc():
                self._value = pickle.loads(self._data)
        return self._value

    def __getstate__(self) -> bytes | int:
        if id(self) in _INHERITED:  # the worker it goes to has it: only its key crosses
            return id(self)
        if self._data is None:
            self._data = pickle.dumps(self._value, pickle.HIGHEST_PROTOCOL)
        return self._data

    def __setstate__(self, data: bytes | int) -> None:
        if isinstance(data, int):  # a worker forked after ProcessRunner.inherit()
            found = _INHERITED[data]
            self._value, self._data = found._value, found._data
        else:
            self._value, self._data = None, data

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Packed) and self.value == other.value)

    __hash__ = None  # type: ignore[assignment]


# Packed values the workers of the current pool have in their own memory: it was forked after
# they were registered here (ProcessRunner.inherit), so a job carries only their keys.
_INHERITED: dict[int, Packed] = {}


# --- jobs (module level: pickled by reference into processes and Dask workers) -----------
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


@dataclass
class Finished:
    index: int
    findings: list[Finding] = field(default_factory=list)  # final, derivation findings too
    workbook: bytes | None = None
    email: bytes | None = None
    derived: list[str] = field(default_factory=list)
    problem: str = ""


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
    from pohon_xl.pipeline import paused_gc

    with paused_gc():
        return _finish_job(job)


def _finish_job(job: FinishJob) -> Finished:
    from pohon_xl.core.annotate import validation_edits
    from pohon_xl.core.derive.run import derive_all
    from pohon_xl.excel.write import write_workbook

    assert job.plan is not None and job.reply is not None
    plan = job.plan.value
    try:
        report = Report(list(job.findings))
        # The PK of the head of an office names the Kepala Daerah of the body-level workbook
        # as pihak kedua: derive with those positions known (the sheets stay untouched).
        context = plan.model_copy(update={"positions": plan.positions + list(job.superiors)})
        derived, extra = derive_all(context, Tree(context.nodes, context.positions), report)
        if extra:
            report = Report(report.findings + [replace(f, source=job.name) for f in extra])
        edits = validation_edits(plan, report)
        edits.sheets.extend(derived)
        with tempfile.TemporaryDirectory(prefix="pohon-xl-") as tmp:
            source = _materialise(job, Path(tmp))
            target = Path(tmp) / "hasil" / job.filename
            target.parent.mkdir()
            write_workbook(source, target, edits)
            workbook = target.read_bytes()
    except InputError as exc:
        return Finished(job.index, list(job.findings), problem=_problem_text(job, str(exc)))
    except Exception as exc:  # noqa: BLE001
        return Finished(job.index, list(job.findings),
                        problem=f"{job.name}: galat tak terduga saat menulis hasil "
                                f"({type(exc).__name__}: {exc})")
    status = PERLU_PERBAIKAN if report.has_errors else DITERIMA
    email = build_reply(replace(job.reply, status=status), report.findings, workbook)
    return Finished(job.index, report.findings, workbook, email, [s.name for s in derived])


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
    from pohon_xl.pipeline import paused_gc

    from .xlsx import render_new

    with paused_gc():
        sheets, title, charts = _consolidated_sheets(job)
        return render_new(job.name, sheets, title=title, charts=charts)


# --- runners -------------------------------------------------------------------------------
class Runner(Protocol):
    def map(self, fn: Callable[[J], R], jobs: list[J], crashed: Callable[[J, str], R]
            ) -> Iterator[R]: ...

    def start(self, fn: Callable[[J], R], job: J) -> Callable[[], R] | None:
        """Run ``fn(job)`` alongside the next ``map``; None when it runs nowhere but here."""
        ...

    def close(self) -> None: ...


class InlineRunner:
    """``--jobs 1``: everything in this process, in order."""

    def map(self, fn, jobs, crashed):
        for job in jobs:
            yield fn(job)

    def start(self, fn, job):
        return None

    def close(self) -> None:
        pass


class ProcessRunner:
    """A process pool; at most ``2 × workers`` jobs in flight, so memory stays bounded.

    A worker that dies (a crash in a reader, the OOM killer) breaks the pool; the jobs that
    were not finished then run one by one, each in a fresh one-worker pool, so that only
    the culprit is reported and the others still complete.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @property
    def context(self):
        """Fork where the platform has it and this process runs no other thread (a thread
        might hold a lock that the child then waits on forever): a forked worker starts at
        once, its modules already imported, and exits without tearing its heap down; under
        spawn each of these costs about half a second per worker. Spawn otherwise (Windows,
        macOS, a progress bar's thread on a terminal)."""
        import multiprocessing

        from pohon_xl.excel.forked import single_threaded

        safe = sys.platform.startswith("linux") and single_threaded()
        return multiprocessing.get_context("fork" if safe else "spawn")

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=self.context)
        return self.pool

    def map(self, fn, jobs, crashed):
        pending = iter(jobs)
        running: dict[Future, object] = {}
        leftover: list = []

        def fill() -> bool:
            """False when the pool is broken (a job started with :meth:`start` may break it
            while no job of this map is running)."""
            while len(running) < 2 * self.workers:
                job = next(pending, None)
                if job is None:
                    return True
                try:
                    running[self._pool().submit(fn, job)] = job
                except BrokenProcessPool:
                    leftover.append(job)
                    return False
            return True

        broken = not fill()
        while running and not broken:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f].index):
                job = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    leftover.append(job)
            if not broken:
                broken = not fill()
        if broken:
            leftover += list(running.values()) + list(pending)
            running.clear()
            self.close()
        for job in sorted(leftover, key=lambda j: j.index):
            with ProcessPoolExecutor(1, mp_context=self.context) as single:
                try:
                    yield single.submit(fn, job).result()
                except BrokenProcessPool:
                    yield crashed(job, "proses pemeriksa berhenti mendadak (berkas mungkin "
                                       "rusak atau terlalu besar)")

    def start(self, fn, job):
        """Submitted ahead of the next ``map``'s jobs, so a worker takes it first. Should a
        worker die, it breaks like those jobs; its result() then raises and the caller
        does the work itself."""
        try:
            return self._pool().submit(fn, job).result
        except BrokenProcessPool:
            return None

    def inherit(self, values: list[Packed]) -> None:
        """Let the next jobs' ``values`` reach the workers through fork instead of pickle
        (every plan, once more to the consolidation and once per file: a quarter of a
        second for 50 offices): the pool is forked again, after they are registered. Where
        workers are spawned, nothing changes."""
        self.close()
        if self.context.get_start_method() == "fork":
            _INHERITED.update((id(value), value) for value in values)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _INHERITED.clear()


class DaskRunner:
    """The same job functions on a Dask distributed scheduler; files travel as bytes."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError('--dask memerlukan paket dask[distributed]: pip install '
                             '"dask[distributed]"') from None
        try:
            self.client = Client(address, timeout="10s")
        except Exception as exc:  # noqa: BLE001 - any connection failure is a bad argument
            raise InputError(f"tidak dapat terhubung ke penjadwal Dask {address} "
                             f"({type(exc).__name__}: {exc})") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, 2 * threads)

    def map(self, fn, jobs, crashed):
        from distributed import as_completed

        pending = iter(jobs)
        by_key: dict[str, object] = {}
        stream = as_completed()

        def submit() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            if job.path is not None and job.data is None:
                job = replace(job, data=Path(job.path).read_bytes(), path=None)
            future = self.client.submit(fn, job, pure=False)
            by_key[future.key] = job
            stream.add(future)
            return True

        for _ in range(self.window):
            if not submit():
                break
        for future in stream:
            job = by_key.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a killed worker, a lost task
                result = crashed(job, f"pekerja Dask gagal ({type(exc).__name__}: {exc})")
            future.release()
            yield result
            submit()

    def start(self, fn, job):
        future = self.client.submit(fn, job, pure=False)

        def result():
            try:
                return future.result()
            finally:
                future.release()

        return result

    def close(self) -> None:
        self.client.close()


def make_runner(jobs: int | None, dask: str | None, count: int) -> Runner:
    if dask:
        return DaskRunner(dask)
    workers = min(jobs or os.cpu_count() or 1, max(count, 1))
    return InlineRunner() if workers <= 1 else ProcessRunner(workers)


# --- the batch -----------------------------------------------------------------------------
class Progress(Protocol):
    def phase(self, description: str, total: int) -> None: ...

    def advance(self, name: str) -> None: ...


class _Silent:
    def phase(self, description: str, total: int) -> None:
        pass

    def advance(self, name: str) -> None:
        pass


@dataclass
class FileResult:
    """One submission, after the batch: what the Rekap row and the summary show."""

    item: InboxItem
    row: RekapRow
    findings: list[Finding] = field(default_factory=list)
    returned: Path | None = None
    reply: Path | None = None

    @property
    def name(self) -> str:
        return self.item.name


@dataclass
class BatchResult:
    files: list[FileResult]
    general: list[Finding]  # findings about the batch as a whole
    consolidated: Path | None
    skipped: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.row.status != DITERIMA for f in self.files) or any(
            g.severity is Severity.GALAT for g in self.general)

    @property
    def exit_code(self) -> int:
        """1 when any file has a Galat or could not be read, or the batch has a Galat."""
        return int(self.has_errors)


def outside_superiors(plan: Plan, batch: Batch) -> tuple[Position, ...]:
    """Positions of the body-level workbook that this workbook's positions report to but
    that its own Jabatan does not list (typically the Kepala Daerah)."""
    if batch.body is None or plan is batch.body:
        return ()
    own = {p.code for p in plan.positions}
    wanted = {p.superior for p in plan.positions if p.superior and p.superior not in own}
    return tuple(p for p in batch.body.positions if p.code in wanted)


def _write(path: Path, data: bytes) -> Path:
    """Write atomically (a temp name in the same folder, then rename)."""
    partial = path.with_name(f".{path.name}.sementara")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def consolidated_name(instansi: str) -> str:
    label = safe_filename(instansi).replace(" ", "_") if instansi else "Instansi"
    return f"Konsolidasi_{label}.xlsx"


def run_batch(inbox: Path, outdir: Path, *, jobs: int | None = None, dask: str | None = None,
              progress: Progress | None = None, limits: Limits | None = None) -> BatchResult:
    """Run the whole batch; raises :class:`InputError` when the inbox or OUTDIR is unusable."""
    inbox, outdir = Path(inbox), Path(outdir)
    progress = progress or _Silent()
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir} sudah ada dan bukan folder; pilih folder keluaran lain.")
    if inbox.exists() and outdir.resolve() == inbox.resolve():
        raise InputError("Folder keluaran harus berbeda dari folder kotak masuk.")
    if jobs is not None and jobs < 1:
        raise InputError("--jobs harus 1 atau lebih.")
    created = not outdir.exists()
    outdir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pohon-xl-", dir=outdir))
    try:
        try:
            found = collect(inbox, staging, limits)
        except InputError:
            _remove_tree(staging)
            if created:
                outdir.rmdir()  # an unusable inbox leaves no trace
            raise
        items = found.items
        usable = [i for i, item in enumerate(items) if item.ok]
        runner = make_runner(jobs, dask, len(usable))
        try:
            return _Batch(items, outdir, runner, progress).run(usable, found.skipped)
        finally:
            runner.close()
    finally:
        _remove_tree(staging)


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


class _Batch:
    """The parent's side of one batch: hands jobs to the runner, keeps plans and counts."""

    def __init__(self, items: list[InboxItem], outdir: Path, runner: Runner,
                 progress: Progress) -> None:
        self.items, self.outdir, self.runner, self.progress = items, outdir, runner, progress
        self.problems = {i: item.problem for i, item in enumerate(items) if not item.ok}
        self.analysed: dict[int, Analysed] = {}
        self.findings: dict[int, list[Finding]] = {}  # final findings of each written file
        self.outputs: dict[int, tuple[Path, Path]] = {}
        self.planner = self.instansi = ""

    def run(self, usable: list[int], skipped: list[str]) -> BatchResult:
        from pohon_xl.pipeline import paused_gc

        self.analyse(usable)
        # Workers wait for this part: without automatic collections walking every plan
        # again (they hold no cycles worth collecting).
        with paused_gc():
            plans = [p for i in sorted(self.analysed)
                     if (p := self.analysed[i].plan) is not None]
            cross = cross_check(plans)
            batch = arrange(plans)
            if batch.body is not None:
                self.planner = valid_address(batch.body.identity.text(C.KEY_EMAIL))
            first = batch.body or (plans[0] if plans else Plan())
            self.instansi = first.identity.text(C.KEY_INSTANSI)
            general = [f for f in cross if not f.source]
            finish_jobs = self.finish_jobs(batch, cross)
            guess = self.consolidate_job(finish_jobs, general)
        if isinstance(self.runner, ProcessRunner):
            self.runner.inherit(list(guess.plans))
        early = self.runner.start(consolidate_job, guess)
        self.finish(finish_jobs)
        files = self.results()
        self.progress.phase("Menyusun konsolidasi", 1)
        final = self.consolidate_job_of(files, general)
        data = None
        if early is not None and final == guess:  # else a derivation changed a file's
            try:                                   # findings or Rekap row: not waited for
                data = early()
            except Exception:  # noqa: BLE001 - a crashed worker: build it here, as jobs=1
                data = None
        if data is None:
            data = _consolidated_bytes(final)
        path = _write(self.outdir / final.name, data)
        self.progress.advance(path.name)
        return BatchResult(files, general, path, skipped)

    def consolidate_job(self, finish_jobs: list[FinishJob], general: list[Finding]
                        ) -> ConsolidateJob:
        """The consolidation's inputs as they will be if no file's derivation adds a
        finding and every file is written: what phase 3 leaves unchanged in that case."""
        own = {job.index: Report(list(job.findings)).findings for job in finish_jobs}
        rows, findings = [], []
        for index, item in enumerate(self.items):
            if index in own:
                plan = self.analysed[index].plan
                rows.append(self.rekap_row(item, plan, own[index]))
                findings += own[index]
            else:
                rows.append(rekap_row(item.name, None, [], item.sender, self.problems[index]))
        return self._consolidate_job(rows, findings, general)

    def consolidate_job_of(self, files: list[FileResult], general: list[Finding]
                           ) -> ConsolidateJob:
        return self._consolidate_job([f.row for f in files],
                                     [x for f in files for x in f.findings], general)

    def _consolidate_job(self, rows: list[RekapRow], findings: list[Finding],
                         general: list[Finding]) -> ConsolidateJob:
        packed = tuple(p for i in sorted(self.analysed) if (p := self.analysed[i].packed))
        return ConsolidateJob(-1, consolidated_name(self.instansi), tuple(rows),
                              tuple(findings), tuple(general), packed, self.instansi)

    def analyse(self, usable: list[int]) -> None:
        """Phase 1: read and validate each usable file alone."""
        jobs = [Job(i, self.items[i].name, self.items[i].filename, str(self.items[i].path))
                for i in usable]
        jobs = self.largest_first(jobs, lambda job: Path(job.path or "").stat().st_size)
        self.progress.phase("Memeriksa", len(jobs))
        crashed = lambda job, why: Analysed(job.index, problem=f"{job.name}: {why}")  # noqa: E731
        for result in self.runner.map(analyse_job, jobs, crashed):
            self.progress.advance(self.items[result.index].name)
            if result.plan is None:
                self.problems[result.index] = result.problem
            else:
                self.analysed[result.index] = result

    def largest_first(self, jobs: list[J], weight: Callable[[J], int]) -> list[J]:
        """With workers, the largest jobs first: a big workbook left for last would keep one
        worker busy while the others wait. Alone, the order of the inbox."""
        if isinstance(self.runner, InlineRunner):
            return jobs
        return sorted(jobs, key=lambda job: -weight(job))  # stable: ties keep their order

    def reply_for(self, item: InboxItem, plan: Plan | None) -> Reply:
        email_cell = plan.identity.text(C.KEY_EMAIL) if plan else ""
        to, cc = recipients(email_cell, item.sender)
        return Reply(
            file=item.name, to=to, cc=cc, sender=self.planner, instansi=self.instansi,
            office=plan.identity.text(C.KEY_PERANGKAT_DAERAH) if plan else "",
            penyusun=plan.identity.text(C.KEY_PENYUSUN) if plan else "",
            in_reply_to=item.message_id, original_subject=item.subject, date=item.date,
            attachment_name=item.filename,
        )

    def finish_jobs(self, batch: Batch, cross: list[Finding]) -> list[FinishJob]:
        by_source: dict[str, list[Finding]] = {}
        for finding in cross:
            by_source.setdefault(finding.source, []).append(finding)
        jobs = []
        for index in sorted(self.analysed):
            item, plan = self.items[index], self.analysed[index].plan
            assert plan is not None
            own = reconsider(self.analysed[index].findings, plan, batch)
            jobs.append(FinishJob(index, item.name, item.filename, str(item.path),
                                  plan=self.analysed[index].packed,
                                  findings=tuple(own + by_source.get(item.name, [])),
                                  reply=self.reply_for(item, plan),
                                  superiors=outside_superiors(plan, batch)))
        return jobs

    def finish(self, jobs: list[FinishJob]) -> None:
        """Phase 3: derive and write each file with its own and its cross findings."""
        returned_dir, replies_dir = self.outdir / RETURNED_DIR, self.outdir / REPLIES_DIR
        returned_dir.mkdir(exist_ok=True)
        replies_dir.mkdir(exist_ok=True)
        jobs = self.largest_first(jobs, lambda job: _rows(job.plan.value))
        self.progress.phase("Menulis hasil", len(jobs))
        crashed = lambda job, why: Finished(job.index, list(job.findings),  # noqa: E731
                                            problem=f"{job.name}: {why}")
        for done in self.runner.map(finish_job, jobs, crashed):
            item = self.items[done.index]
            self.progress.advance(item.name)
            self.findings[done.index] = done.findings
            if done.problem:
                self.problems[done.index] = done.problem
                continue
            self.outputs[done.index] = (
                _write(returned_dir / item.filename, done.workbook or b""),
                _write(replies_dir / f"{item.filename}.eml", done.email or b""),
            )

    def rekap_row(self, item: InboxItem, plan: Plan, findings: list[Finding]) -> RekapRow:
        email_cell = plan.identity.text(C.KEY_EMAIL)
        note = "" if recipients(email_cell, item.sender)[0] else (
            "Alamat balasan tidak diketahui (isi Email di Identitas).")
        return rekap_row(item.name, plan, findings, item.sender or valid_address(email_cell),
                         note=note)

    def results(self) -> list[FileResult]:
        """One result per submission, in item order; replies for the unreadable ones."""
        files: list[FileResult] = []
        for index, item in enumerate(self.items):
            plan = self.analysed[index].plan if index in self.analysed else None
            if index in self.problems:
                problem, reply = self.problems[index], None
                if item.sender:  # nowhere to answer otherwise
                    data = build_reply(replace(self.reply_for(item, plan), status=TIDAK_TERBACA,
                                               problem=problem), [])
                    reply = _write(self.outdir / REPLIES_DIR / f"{item.filename}.eml", data)
                row = rekap_row(item.name, None, [], item.sender, problem)
                files.append(FileResult(item, row, reply=reply))
                continue
            assert plan is not None
            findings = self.findings[index]
            row = self.rekap_row(item, plan, findings)
            returned, reply = self.outputs[index]
            files.append(FileResult(item, row, findings, returned, reply))
        return files


def _rows(plan: Plan | None) -> int:
    """A plan's size: its rows on the level sheets and in Jabatan."""
    if plan is None:
        return 0
    return sum(max(len(n.indicators), 1) for n in plan.nodes) + len(plan.positions)


def _consolidated_bytes(job: ConsolidateJob) -> bytes:
    """The consolidated workbook, built here (``jobs=1``, or when the early one is unusable)."""
    return consolidate_job(job)


def _consolidated_sheets(job: ConsolidateJob) -> tuple[list, str, list]:
    from pohon_xl.core.derive.run import derive_all

    from .xlsx import BarChart

    plans = [p.value for p in job.plans]
    batch = arrange(plans)
    cons = consolidate(batch)
    by_source = {p.source: p for p in plans}
    all_findings = list(job.findings)
    report = cons.report(all_findings, by_source)
    derived = []
    if plans:
        derived, _extra = derive_all(cons.plan, Tree(cons.plan.nodes, cons.plan.positions),
                                     report)
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
        categories_column=REKAP_HEADERS.index("Berkas") + 1,
        series_columns=((6, "C00000"), (7, "FFC000"), (8, "5B9BD5")),
        first_row=2, last_row=len(rows) + 1, anchor=f"B{len(sheets[0].rows) + 3}",  # below
    )
    return sheets, f"Konsolidasi pohon kinerja {job.instansi}".strip(), [chart]
