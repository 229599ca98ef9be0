"""Reading `Rencana_Aksi` and `Realisasi` back: typed rows keyed by ID and indicator."""

from __future__ import annotations

import pytest

from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    KUMULATIF, NILAI_AKHIR, RATA_RATA, accumulation_of, annual, indicator_key, row_key,
)
from pohon_xl.model.parse import parse_workbook
from pohon_xl.model.raw import RawSheet


@pytest.mark.parametrize("typed, meant", [
    ("Kumulatif", KUMULATIF), (" akumulatif ", KUMULATIF), ("NILAI AKHIR", NILAI_AKHIR),
    ("nilai terakhir", NILAI_AKHIR), ("Rata-rata", RATA_RATA), ("rata rata", RATA_RATA),
    ("", None), ("sesuai target", None),
])
def test_accumulation_as_typed(typed, meant):
    assert accumulation_of(typed) == meant


@pytest.mark.parametrize("quarters, accumulation, year", [
    ([10, 20, 30, 40], KUMULATIF, 100),
    ([10, None, 30, None], KUMULATIF, 40),
    ([55, 60, 70, 80], NILAI_AKHIR, 80),
    ([55, 60, 70, None], NILAI_AKHIR, 70),
    ([3, 4, 5, 4], RATA_RATA, 4),
    ([None, None, None, None], KUMULATIF, None),
])
def test_annual(quarters, accumulation, year):
    assert annual(quarters, accumulation) == year


def test_rows_read_with_typed_numbers_and_own_columns():
    rencana = RawSheet(C.RENCANA_AKSI, [
        ["ID", "Indikator", "Cara Akumulasi", "Target TW I", "Target TW II", "Target TW III",
         "Target TW IV", "Anggaran TW I", "Catatan Bidang"],
        ["L4-01", "Persentase  simpang  tertangani", "nilai akhir", "25", "50%", "75", 100,
         "Rp 1.250.000", "cek lapangan"],
        [None, None, None, None, None, None, None, None, None],
        ["L5-01", "Jumlah rambu", "Kumulatif", "sepuluh", None, None, None, None, None],
    ])
    realisasi = RawSheet(C.REALISASI, [
        ["id", "INDIKATOR", "Realisasi TW I", "Realisasi Anggaran TW I", "Bukti Dukung",
         "Realisasi Tahun Lalu"],
        ["L4-01", "Persentase simpang tertangani", "20,5", "1.000.000", "https://contoh/bukti",
         42],
    ])
    plan = parse_workbook({C.RENCANA_AKSI: rencana, C.REALISASI: realisasi})
    first, second = plan.action_plan
    assert (first.row, first.id, first.accumulation) == (2, "L4-01", "nilai akhir")
    assert row_key(first) == indicator_key("L4-01", "persentase simpang tertangani")
    assert [n.value for n in first.targets] == [25, 50, 75, 100]
    assert first.budgets[0].value == 1_250_000 and first.budgets[1].empty
    assert first.cells["Catatan Bidang"] == "cek lapangan"
    assert second.row == 4 and second.targets[0].invalid and second.targets[0].raw == "sepuluh"
    (done,) = plan.realisation
    assert done.realisations[0].value == 20.5 and done.budget_realisations[0].value == 1e6
    assert done.evidence == "https://contoh/bukti" and done.previous_year.value == 42
    assert plan.filled_sheets[C.REALISASI].columns[C.ID] == 1


def test_absent_sheets_leave_the_plan_without_rows():
    plan = parse_workbook({})
    assert plan.action_plan == [] and plan.realisation == [] and plan.filled_sheets == {}
