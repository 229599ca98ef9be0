"""The batch: the consolidated workbook carries `Capaian_Kinerja` across offices (a first
column `Perangkat Daerah`), and `Rekap` the share of indicators each office reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.batch.run import run_batch
from pohon_xl.model import contract as C
from tests.capaian.builders import DISHUB, with_realisation

INBOX = Path(__file__).resolve().parents[2] / "examples" / "kotak_masuk"
NOT_YET = 5  # Dishub's last indicators left without realisation


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    inbox = folder / "masuk"
    shutil.copytree(INBOX, inbox)
    with_realisation(inbox / DISHUB.name, skip=NOT_YET)
    result = run_batch(inbox, folder / "hasil", jobs=1)
    assert result.consolidated is not None
    return openpyxl.load_workbook(result.consolidated)


def _table(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_consolidated_capaian_names_the_office(consolidated):
    rows = [r for r in _table(consolidated, C.CAPAIAN_KINERJA) if r[C.ID]]
    assert rows and list(rows[0])[0] == "Perangkat Daerah"
    assert {r["Perangkat Daerah"] for r in rows} == {"Dinas Perhubungan"}
    reported = [r for r in rows if r["Realisasi 2026"] is not None]
    assert len(rows) - len(reported) == NOT_YET
    for row in reported:
        turun = row[C.ARAH] == "Turun"
        target, done = row["Target 2026"], row["Realisasi 2026"]
        expected = ((2 * target - done) / target if turun else done / target) * 100
        assert row["Capaian (%)"] == pytest.approx(round(expected, 2))
    assert C.LKJIP in consolidated.sheetnames


def test_rekap_share_of_indicators_reported(consolidated):
    rows = {r["Perangkat Daerah"]: r for r in _table(consolidated, "Rekap")
            if r["Perangkat Daerah"]}
    dishub = rows["Dinas Perhubungan"]
    done, _, whole = dishub["Indikator Terlapor"].split()
    assert int(whole) - int(done) == NOT_YET
    assert dishub["Persentase Terlapor"] == pytest.approx(round(int(done) / int(whole), 4))
    assert all(r["Indikator Terlapor"] is None for name, r in rows.items()
               if name not in ("Dinas Perhubungan", "Jumlah"))
