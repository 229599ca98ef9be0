"""Workbooks with `Rencana_Aksi` and `Realisasi` filled with made-up but plausible figures:
the Dishub example's indicators of L2–L6, each reaching its target by a factor of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    ANGGARAN_TW, BUKTI_DUKUNG, CARA_AKUMULASI, REALISASI_ANGGARAN_TW, REALISASI_TAHUN_LALU,
    REALISASI_TW, TARGET_TW, TINGKAT,
)
from pohon_xl.pipeline import read_run
from pohon_xl.rules.values import unit_is_additive

ROOT = Path(__file__).resolve().parents[2]
DISHUB = ROOT / "examples" / "Pohon_Kinerja_OPD_Dishub.xlsx"
# How far each indicator gets (realisation / target, on its good side), in turn.
FACTORS = (1.02, 0.95, 0.88, 1.0, 0.7, 1.1, 0.6, 0.97)
SHARES = (0.25, 0.25, 0.25, 0.25)  # a cumulative year's targets by quarter
RAMP = (0.7, 0.8, 0.9, 1.0)  # a last-value indicator's quarterly targets, of the year's
SPENT = 0.9  # budget realisation per quarter, of a quarter of the year's budget
WIDTHS = {C.ID: 9, TINGKAT: 9, C.INDIKATOR: 40, BUKTI_DUKUNG: 34}


def rows(source: Path = DISHUB, skip: int = 0) -> tuple[list[list[object]], list[list[object]]]:
    """(Rencana_Aksi, Realisasi) rows for every indicator of the source's L2–L6; the last
    ``skip`` indicators get a row without realisation (not reported yet)."""
    plan = read_run(source).plan
    year = plan.pk_year or 0
    plans = [[C.ID, TINGKAT, C.INDIKATOR, CARA_AKUMULASI, *TARGET_TW, *ANGGARAN_TW]]
    done = [[C.ID, TINGKAT, C.INDIKATOR, *REALISASI_TW, *REALISASI_ANGGARAN_TW,
             REALISASI_TAHUN_LALU, BUKTI_DUKUNG]]
    indicators = [(n, i) for n in plan.nodes if n.level >= 2 for i in n.indicators]
    for number, (node, indicator) in enumerate(indicators):
        target = indicator.targets[year].value
        assert target is not None
        additive = unit_is_additive(indicator.unit)
        way = "Kumulatif" if additive else "Nilai Akhir"
        quarters = [target * s for s in (SHARES if additive else RAMP)]
        factor = FACTORS[number % len(FACTORS)]
        turun = indicator.arah == C.ARAH_TURUN
        reached = [q * (2 - factor) if turun else q * factor for q in quarters]
        first = indicator is node.indicators[0] and node.level == C.SUBKEGIATAN_LEVEL
        budget = node.budget(year) / 4 if first else None
        plans.append([node.id, f"L{node.level}", indicator.name, way,
                      *(round(q, 4) for q in quarters), *([budget] * 4)])
        last = number >= len(indicators) - skip
        before = indicator.targets.get(year - 1)
        previous = before.value * 0.98 if before is not None and before.value else None
        done.append([node.id, f"L{node.level}", indicator.name,
                     *([None] * 4 if last else [round(r, 4) for r in reached]),
                     *([budget * SPENT if budget else None] * 4), previous,
                     "" if last else f"https://bukti.contoh/{node.id}"])
    return plans, done


def with_realisation(target: Path, source: Path = DISHUB, skip: int = 0,
                     edit=None) -> Path:
    """A copy of ``source`` with both sheets filled (``edit(plans, done)`` may change the
    rows first)."""
    shutil.copy(source, target)
    plans, done = rows(source, skip)
    if edit is not None:
        edit(plans, done)
    book = openpyxl.load_workbook(target)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, table in ((C.RENCANA_AKSI, plans), (C.REALISASI, done)):
        sheet = book.create_sheet(name)
        for line in table:
            sheet.append(line)
        # laid out as people would, so that the sheets print legibly too
        for index, header in enumerate(table[0], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 14)
        for row in sheet.iter_rows():
            lines = 1
            for cell in row:
                cell.alignment = wrap
                width = WIDTHS.get(table[0][cell.column - 1], 14) - 3
                lines = max(lines, -(-len(str(cell.value or "")) // int(width)))
            sheet.row_dimensions[row[0].row].height = 15 * lines + 3
    book.save(target)
    return target
