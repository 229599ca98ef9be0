"""Real published figures (public LKj/LKjIP of a province, a kabupaten and a kota; see
docs/capaian.md): our achievement equals the formula computed here, and — where the document
prints its own capaian — the document's figure to its two decimals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pohon_xl.core import capaian as K
from pohon_xl.model.numbers import parse_number

ROWS = list(csv.DictReader(
    (Path(__file__).parent / "data" / "lkjip_publik.csv").open(encoding="utf-8"),
    delimiter=";"))


def test_the_set_has_both_directions():
    assert len(ROWS) >= 8
    assert {row["arah"] for row in ROWS} == {"Naik", "Turun"}
    assert all(row["alamat"].startswith("https://") for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["indikator"][:40])
def test_achievement_equals_the_formula(row):
    target, done = parse_number(row["target"]), parse_number(row["realisasi"])
    assert target is not None and done is not None
    expected = ((2 * target - done) / target if row["arah"] == "Turun" else done / target) * 100
    ours = K.achievement(K.Target(target, target), done, K.descending(row["arah"]))
    assert ours == pytest.approx(expected)
    printed = parse_number(row["capaian_dokumen"])
    if printed is not None:  # the document's own figure, rounded to two decimals
        assert round(ours, 2) == pytest.approx(printed, abs=0.006)
