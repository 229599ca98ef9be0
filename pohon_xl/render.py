"""Render an outcome for people (a rich summary) or for programs (JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.pipeline import Outcome

if TYPE_CHECKING:
    from pohon_xl.core.compare import Comparison

FIRST_FINDINGS = 15
_COLOURS = {Severity.GALAT: "red", Severity.PERINGATAN: "yellow", Severity.INFO: "cyan"}


def _level_name(level: int) -> str:
    return C.LEVEL_BY_NUMBER[level].sheet if level in C.LEVEL_BY_NUMBER else "Umum"


def report_json(outcome: Outcome) -> dict[str, object]:
    counts = outcome.report.counts()
    return {
        "berkas": outcome.plan.source,
        "keluaran": str(outcome.output) if outcome.output else None,
        "jumlah": {s.value: counts.get(s, 0) for s in Severity},
        "per_level": {
            _level_name(level): {s.value: c.get(s, 0) for s in Severity}
            for level, c in sorted(outcome.report.by_level().items())
        },
        "sheet_turunan": list(outcome.derived),
        "sheet_isian": dict(outcome.filled),
        "temuan": [f.to_dict() for f in outcome.report.findings],
    }


def print_summary(outcome: Outcome, derive: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    report = outcome.report
    counts = report.counts()
    table = Table(title=f"Hasil validasi: {outcome.plan.source}", title_justify="left")
    table.add_column("Level")
    for severity in Severity:
        table.add_column(severity.value, justify="right", style=_COLOURS[severity])
    for level, level_counts in sorted(report.by_level().items()):
        table.add_row(_level_name(level), *(str(level_counts.get(s, 0)) for s in Severity))
    table.add_row("Jumlah", *(str(counts.get(s, 0)) for s in Severity), style="bold")
    console.print(table)
    if not report.findings:
        console.print("[green]Tidak ada temuan: semua aturan terpenuhi.[/]")
    for finding in report.findings[:FIRST_FINDINGS]:
        loc = finding.location
        where = f"{loc.sheet}" + (f" baris {loc.row}" if loc.row else "")
        where += f" ({loc.column})" if loc.column else ""
        colour = _COLOURS[finding.severity]
        console.print(f"[{colour}]{finding.code} {finding.severity.value}[/] {where}: "
                      f"{finding.message}", soft_wrap=True)
    if len(report.findings) > FIRST_FINDINGS:
        console.print(f"… dan {len(report.findings) - FIRST_FINDINGS} temuan lain "
                      f"(lihat sheet {C.LAPORAN}).")
    if derive and outcome.derived:
        console.print("Sheet turunan: " + ", ".join(outcome.derived))
    for sheet, said in outcome.filled.items():
        console.print(f"Sheet isian {sheet}: {said}")
    if outcome.output:
        console.print(f"Hasil ditulis ke: [bold]{outcome.output}[/]")


def print_comparison(comparison: Comparison, old: str, new: str, output: Path | None) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    counts = comparison.counts()
    console.print(f"[bold]Perubahan dari {old} ke {new}[/]: " + ", ".join(
        f"{count} {kind.lower()}" for kind, count in counts.items()))
    for change in comparison.changes:
        console.print(f"- {change.describe()}", soft_wrap=True)
    if not comparison.changes:
        console.print("Tidak ada perubahan isi.")
    if comparison.findings:
        console.print(f"Temuan: {len(comparison.resolved)} selesai, "
                      f"{len(comparison.still_open)} masih ada, {len(comparison.new)} baru.")
        for title, findings in (("Selesai", comparison.resolved), ("Baru", comparison.new)):
            for finding in findings:
                where = finding.node_id or finding.location.sheet
                console.print(f"  {title}: {finding.code} {where}: {finding.message}",
                              soft_wrap=True)
    if output:
        console.print(f"Perbedaan ditulis ke: [bold]{output}[/]")
