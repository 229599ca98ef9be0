"""Show a batch to people (progress, a rich summary table) or to programs (JSON)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from pohon_xl.findings import Severity

from .merge import DITERIMA, PERLU_PERBAIKAN
from .run import BatchResult

if TYPE_CHECKING:  # rich is imported only when a bar is shown
    from rich.progress import TaskID

_STATUS_COLOUR = {DITERIMA: "green", PERLU_PERBAIKAN: "red"}


def batch_json(result: BatchResult) -> dict[str, object]:
    return {
        "konsolidasi": str(result.consolidated) if result.consolidated else None,
        "berkas": [
            {
                "berkas": f.name,
                "perangkat_daerah": f.row.office or None,
                "kode": f.row.code or None,
                "pengirim": f.row.sender or None,
                "jumlah": dict(zip((s.value for s in Severity), f.row.counts)),
                "status": f.row.status,
                "keterangan": f.row.reason or None,
                "perubahan": f.row.changes or None,
                "temuan_selesai": f.row.resolved,
                "dikembalikan": str(f.returned) if f.returned else None,
                "balasan": str(f.reply) if f.reply else None,
                "temuan": [x.to_dict() for x in f.findings],
            }
            for f in result.files
        ],
        "temuan_batch": [g.to_dict() for g in result.general],
        "dilewati": result.skipped,
        "pemberitahuan": result.notices,
    }


def print_batch_summary(result: BatchResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="Hasil batch", title_justify="left")
    table.add_column("Berkas", overflow="fold", ratio=3)
    table.add_column("Perangkat Daerah", overflow="fold", ratio=2)
    for column in ("Galat", "Peringatan", "Info"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for f in result.files:
        colour = _STATUS_COLOUR.get(f.row.status, "yellow")
        table.add_row(f.name, f.row.office, *(str(c) for c in f.row.counts),
                      f"[{colour}]{f.row.status}[/]")
    totals = [sum(f.row.counts[i] for f in result.files) for i in range(3)]
    accepted = sum(f.row.status == DITERIMA for f in result.files)
    table.add_row(f"{len(result.files)} berkas", "", *(str(t) for t in totals),
                  f"{accepted} diterima", style="bold")
    console.print(table)
    for f in result.files:
        if f.row.reason and f.row.status != DITERIMA:
            reason = f.row.reason.removeprefix(f"{f.name}: ")
            console.print(f"[yellow]{f.name}[/]: {reason}", soft_wrap=True)
    for g in result.general:
        console.print(f"[red]{g.code} {g.severity.value}[/]: {g.message}", soft_wrap=True)
    for notice in result.notices:
        console.print(f"[yellow]{notice}[/]", soft_wrap=True)
    if result.consolidated:
        console.print(f"Konsolidasi: [bold]{result.consolidated}[/]")


class LineProgress:
    """Plain log lines (not a terminal): one per file and phase, on standard error."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.description = ""
        self.total = self.done = 0

    def phase(self, description: str, total: int) -> None:
        self.description, self.total, self.done = description, total, 0

    def advance(self, name: str) -> None:
        self.done += 1
        print(f"{self.description} [{self.done}/{self.total}] {name}", file=self.stream,
              flush=True)


class RichProgress:
    """A progress bar per phase on a terminal (rich.progress), on standard error."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("{task.fields[name]}"),
                            console=Console(stderr=True), transient=False)
        self.task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def phase(self, description: str, total: int) -> None:
        self.task = self.bar.add_task(description, total=total, name="")

    def advance(self, name: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, name=name)
