"""``pohon-xl batch``: check every workbook of an inbox, return each with its findings and a
reply e-mail, and assemble the consolidated workbook of the whole body.

Two parallel phases over the submissions (:mod:`.jobs`, run by a :mod:`runner <.runners>`),
with the pure cross-workbook checks in between:

1. :func:`~.jobs.analyse_job` per file: read, validate alone -> the :class:`Plan` and its
   findings.
2. :func:`~.cross.cross_check` on all plans (here).
3. :func:`~.jobs.finish_job` per file: derive with the file's own and cross findings, write
   the returned workbook and the reply e-mail; this process writes their bytes under OUTDIR.
4. The consolidated workbook: the merged plan, its derived sheets, `Rekap`. With a pool it is
   built by :func:`~.jobs.consolidate_job` on a worker, submitted right after the cross
   checks with the findings each file has then, so that it runs while the other workers
   finish the files; its bytes are used only when every file's final findings and `Rekap`
   row turn out equal to what it was given (the derivations may add findings); otherwise,
   or when that job fails, it is built here, as with ``jobs=1``.

The outputs do not depend on the runner: results are ordered by item, never by completion,
and nothing written holds a date or time that is not in the input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

from pohon_xl.core.compare import Comparison
from pohon_xl.errors import InputError
from pohon_xl.findings import Finding, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan, Position

from .cross import MALFORMED_EMAIL, Batch, arrange, cross_check, reconsider
from .inbox import InboxItem, Limits, collect, safe_filename
from .jobs import (
    Analysed,
    ConsolidateJob,
    Finished,
    FinishJob,
    Job,
    analyse_job,
    consolidate_job,
    finish_job,
)
from .mail import Reply, build_reply, first_address, malformed_address, recipients
from .merge import DIGANTIKAN, DITERIMA, TIDAK_TERBACA, RekapRow, rekap_row
from .rounds import (
    MEMORY_DIR,
    Memory,
    PreviousRound,
    Versions,
    load_memory,
    order_versions,
    save_memory,
    sent_label,
)
from .runners import InlineRunner, Runner, make_runner

RETURNED_DIR = "dikembalikan"
REPLIES_DIR = "balasan"
J = TypeVar("J")


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
    notices: list[str] = field(default_factory=list)  # e.g. a memory that was set aside

    @property
    def has_errors(self) -> bool:
        return any(f.row.status not in (DITERIMA, DIGANTIKAN) for f in self.files) or any(
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


def outside_l1(plan: Plan, batch: Batch) -> tuple[Node, ...]:
    """The L1 nodes of the body-level workbook for an office's workbook without L1 of its own:
    all of them, so that an L2 naming none of them is shown unlinked, not as "in the body's
    workbook" (the derivations use only those the office's nodes hang under)."""
    if batch.body is None or plan is batch.body or plan.nodes_on(1):
        return ()
    return tuple(batch.body.nodes_on(1))


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
              progress: Progress | None = None, limits: Limits | None = None,
              memory: Path | None = None) -> BatchResult:
    """Run the whole batch; raises :class:`InputError` when the inbox or OUTDIR is unusable.

    ``memory``: the folder that remembers each office's last submission across rounds
    (default ``OUTDIR/riwayat``)."""
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
            batch = _Batch(items, outdir, runner, progress, memory or outdir / MEMORY_DIR)
            return batch.run(usable, found.skipped)
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
                 progress: Progress, memory_dir: Path) -> None:
        self.items, self.outdir, self.runner, self.progress = items, outdir, runner, progress
        self.memory_dir = memory_dir
        self.problems = {i: item.problem for i, item in enumerate(items) if not item.ok}
        self.analysed: dict[int, Analysed] = {}
        self.findings: dict[int, list[Finding]] = {}  # final findings of each written file
        self.outputs: dict[int, tuple[Path, Path]] = {}
        self.changes: dict[int, Comparison] = {}  # against the office's previous round
        self.versions = Versions()
        self.memory = Memory()
        self.planner = self.instansi = ""

    def run(self, usable: list[int], skipped: list[str]) -> BatchResult:
        self.analyse(usable)
        self.versions = order_versions(
            [(i, a.plan, self.items[i].sent_at) for i, a in sorted(self.analysed.items())
             if a.plan is not None])
        plans = [self.plan(i) for i in self.together]
        cross = cross_check(plans)
        batch = arrange(plans)
        if batch.body is not None:
            self.planner = first_address(batch.body.identity.text(C.KEY_EMAIL))
        first = batch.body or (plans[0] if plans else Plan())
        self.instansi = first.identity.text(C.KEY_INSTANSI)
        self.memory = load_memory(self.memory_dir, self.instansi)
        general = [f for f in cross if not f.source]
        finish_jobs = self.finish_jobs(batch, cross)
        # The consolidation starts on a worker now, with the findings each file has so far,
        # while the others finish the files; it is used only if nothing changed meanwhile.
        guess = self.consolidate_job(finish_jobs, general)
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
        self.remember()
        notices = [self.memory.notice] if self.memory.notice else []
        return BatchResult(files, general, path, skipped, notices)

    def plan(self, index: int) -> Plan:
        """The plan of a submission that was read."""
        plan = self.analysed[index].plan
        assert plan is not None
        return plan

    @property
    def together(self) -> list[int]:
        """The submissions checked against each other and consolidated: the latest of each
        office, without those whose latest cannot be told."""
        return [i for i in sorted(self.versions.current) if i not in self.versions.unordered]

    def remember(self) -> None:
        """What each office submitted this round and got back, for the next round."""
        memory = Memory(self.instansi, dict(self.memory.offices))
        for index in self.together:
            key = self.versions.current[index]
            item = self.items[index]
            if key and index in self.outputs and item.path is not None:
                memory.remember(key, PreviousRound(item.name, sent_label(item.sent_at),
                                                   item.path.read_bytes(), self.findings[index]))
        save_memory(self.memory_dir, memory)

    def consolidate_job(self, finish_jobs: list[FinishJob], general: list[Finding]
                        ) -> ConsolidateJob:
        """The consolidation's inputs as they will be if no file's derivation adds a
        finding and every file is written: what phase 3 leaves unchanged in that case."""
        own = {job.index: Report(list(job.findings)).findings for job in finish_jobs}
        rows, findings = [], []
        for index, item in enumerate(self.items):
            if index in own:
                rows.append(self.rekap_row(index, self.plan(index), own[index]))
                findings += own[index]
            elif index in self.versions.superseded:
                rows.append(self.superseded_row(index))
            else:
                rows.append(rekap_row(item.name, None, [], item.sender, self.problems[index]))
        return self._consolidate_job(rows, findings, general)

    def consolidate_job_of(self, files: list[FileResult], general: list[Finding]
                           ) -> ConsolidateJob:
        return self._consolidate_job([f.row for f in files],
                                     [x for f in files for x in f.findings], general)

    def _consolidate_job(self, rows: list[RekapRow], findings: list[Finding],
                         general: list[Finding]) -> ConsolidateJob:
        packed = tuple(p for i in self.together if (p := self.analysed[i].packed))
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
        together = set(self.together)
        for index in sorted(self.versions.current):
            item, plan = self.items[index], self.analysed[index].plan
            assert plan is not None
            reply = self.reply_for(item, plan)
            if index not in together:  # its latest version cannot be told: checked alone
                jobs.append(FinishJob(index, item.name, item.filename, str(item.path),
                                      plan=self.analysed[index].packed,
                                      findings=tuple(self.analysed[index].findings),
                                      reply=replace(reply, note=self.unordered_note(index))))
                continue
            own = reconsider(self.analysed[index].findings, plan, batch)
            key = self.versions.current[index]
            jobs.append(FinishJob(index, item.name, item.filename, str(item.path),
                                  plan=self.analysed[index].packed,
                                  findings=tuple(own + by_source.get(item.name, [])),
                                  reply=reply, superiors=outside_superiors(plan, batch),
                                  previous=self.previous(key, item),
                                  body_l1=outside_l1(plan, batch)))
        return jobs

    def previous(self, key: str, item: InboxItem) -> PreviousRound | None:
        if not key or item.path is None or not self.memory.offices.get(key):
            return None
        return self.memory.previous(key, item.path.read_bytes())

    def unordered_note(self, index: int) -> str:
        twins = ", ".join(f"{self.items[i].name} ({sent_label(self.items[i].sent_at)})"
                          for i in self.versions.unordered[index])
        return (f"Versi ganda: kiriman ini ({sent_label(self.items[index].sent_at)}) dan {twins} "
                "berasal dari perangkat daerah yang sama dan tidak dapat diurutkan menurut waktu "
                "kirimnya; masing-masing diperiksa sendiri dan belum masuk konsolidasi. Mohon "
                "kirim ulang satu versi terakhir.")

    def superseded_row(self, index: int) -> RekapRow:
        item, newer = self.items[index], self.items[self.versions.superseded[index]]
        plan = self.analysed[index].plan
        row = rekap_row(item.name, plan, [], item.sender)
        return replace(row, status=DIGANTIKAN, reason=(
            f"Dikirim {sent_label(item.sent_at)}; digantikan oleh {newer.name} "
            f"(dikirim {sent_label(newer.sent_at)}); tidak diperiksa."))

    def finish(self, jobs: list[FinishJob]) -> None:
        """Phase 3: derive and write each file with its own and its cross findings."""
        returned_dir, replies_dir = self.outdir / RETURNED_DIR, self.outdir / REPLIES_DIR
        returned_dir.mkdir(exist_ok=True)
        replies_dir.mkdir(exist_ok=True)
        jobs = self.largest_first(jobs, lambda job: _rows(job.plan.value if job.plan else None))
        self.progress.phase("Menulis hasil", len(jobs))
        crashed = lambda job, why: Finished(job.index, list(job.findings),  # noqa: E731
                                            problem=f"{job.name}: {why}")
        for done in self.runner.map(finish_job, jobs, crashed):
            item = self.items[done.index]
            self.progress.advance(item.name)
            self.findings[done.index] = done.findings
            if done.changes is not None:
                self.changes[done.index] = done.changes
            if done.problem:
                self.problems[done.index] = done.problem
                continue
            self.outputs[done.index] = (
                _write(returned_dir / item.filename, done.workbook or b""),
                _write(replies_dir / f"{item.filename}.eml", done.email or b""),
            )

    def rekap_row(self, index: int, plan: Plan, findings: list[Finding]) -> RekapRow:
        item = self.items[index]
        email_cell = plan.identity.text(C.KEY_EMAIL)
        to = recipients(email_cell, item.sender)[0]
        notes = [] if to else ["Alamat balasan tidak diketahui (isi Email di Identitas)."]
        if malformed_address(email_cell):
            notes = [f"[{MALFORMED_EMAIL.code}] Email di Identitas bukan satu alamat; "
                     + (f"balasan ke {to}." if to else "tidak ada alamat balasan.")]
        if index in self.versions.unordered:
            notes.append(self.unordered_note(index))
        row = rekap_row(item.name, plan, findings, item.sender or first_address(email_cell),
                        note=" ".join(notes))
        changes = self.changes.get(index)
        if changes is None:
            return row
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in changes.counts().items() if n)
        return replace(row, changes=counts or "tidak ada", resolved=len(changes.resolved))

    def results(self) -> list[FileResult]:
        """One result per submission, in item order; replies for the unreadable ones."""
        files: list[FileResult] = []
        for index, item in enumerate(self.items):
            plan = self.analysed[index].plan if index in self.analysed else None
            if index in self.versions.superseded:
                files.append(FileResult(item, self.superseded_row(index)))
                continue
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
            row = self.rekap_row(index, plan, findings)
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
