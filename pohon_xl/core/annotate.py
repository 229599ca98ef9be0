"""Report -> WorkbookEdits: the `Status`/`Catatan Validasi` columns, cell marks and the
`Laporan_Validasi` sheet. Pure: the same edits are applied to a file or to live Excel."""

from __future__ import annotations

from collections import defaultdict

from pohon_xl.core.derive.common import fit_heights
from pohon_xl.findings import Finding, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import ActionPlanRow, FilledSheet, Plan, RealisationRow
from pohon_xl.printing import fit_page
from pohon_xl.sheets import (
    Cell,
    CellMark,
    PrintSetup,
    RowStatus,
    SheetSpec,
    WorkbookEdits,
    cell_link,
)

LAPORAN_HEADERS = ("Kode", "Tingkat", "Sheet", "Baris", "Kolom", "ID", "Pesan", "Saran")
_STATUS_OF = {Severity.GALAT: "Galat", Severity.PERINGATAN: "Peringatan", Severity.INFO: C.STATUS_OK}
_SEVERITY_STYLE = {Severity.GALAT: "galat", Severity.PERINGATAN: "peringatan", Severity.INFO: "info"}


def status_columns(plan: Plan) -> dict[str, tuple[int, int]]:
    """Where `Status` and `Catatan Validasi` go on each level sheet: reuse, else append
    after every column the sheet's cells and merged ranges reach (never into the user's
    header or data)."""
    result = {}
    for spec in C.LEVELS:
        info = plan.sheets.get(spec.sheet)
        if info is None or not info.present:
            continue
        status = info.columns.get(C.STATUS)
        catatan = info.columns.get(C.CATATAN)
        right = max(info.last_column, status or 0, catatan or 0)
        if status is None or catatan is None:
            right = max(right, info.used_column)
        if status is None:
            right = status = right + 1
        if catatan is None:
            catatan = right + 1
        result[info.name] = (status, catatan)
    for filled in plan.filled_sheets.values():
        result[filled.name] = _filled_status_columns(filled)
    return result


def _filled_status_columns(info: FilledSheet) -> tuple[int, int]:
    """`Status` and `Catatan Validasi` of a sheet people fill: where their headers are, else
    right of everything the sheet holds."""
    found = {C.normalise_header(h): i for i, h in enumerate(info.headers, start=1) if h}
    status = found.get(C.normalise_header(C.STATUS))
    catatan = found.get(C.normalise_header(C.CATATAN))
    right = info.used_column if status is None or catatan is None else 0
    if status is None:
        right = status = max(right, catatan or 0) + 1
    if catatan is None:
        catatan = max(right, status) + 1
    return status, catatan


def note_line(finding: Finding) -> str:
    where = f" ({finding.location.column})" if finding.location.column else ""
    return f"[{finding.code}] {finding.severity.value}{where}: {finding.message}"


def row_statuses(plan: Plan, report: Report) -> list[RowStatus]:
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.location.row:
            by_row[(finding.location.sheet, finding.location.row)].append(finding)
    statuses: list[RowStatus] = []
    append, ok = statuses.append, C.STATUS_OK
    for node in plan.nodes:
        sheet = node.sheet
        for row in node.rows:
            findings = by_row.get((sheet, row))
            if findings is None:  # the common row: nothing found
                append(RowStatus(sheet, row, ok, ""))
                continue
            append(_found(sheet, row, findings))
    for name, rows in _filled_rows(plan):
        for filled in rows:
            findings = by_row.get((name, filled.row))
            append(RowStatus(name, filled.row, ok, "") if findings is None
                   else _found(name, filled.row, findings))
    return statuses


def _found(sheet: str, row: int, findings: list[Finding]) -> RowStatus:
    """A row's status: its worst finding, and every finding's note."""
    worst = min((f.severity for f in findings), key=lambda s: s.rank)
    return RowStatus(sheet, row, _STATUS_OF[worst], "\n".join(note_line(f) for f in findings))


def _filled_rows(plan: Plan) -> list[tuple[str, list[ActionPlanRow] | list[RealisationRow]]]:
    """(the sheet's name as typed, its rows read) of each sheet people fill that is present."""
    found: list[tuple[str, list[ActionPlanRow] | list[RealisationRow]]] = []
    for key, rows in ((C.RENCANA_AKSI, plan.action_plan), (C.REALISASI, plan.realisation)):
        info = plan.filled_sheets.get(key)
        if info is not None:
            found.append((info.name, rows))
    return found


def cell_marks(report: Report) -> list[CellMark]:
    grouped: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        loc = finding.location
        if loc.row and loc.column_index:
            grouped[(loc.sheet, loc.row, loc.column_index)].append(finding)
    return [
        CellMark(
            sheet=sheet,
            row=row,
            column=column,
            severity=min((f.severity for f in findings), key=lambda s: s.rank),
            note="\n".join(f"[{f.code}] {f.message} Saran: {f.suggestion}" for f in findings),
        )
        for (sheet, row, column), findings in sorted(grouped.items())
    ]


def _cell_ref(finding: Finding) -> str:
    loc = finding.location
    return cell_link(loc.sheet, loc.row, loc.column_index)


def laporan_sheet(report: Report, present_sheets: set[str]) -> SheetSpec:
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in LAPORAN_HEADERS]]
    for f in report.findings:
        link = _cell_ref(f) if f.location.sheet in present_sheets else ""
        rows.append(
            [
                Cell(f.code, "link" if link else "text", link=link),
                Cell(f.severity.value, _SEVERITY_STYLE[f.severity]),
                Cell(f.location.sheet, "text", link=link),
                Cell(f.location.row or None, "number"),
                Cell(f.location.column or None, "text"),
                Cell(f.node_id or None, "text"),
                Cell(f.message, "text"),
                Cell(f.suggestion, "text"),
            ]
        )
    last = len(rows)
    sheet = SheetSpec(
        name=C.LAPORAN,
        rows=rows,
        widths={1: 9, 2: 12, 3: 24, 4: 7, 5: 18, 6: 14, 7: 58, 8: 52},  # A4 across at 8 pt
        freeze="A2",
        autofilter=f"A1:H{last}",
        protect=True,
        print=PrintSetup(title_rows="1:1"),
        tab_color="C00000" if report.has_errors else "548235",
    )
    fit_page(sheet, title_columns=1)
    fit_heights(sheet)
    return sheet


def validation_edits(plan: Plan, report: Report) -> WorkbookEdits:
    present = {info.name for info in plan.sheets.values() if info.present}
    present |= {info.name for info in plan.filled_sheets.values()}
    return WorkbookEdits(
        status_columns=status_columns(plan),
        statuses=row_statuses(plan, report),
        marks=cell_marks(report),
        sheets=[laporan_sheet(report, present)],
    )
