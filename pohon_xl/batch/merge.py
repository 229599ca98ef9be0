"""The whole body as one plan, and the sheets of the consolidated workbook. Pure: no files.

The consolidated level sheets stack every workbook's rows (the body-level workbook first,
then the offices by name) in the contract's column order, followed by `Status`,
`Catatan Validasi` and `Sumber` (the workbook a row came from). The merged :class:`Plan`
points at those consolidated rows, so the derivations run on it exactly as on one workbook:
the Kepala Daerah's PK covers L1, programmes sum the budgets of every office's L5 below them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from pohon_xl.core.annotate import LAPORAN_HEADERS, row_statuses
from pohon_xl.core.derive.capaian import reported_share
from pohon_xl.core.derive.common import fit_heights
from pohon_xl.findings import Finding, Location, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Identity, Indicator, Number, Plan, SheetInfo
from pohon_xl.printing import fit_page
from pohon_xl.sheets import Cell, PrintSetup, RowStatus, SheetSpec, cell_link, column_letter

from .cross import Batch, is_body, office_code

SUMBER = "Sumber"
BERKAS = "Berkas"
REKAP = "Rekap"
BATCH_SOURCE = "(batch)"  # the Berkas of findings about the batch as a whole

DITERIMA = "Diterima"
PERLU_PERBAIKAN = "Perlu perbaikan"
TIDAK_TERBACA = "Tidak terbaca"
DIGANTIKAN = "Digantikan"  # an earlier version of an office's submission in the same inbox
REKAP_HEADERS = ("No", "Perangkat Daerah", "Kode", BERKAS, "Pengirim", "Galat", "Peringatan",
                 "Info", "Status", "Keterangan", "Perubahan", "Temuan selesai",
                 "Indikator Terlapor", "Persentase Terlapor")
_STATUS_STYLE = {"Galat": "galat", "Peringatan": "peringatan", "OK": "ok", "Info": "info"}
_SEVERITY_STYLE = {Severity.GALAT: "galat", Severity.PERINGATAN: "peringatan",
                   Severity.INFO: "info"}
_REKAP_STYLE = {DITERIMA: "ok", PERLU_PERBAIKAN: "galat", TIDAK_TERBACA: "peringatan",
                DIGANTIKAN: "info"}


def level_layout(spec: C.LevelSpec, years: Sequence[int]) -> list[str]:
    """Headers of a consolidated level sheet."""
    return C.level_headers(spec, range(years[0], years[-1] + 1) if years else range(0)) + [
        C.STATUS, C.CATATAN, SUMBER]


@dataclass
class Consolidation:
    plan: Plan  # every workbook's nodes and positions, at their consolidated rows
    node_sources: list[str]  # parallel to plan.nodes: the workbook each node came from
    position_sources: list[str]  # parallel to plan.positions
    row_map: dict[tuple[str, str, int], int] = field(default_factory=dict)
    # (source, contract sheet, original row) -> consolidated row (level sheets and Jabatan)

    def locate(self, finding: Finding, plans: dict[str, Plan]) -> Location | None:
        """Where a workbook's finding sits in the consolidated workbook, when it is there."""
        plan = plans.get(finding.source)
        if plan is None or not finding.location.row:
            return None
        key = _contract_sheet(plan, finding.location.sheet)
        row = self.row_map.get((finding.source, key, finding.location.row)) if key else None
        if row is None:
            return None
        info = self.plan.sheets[key]
        column = finding.location.column
        return Location(key, row, column, info.columns.get(column, 0) if column else 0)

    def report(self, findings: Iterable[Finding], plans: dict[str, Plan]) -> Report:
        """The workbooks' findings moved onto the consolidated rows (what derive_all reads)."""
        moved = []
        for finding in findings:
            location = self.locate(finding, plans)
            if location is not None:
                moved.append(Finding(finding.code, finding.severity, finding.message,
                                     finding.suggestion, location, finding.node_id,
                                     finding.level, finding.source))
        return Report(moved)


def _contract_sheet(plan: Plan, actual: str) -> str:
    for key, info in plan.sheets.items():
        if info.name == actual and (key in C.LEVEL_BY_SHEET or key == C.JABATAN):
            return key
    return ""


def merged_identity(batch: Batch) -> Identity:
    source = batch.body or next((p for p in batch.plans if p.identity.text(C.KEY_INSTANSI)),
                                batch.plans[0] if batch.plans else Plan())
    values = {key: source.identity.values.get(key) for key in C.IDENTITAS_KEYS}
    values[C.KEY_PERANGKAT_DAERAH] = None
    values[C.KEY_KODE_PD] = None
    if batch.body is None:
        values[C.KEY_PENYUSUN] = values[C.KEY_EMAIL] = None
    rows = {key: index for index, key in enumerate(C.IDENTITAS_KEYS, start=1)}
    return Identity(values=values, rows=rows)


def consolidate(batch: Batch) -> Consolidation:
    plan = Plan(source="Konsolidasi", identity=merged_identity(batch))
    plan.sheets[C.IDENTITAS] = SheetInfo(name=C.IDENTITAS)
    years = plan.years or sorted({y for p in batch.plans for y in p.years})
    if years and plan.years != years:
        years = list(range(years[0], years[-1] + 1))
    sources: list[str] = []
    row_map: dict[tuple[str, str, int], int] = {}
    for spec in C.LEVELS:
        headers = level_layout(spec, years)
        columns = {h: i for i, h in enumerate(headers, start=1)}
        plan.sheets[spec.sheet] = SheetInfo(
            name=spec.sheet, columns=columns, header_labels={h: h for h in headers},
            years=list(years), budget_years=list(years) if spec.has_budget else [],
            last_column=len(headers) - 3)
        row = 2
        for part in batch.plans:
            for node in part.nodes_on(spec.number):
                indicators = []
                for indicator in node.indicators or [Indicator(row=node.row)]:
                    row_map[(part.source, spec.sheet, indicator.row)] = row
                    indicators.append(replace(indicator, row=row))
                    row += 1
                plan.nodes.append(replace(node, sheet=spec.sheet, row=indicators[0].row,
                                          indicators=indicators))
                sources.append(part.source)
    for part in batch.plans:  # the realisation of every office: Capaian_Kinerja across them
        plan.action_plan.extend(part.action_plan)
        plan.realisation.extend(part.realisation)
    jabatan = list(C.JABATAN_HEADERS) + [SUMBER]
    plan.sheets[C.JABATAN] = SheetInfo(
        name=C.JABATAN, columns={h: i for i, h in enumerate(jabatan, start=1)},
        header_labels={h: h for h in jabatan}, last_column=len(jabatan))
    position_sources: list[str] = []
    seen: set[str] = set()
    for part in batch.plans:
        for position in part.positions:
            if position.code and position.code in seen:
                continue  # the first definition wins (body first); conflicts are BAT09
            seen.add(position.code)
            row = len(plan.positions) + 2
            row_map[(part.source, C.JABATAN, position.row)] = row
            plan.positions.append(replace(position, row=row))
            position_sources.append(part.source)
    return Consolidation(plan, sources, position_sources, row_map)


def node_offices(cons: Consolidation, batch: Batch) -> dict[int, str]:
    """id(node) of the consolidated plan -> the office it came from (its Perangkat Daerah;
    the body's Instansi; else the file's name)."""
    names = {p.source: p.identity.text(C.KEY_PERANGKAT_DAERAH)
             or p.identity.text(C.KEY_INSTANSI) or p.source for p in batch.plans}
    return {id(node): names.get(source, source)
            for node, source in zip(cons.plan.nodes, cons.node_sources)}


# --- sheets ----------------------------------------------------------------------------------
def _number(cell: Number | None, style: str = "number") -> Cell:
    if cell is None or cell.empty:
        return Cell(None, style)
    if cell.value is None:
        return Cell(str(cell.raw), "text")
    value = cell.value
    return Cell(int(value) if float(value).is_integer() else value, style)


_EMPTY = Cell(None, "text")  # frozen: one instance serves every empty cell


def _text(value: str) -> Cell:
    return Cell(value, "text") if value else _EMPTY


def level_statuses(cons: Consolidation, report: Report) -> dict[tuple[str, int], RowStatus]:
    """Status and notes of every consolidated level row, for :func:`level_sheet`."""
    return {(s.sheet, s.row): s for s in row_statuses(cons.plan, report)}


def level_sheet(cons: Consolidation, spec: C.LevelSpec, report: Report,
                statuses: dict[tuple[str, int], RowStatus] | None = None) -> SheetSpec:
    """``statuses``: :func:`level_statuses`, when the caller builds several level sheets
    (computed here otherwise: every level's rows, each time)."""
    info = cons.plan.sheets[spec.sheet]
    headers = list(info.columns)
    if statuses is None:
        statuses = level_statuses(cons, report)
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in headers]]
    for node, source in zip(cons.plan.nodes, cons.node_sources):
        if node.level != spec.number:
            continue
        for index, indicator in enumerate(node.indicators):
            first = index == 0
            values: dict[str, Cell] = {
                C.INDIKATOR: _text(indicator.name),
                C.SATUAN: _text(indicator.unit),
                C.ARAH: _text(indicator.arah),
                C.BASELINE: _number(indicator.baseline),
                C.ASPEK: _text(indicator.aspek),
                SUMBER: _text(source),
            }
            for year in info.years:
                values[C.target_header(year)] = _number(indicator.targets.get(year))
            for year in info.budget_years:
                values[C.budget_header(year)] = _number(indicator.budgets.get(year), "money")
            if first:
                values.update({
                    C.ID: _text(node.id),
                    C.ID_INDUK: _text(node.parent_id),
                    C.SASARAN: _text(node.sasaran),
                    C.JENIS_CASCADING: _text(node.jenis_cascading),
                    C.PEMILIK: _text(node.owner),
                    C.KOLABORATOR: _text(", ".join(node.collaborators)),
                    C.KETERANGAN: _text(node.keterangan),
                })
                if spec.code_header:
                    values[spec.code_header] = _text(node.code)
                    values[spec.name_header or ""] = _text(node.code_name)
            status = statuses.get((spec.sheet, indicator.row))
            if status is not None:
                values[C.STATUS] = Cell(status.status, _STATUS_STYLE.get(status.status, "text"))
                values[C.CATATAN] = _text(status.notes)
            rows.append([values.get(h, _EMPTY) for h in headers])
    return _table(spec.sheet, headers, rows, {1: 12, 2: 12})


def jabatan_sheet(cons: Consolidation) -> SheetSpec:
    headers = list(cons.plan.sheets[C.JABATAN].columns)
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in headers]]
    for position, source in zip(cons.plan.positions, cons.position_sources):
        rows.append([_text(v) for v in (position.code, position.name, position.kind,
                                        position.unit, position.superior, position.nip,
                                        position.holder, source)])
    return _table(C.JABATAN, headers, rows, {1: 14, 2: 36, 3: 16, 4: 28, 5: 14, 6: 22, 7: 28})


def identitas_sheet(cons: Consolidation, batch: Batch) -> SheetSpec:
    rows: list[list[Cell | None]] = []
    for key in C.IDENTITAS_KEYS:
        value = cons.plan.identity.values.get(key)
        rows.append([Cell(key, "bold"), Cell(value if isinstance(value, (int, float)) else
                                             (str(value) if value is not None else None),
                                             "plain")])
    rows.append([Cell("Workbook instansi", "bold"), Cell(batch.body.source if batch.body
                                                          else "(tidak ada)", "plain")])
    rows.append([Cell("Jumlah workbook", "bold"), Cell(len(batch.plans), "plain")])
    return SheetSpec(name=C.IDENTITAS, rows=rows, widths={1: 28, 2: 60}, protect=True)


def laporan_sheet(findings: Sequence[Finding], cons: Consolidation,
                  plans: dict[str, Plan]) -> SheetSpec:
    """Every finding of the batch; each row links to the consolidated cell when it has one."""
    headers = (BERKAS, *LAPORAN_HEADERS)
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in headers]]
    for f in findings:
        where = cons.locate(f, plans)
        link = ""
        if where is not None:
            link = cell_link(where.sheet, where.row, where.column_index)
        rows.append([
            Cell(f.source or BATCH_SOURCE, "text"),
            Cell(f.code, "link" if link else "text", link=link),
            Cell(f.severity.value, _SEVERITY_STYLE[f.severity]),
            Cell(f.location.sheet or None, "text"),
            Cell(f.location.row or None, "number"),
            Cell(f.location.column or None, "text"),
            Cell(f.node_id or None, "text"),
            Cell(f.message, "text"),
            Cell(f.suggestion, "text"),
        ])
    spec = _table(C.LAPORAN, list(headers), rows,
                  {1: 30, 2: 9, 3: 12, 4: 24, 5: 7, 6: 18, 7: 14, 8: 60, 9: 55})
    spec.tab_color = "C00000" if any(f.severity is Severity.GALAT for f in findings) else "548235"
    return spec


@dataclass(frozen=True)
class RekapRow:
    """One submitted file in the `Rekap` sheet."""

    file: str  # display name
    office: str = ""  # Perangkat Daerah (or the Instansi for the body-level workbook)
    code: str = ""  # Kode Perangkat Daerah
    sender: str = ""
    counts: tuple[int, int, int] = (0, 0, 0)  # Galat, Peringatan, Info
    status: str = DITERIMA
    reason: str = ""
    changes: str = ""  # what changed since the office's previous round ("" in the first)
    resolved: int | None = None  # findings of the previous round now resolved
    # (indicators with realisation, indicators of the tree in `Realisasi`); None: no sheet
    reported: tuple[int, int] | None = None


def rekap_row(file: str, plan: Plan | None, findings: Sequence[Finding], sender: str = "",
              problem: str = "", note: str = "") -> RekapRow:
    counts = Counter(f.severity for f in findings)
    if plan is None:
        return RekapRow(file, sender=sender, status=TIDAK_TERBACA, reason=problem)
    office = plan.identity.text(C.KEY_PERANGKAT_DAERAH)
    if not office and is_body(plan):
        office = f"{plan.identity.text(C.KEY_INSTANSI) or 'Instansi'} (tingkat instansi)"
    galat = counts[Severity.GALAT]
    status = PERLU_PERBAIKAN if galat else DITERIMA
    reason = note
    if galat:
        first = next(f for f in findings if f.severity is Severity.GALAT)
        reason = f"[{first.code}] {first.message}" + (f" {note}" if note else "")
    reported = reported_share(plan) if C.REALISASI in plan.filled_sheets else None
    return RekapRow(file, office, office_code(plan), sender,
                    (galat, counts[Severity.PERINGATAN], counts[Severity.INFO]), status, reason,
                    reported=reported)


def _reported(row: RekapRow) -> list[Cell | None]:
    """`Indikator Terlapor` ("12 dari 40") and its share; empty without a `Realisasi` sheet."""
    if row.reported is None:
        return [Cell(None, "text"), Cell(None, "percent")]
    done, whole = row.reported
    return [Cell(f"{done} dari {whole}", "text_center"),
            Cell(round(done / whole, 4) if whole else None, "percent")]


def _office(row: RekapRow) -> Cell:
    """The office, which also labels the row's bar in the chart; a file that could not be
    read names none, so its bar says so."""
    if not row.office and row.status == TIDAK_TERBACA:
        return Cell("(tidak terbaca)", "text")
    return _text(row.office)


def rekap_sheet(rows: Sequence[RekapRow], general: Sequence[Finding]) -> SheetSpec:
    """One row per submitted file, totals, then the findings about the batch as a whole."""
    table: list[list[Cell | None]] = [[Cell(h, "header") for h in REKAP_HEADERS]]
    for number, row in enumerate(rows, start=1):
        table.append([
            Cell(number, "number"), _office(row), _text(row.code), _text(row.file),
            _text(row.sender), Cell(row.counts[0], "number"), Cell(row.counts[1], "number"),
            Cell(row.counts[2], "number"), Cell(row.status, _REKAP_STYLE[row.status]),
            _text(row.reason), _text(row.changes), Cell(row.resolved, "number"),
            *_reported(row),
        ])
    totals = [sum(r.counts[i] for r in rows) for i in range(3)]
    table.append([None, Cell("Jumlah", "bold"), None, Cell(f"{len(rows)} berkas", "bold"), None,
                  *(Cell(t, "total") for t in totals),
                  Cell(f"{sum(r.status == DITERIMA for r in rows)} diterima", "bold"), None])
    if general:
        table.append([])
        table.append([None, Cell("Temuan tingkat batch", "subtitle")])
        for f in general:
            table.append([None, Cell(f.code, "text"), Cell(f.severity.value,
                                                             _SEVERITY_STYLE[f.severity]),
                          Cell(f.message, "text"), None, None, None, None, None,
                          Cell(f.suggestion, "text")])
    sheet = SheetSpec(
        name=REKAP, rows=table,
        widths={1: 5, 2: 32, 3: 12, 4: 36, 5: 30, 6: 8, 7: 11, 8: 7, 9: 16, 10: 70, 11: 30,
                12: 10, 13: 12, 14: 12},
        freeze="A2", autofilter=f"A1:{column_letter(len(REKAP_HEADERS))}{len(rows) + 1}",
        protect=True,
        print=PrintSetup(title_rows="1:1"),
        tab_color="C00000" if totals[0] or any(r.status == TIDAK_TERBACA for r in rows)
        else "548235",
    )
    fit_page(sheet, title_columns=2)
    fit_heights(sheet)
    return sheet


def _table(name: str, headers: list[str], rows: list[list[Cell | None]],
           widths: dict[int, float]) -> SheetSpec:
    last = f"{column_letter(len(headers))}{len(rows)}"
    sheet = SheetSpec(name=name, rows=rows, widths={i: widths.get(i, 16)
                                                    for i in range(1, len(headers) + 1)},
                      freeze="A2", autofilter=f"A1:{last}", protect=True,
                      print=PrintSetup(title_rows="1:1"))
    fit_page(sheet, title_columns=1)
    fit_heights(sheet)
    return sheet
