"""Next year's workbook from this year's (``pohon-xl tahun-baru``).

The tree, the owners and the targets stay; ``Tahun PK`` moves to the new year; what the last
run wrote (`Status`/`Catatan Validasi`, marks, `Laporan_Validasi`, the derived sheets) is
cleared, since none of it is true for the new year until it is checked and derived again;
and a `Tinjau_Tahun_Baru` sheet lists what the planner must look at first. With
``new_period`` the whole plan moves to the next five-year period: the years of the
`Target`/`Anggaran` columns shift, each indicator's last target becomes its baseline, and the
new period's targets and budgets are left for the planner to fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pohon_xl.core.annotate import status_columns
from pohon_xl.core.derive.common import table_sheet
from pohon_xl.errors import InputError
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import Cell, CellValue, SheetSpec, WorkbookEdits

REVIEW = "Tinjau_Tahun_Baru"
REVIEW_HEADERS = ["No", "Sheet", "ID", "Yang perlu ditinjau"]


@dataclass
class Rollover:
    edits: WorkbookEdits
    review: list[tuple[str, str, str]] = field(default_factory=list)  # sheet, ID, what
    start: int = 0
    end: int = 0
    pk_year: int = 0


def rollover(plan: Plan, present: list[str], pk_year: int | None = None, *,
             new_period: bool = False) -> Rollover:
    """The edits that turn ``plan`` (its workbook has the sheets ``present``) into next
    year's workbook. Raises InputError when the years do not allow it."""
    start, end, current = plan.start_year, plan.end_year, plan.pk_year
    if start is None or end is None:
        raise InputError("Tahun Awal dan Tahun Akhir di sheet Identitas harus diisi dulu.")
    length = end - start + 1
    new_start, new_end = (end + 1, end + length) if new_period else (start, end)
    if pk_year is None:
        pk_year = new_start if new_period else (current + 1 if current else start)
    if not new_start <= pk_year <= new_end:
        raise InputError(f"Tahun PK {pk_year} di luar periode {new_start}–{new_end}"
                         + ("" if new_period else "; pakai --periode-baru untuk periode "
                            "berikutnya") + ".")
    edits = WorkbookEdits(status_columns=status_columns(plan))
    identitas = _sheet_name(plan, C.IDENTITAS)
    rows = plan.identity.rows
    if C.KEY_TAHUN_PK not in rows:
        raise InputError("Sheet Identitas tidak memuat baris Tahun PK.")
    edits.values.append(CellValue(identitas, rows[C.KEY_TAHUN_PK], 2, pk_year))
    result = Rollover(edits, start=new_start, end=new_end, pk_year=pk_year)
    if new_period:
        for key, year in ((C.KEY_TAHUN_AWAL, new_start), (C.KEY_TAHUN_AKHIR, new_end)):
            if key in rows:
                edits.values.append(CellValue(identitas, rows[key], 2, year))
        _shift_period(plan, edits, new_start - start)
    _cleared_sheets(plan, present, edits, pk_year)
    result.review = _review(plan, pk_year, new_period)
    edits.sheets.append(review_sheet(result))
    return result


def _shift_period(plan: Plan, edits: WorkbookEdits, shift: int) -> None:
    """Year headers move by ``shift``; the last target becomes the baseline; targets and
    budgets of the new period are emptied."""
    for spec in C.LEVELS:
        info = plan.sheets.get(spec.sheet)
        if info is None or not info.present:
            continue
        year_columns = [(C.target_header(y), y) for y in info.years]
        year_columns += [(C.budget_header(y), y) for y in info.budget_years]
        for header, year in year_columns:
            column = info.columns[header]
            prefix = header.rsplit(" ", 1)[0]
            edits.values.append(CellValue(info.name, 1, column, f"{prefix} {year + shift}"))
        baseline = info.columns.get(C.BASELINE)
        last = max(info.years, default=None)
        for node in plan.nodes:
            if node.sheet != info.name:
                continue
            for indicator in node.indicators:
                if baseline and last is not None:
                    target = indicator.targets.get(last)
                    value = target.value if target is not None else None
                    if value is not None:
                        number = int(value) if float(value).is_integer() else value
                        edits.values.append(CellValue(info.name, indicator.row, baseline, number))
                for header, _ in year_columns:
                    edits.values.append(CellValue(info.name, indicator.row,
                                                  info.columns[header], None))


def _cleared_sheets(plan: Plan, present: list[str], edits: WorkbookEdits, year: int) -> None:
    """Every sheet a run wrote is emptied but for one line on what to do (the derived sheets'
    names are the registry's; `Laporan_Validasi` and `Perubahan` too)."""
    from pohon_xl.core.compare import PERUBAHAN
    from pohon_xl.core.derive.registry import DERIVED_SHEETS

    # Rencana_Aksi and Realisasi plan and measure one year: the new year's are generated
    # afresh by Turunkan (last year's stay in last year's file).
    written = {name.casefold() for name in (C.LAPORAN, PERUBAHAN, *DERIVED_SHEETS,
                                            *C.FILLED_SHEETS)}
    for name in present:
        if name.casefold() in written:
            edits.status_columns.pop(name, None)
            edits.sheets.append(SheetSpec(name, rows=[[Cell(
                f"Dikosongkan untuk Tahun PK {year}: klik Validasi lalu Turunkan (atau "
                "jalankan pohon-xl turunkan) untuk mengisinya lagi.", "plain")]],
                widths={1: 100.0}))


def _review(plan: Plan, year: int, new_period: bool) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    target = C.target_header(year)
    for node in plan.nodes:
        if new_period:
            if node.level < C.RHK_LEVEL:
                found.append((node.sheet, node.id, "Isi target periode baru (baseline = "
                              "target tahun terakhir periode lalu) dan tinjau sasarannya."))
            continue
        empty = [i for i in node.indicators if i.targets.get(year) is None
                 or i.targets[year].empty]
        if node.level == C.RHK_LEVEL:
            found.append((node.sheet, node.id, f"RHK tahun {year}: tinjau rencana hasil kerja "
                          f"pegawai ini dan isi {target}." if empty else
                          f"RHK tahun {year}: tinjau apakah masih sesuai."))
        elif empty:
            found.append((node.sheet, node.id, f"{target} kosong: isi target tahun ini."))
        if node.level == C.SUBKEGIATAN_LEVEL and not node.budget(year):
            found.append((node.sheet, node.id, f"{C.budget_header(year)} kosong: isi pagu "
                          "subkegiatan tahun ini."))
    jabatan = _sheet_name(plan, C.JABATAN)
    found.append((jabatan, "", "Periksa pemangku jabatan (NIP dan nama) untuk tahun "
                  f"{year}: mutasi dan pensiun mengubah pihak pertama dan kedua PK."))
    return found


def review_sheet(result: Rollover) -> SheetSpec:
    body: list[list[Cell | None]] = [
        [Cell(number, "number"), Cell(sheet), Cell(node_id or None), Cell(what)]
        for number, (sheet, node_id, what) in enumerate(result.review, start=1)]
    return table_sheet(REVIEW, REVIEW_HEADERS, body, [5, 24, 14, 80])


def _sheet_name(plan: Plan, contract_name: str) -> str:
    info = plan.sheets.get(contract_name)
    return info.name if info and info.present else contract_name
