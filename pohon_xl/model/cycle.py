"""The year after the plan: the sheets people fill each quarter (``Rencana_Aksi``, ``Realisasi``).

``turunkan`` generates both sheets (a row per indicator of the Tahun PK) and people type into
them: quarterly targets and budgets, then quarterly realisation and its evidence. This module
reads what they typed back into typed rows, keyed by node ``ID`` and indicator, and says how an
indicator's quarters add up to its year (:func:`annual`) — the one place the rules (quarterly
targets against the annual target) and the achievement figures (``Capaian_Kinerja``) ask it.

Every cell of a row is also kept by its header as typed (``cells``), so a re-run that
rebuilds the sheet carries people's own columns along and never loses a typed cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from pohon_xl.model import contract as C
from pohon_xl.model.plan import (
    ActionPlanRow, FilledRow, FilledSheet, Plan, RealisationRow, number_of, text,
)
from pohon_xl.model.raw import RawSheet, find_sheet

__all__ = ["ActionPlanRow", "FilledRow", "FilledSheet", "RealisationRow"]

# How an indicator's quarterly values make its year, the three ways SIMCAN and the e-SAKIP
# tools record it: summed (a count of events), the last quarter's value (a rate or a state at
# the end of the year), or the mean of the quarters (an index measured each quarter).
KUMULATIF = "Kumulatif"
NILAI_AKHIR = "Nilai Akhir"
RATA_RATA = "Rata-rata"
ACCUMULATION_VALUES = (KUMULATIF, NILAI_AKHIR, RATA_RATA)


def accumulation_of(typed: str) -> str | None:
    """The contract's value of a `Cara Akumulasi` cell as typed (case, spaces, hyphen and the
    common variants aside), or None when it is none of them."""
    key = "".join(ch for ch in typed.casefold() if ch.isalnum())
    return _ACCUMULATION_KEYS.get(key)


_ACCUMULATION_KEYS = {
    "kumulatif": KUMULATIF, "akumulatif": KUMULATIF, "akumulasi": KUMULATIF,
    "nilaiakhir": NILAI_AKHIR, "akhir": NILAI_AKHIR, "nilaiterakhir": NILAI_AKHIR,
    "terakhir": NILAI_AKHIR, "tetap": NILAI_AKHIR, "posisiakhir": NILAI_AKHIR,
    "ratarata": RATA_RATA, "rerata": RATA_RATA,
}


def annual(quarters: Sequence[float | None], accumulation: str) -> float | None:
    """The year's value of quarterly values (None: not filled) under an accumulation.

    ``Kumulatif`` sums the filled quarters; ``Nilai Akhir`` is the last filled quarter;
    ``Rata-rata`` the mean of the filled quarters. None when no quarter is filled."""
    filled = [value for value in quarters if value is not None]
    if not filled:
        return None
    if accumulation == NILAI_AKHIR:
        return filled[-1]
    if accumulation == RATA_RATA:
        return sum(filled) / len(filled)
    return sum(filled)


# Headers of the two sheets (a quarter is "TW I" … "TW IV": triwulan).
QUARTERS = ("TW I", "TW II", "TW III", "TW IV")
TINGKAT = "Tingkat"  # the level: "L4"
CARA_AKUMULASI = "Cara Akumulasi"
BUKTI_DUKUNG = "Bukti Dukung"
REALISASI_TAHUN_LALU = "Realisasi Tahun Lalu"
TARGET_TW = tuple(f"Target {q}" for q in QUARTERS)
ANGGARAN_TW = tuple(f"Anggaran {q}" for q in QUARTERS)
REALISASI_TW = tuple(f"Realisasi {q}" for q in QUARTERS)
REALISASI_ANGGARAN_TW = tuple(f"Realisasi Anggaran {q}" for q in QUARTERS)


def indicator_key(node_id: str, indicator: str) -> tuple[str, str]:
    """The key of a row of `Rencana_Aksi` / `Realisasi`: the node's ID and its indicator, both
    compared as headers are (case and spaces aside)."""
    return C.normalise_header(node_id), C.normalise_header(indicator)


def _header_map(sheet: RawSheet, known: Sequence[str]) -> FilledSheet:
    header_row = sheet.rows[0] if sheet.rows else []
    wanted = {C.normalise_header(h): h for h in known}
    info = FilledSheet(name=sheet.name, headers=[text(v) for v in header_row])
    for index, label in enumerate(header_row, start=1):
        header = wanted.get(C.normalise_header(label))
        if header and header not in info.columns:
            info.columns[header] = index
    for number, line in enumerate(sheet.rows, start=1):
        filled = [i for i, value in enumerate(line, start=1) if value is not None and value != ""]
        if filled:
            info.last_row, info.used_column = number, max(info.used_column, filled[-1])
    for _, _, last_row, last_column in sheet.merged:
        info.last_row = max(info.last_row, last_row)
        info.used_column = max(info.used_column, last_column)
    return info


Cell = Callable[[str], object]


def _rows(sheet: RawSheet, info: FilledSheet) -> Iterator[tuple[int, dict[str, object], Cell]]:
    """(Excel row, cells by header as typed, cell getter) of each non-empty data row."""
    for excel_row, line in enumerate(sheet.rows[1:], start=2):
        cells = {info.headers[i] or f"Kolom {i + 1}": value
                 for i, value in enumerate(line[:len(info.headers)] if info.headers else [])
                 if value is not None and value != ""}
        cells.update({f"Kolom {i + 1}": value for i, value in enumerate(line)
                      if i >= len(info.headers) and value is not None and value != ""})
        if not cells:
            continue

        def cell(header: str, line: list[object] = line) -> object:
            column = info.columns.get(header)
            return line[column - 1] if column and column - 1 < len(line) else None

        yield excel_row, cells, cell


_KEY_HEADERS = (C.ID, C.INDIKATOR, C.KETERANGAN)
ACTION_PLAN_READ = (*_KEY_HEADERS, CARA_AKUMULASI, *TARGET_TW, *ANGGARAN_TW)
REALISATION_READ = (*_KEY_HEADERS, *REALISASI_TW, *REALISASI_ANGGARAN_TW,
                    REALISASI_TAHUN_LALU, BUKTI_DUKUNG)


def parse_action_plan(sheet: RawSheet) -> tuple[FilledSheet, list[ActionPlanRow]]:
    info = _header_map(sheet, ACTION_PLAN_READ)
    rows = []
    for excel_row, cells, cell in _rows(sheet, info):
        rows.append(ActionPlanRow(
            row=excel_row, id=text(cell(C.ID)),
            indicator=text(cell(C.INDIKATOR)), keterangan=text(cell(C.KETERANGAN)),
            cells=cells, accumulation=text(cell(CARA_AKUMULASI)),
            targets=[number_of(cell(h)) for h in TARGET_TW],
            budgets=[number_of(cell(h)) for h in ANGGARAN_TW]))
    return info, rows


def parse_realisation(sheet: RawSheet) -> tuple[FilledSheet, list[RealisationRow]]:
    info = _header_map(sheet, REALISATION_READ)
    rows = []
    for excel_row, cells, cell in _rows(sheet, info):
        rows.append(RealisationRow(
            row=excel_row, id=text(cell(C.ID)),
            indicator=text(cell(C.INDIKATOR)), keterangan=text(cell(C.KETERANGAN)),
            cells=cells, realisations=[number_of(cell(h)) for h in REALISASI_TW],
            budget_realisations=[number_of(cell(h)) for h in REALISASI_ANGGARAN_TW],
            previous_year=number_of(cell(REALISASI_TAHUN_LALU)),
            evidence=text(cell(BUKTI_DUKUNG))))
    return info, rows


def parse_filled_sheets(raw: dict[str, RawSheet], plan: Plan) -> None:
    """Read `Rencana_Aksi` and `Realisasi` into ``plan`` when the workbook has them."""
    sheet = find_sheet(raw, C.RENCANA_AKSI)
    if sheet is not None:
        plan.filled_sheets[C.RENCANA_AKSI], plan.action_plan = parse_action_plan(sheet)
    sheet = find_sheet(raw, C.REALISASI)
    if sheet is not None:
        plan.filled_sheets[C.REALISASI], plan.realisation = parse_realisation(sheet)


def row_key(row: FilledRow) -> tuple[str, str]:
    return indicator_key(row.id, row.indicator)
