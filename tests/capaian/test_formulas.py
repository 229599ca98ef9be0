"""The achievement formulas: Naik, Turun, range and zero targets, categories and bands."""

from __future__ import annotations

import pytest

from pohon_xl.core import capaian as K
from pohon_xl.model.numbers import parse_range
from pohon_xl.model.plan import number_of


def point(value: float) -> K.Target:
    return K.Target(value, value)


@pytest.mark.parametrize("target, done, expected", [
    (80, 72, 90.0), (80, 88, 110.0), (50, 0, 0.0), (0.5, 0.55, 110.0)])
def test_naik_is_realisation_over_target(target, done, expected):
    assert K.achievement(point(target), done, False) == pytest.approx(done / target * 100)
    assert K.achievement(point(target), done, False) == pytest.approx(expected)


@pytest.mark.parametrize("target, done", [(32, 4.88), (10, 12), (6.1, 6.832), (20, 0), (5, 15)])
def test_turun_is_two_targets_less_realisation_over_target(target, done):
    assert K.achievement(point(target), done, True) == pytest.approx(
        (2 * target - done) / target * 100)


def test_turun_is_symmetric_with_naik_where_t_over_r_is_not():
    # missing by 10 %: 90 either way; T/R would say 90,9
    assert K.achievement(point(100), 90, False) == pytest.approx(90)
    assert K.achievement(point(100), 110, True) == pytest.approx(90)
    assert 100 / 110 * 100 == pytest.approx(90.909, abs=1e-3)


def test_negative_target_keeps_better_on_the_right_side():
    # a growth target of -2 %: -1 is better than -2 for Naik
    assert K.achievement(point(-2), -1, False) == pytest.approx(150)
    assert K.achievement(point(-2), -3, False) == pytest.approx(50)


@pytest.mark.parametrize("lower, done, expected", [
    (False, 0, 100.0), (False, 3, 100.0), (True, 0, 100.0), (True, 2, 0.0), (True, -1, 100.0)])
def test_zero_target_is_met_or_missed_without_division(lower, done, expected):
    assert K.achievement(point(0), done, lower) == expected


@pytest.mark.parametrize("typed, done, lower, expected", [
    ("70–80", 75, False, 100.0),  # inside: met
    ("70–80", 63, False, 63 / 70 * 100),  # below: against the lower bound
    ("70 - 80", 88, False, 88 / 80 * 100),  # above: against the upper bound
    ("≥ 80", 90, False, 100.0),
    ("≥ 80", 60, False, 60 / 80 * 100),
    ("≤ 5", 4, True, 100.0),
    ("≤ 5", 6, True, (2 * 5 - 6) / 5 * 100),
    ("0 s.d. 5", 7, True, (2 * 5 - 7) / 5 * 100),
    ("maks 0", 1, True, 0.0),  # a range whose nearer bound is zero
])
def test_range_targets_are_clamped_to_the_nearer_bound(typed, done, lower, expected):
    target = K.target_of(number_of(typed))
    assert target is not None and target.is_range
    assert K.achievement(target, done, lower) == pytest.approx(expected)


def test_targets_of_cells():
    assert K.target_of(number_of("1.250")) == point(1250)
    assert K.target_of(number_of("70–80")) == K.Target(70, 80)
    assert K.target_of(number_of("xxx")) is None and K.target_of(None) is None
    assert K.Target(70, 80).text() == "70–80" and K.Target(None, 5).text() == "≤ 5"
    assert K.Target(2.5, None).text() == "≥ 2,5"


@pytest.mark.parametrize("typed, bounds", [
    ("70–80", (70, 80)), ("80 - 70", (70, 80)), ("≥ 80", (80, None)), (">= 80", (80, None)),
    ("min. 80", (80, None)), ("≤ 5", (None, 5)), ("maks 5", (None, 5)),
    ("1.000 - 2.000", (1000, 2000)), ("2,5 – 3,0", (2.5, 3.0)), ("70 s/d 80", (70, 80)),
    ("70", None), ("-5", None), ("xxx", None), ("± 70 persen", None), (70, None),
])
def test_parse_range(typed, bounds):
    assert parse_range(typed) == bounds


@pytest.mark.parametrize("value, name", [
    (120, "Sangat Tinggi"), (90.01, "Sangat Tinggi"), (90, "Tinggi"), (75.5, "Tinggi"),
    (75, "Sedang"), (65, "Rendah"), (50.5, "Rendah"), (50, "Sangat Rendah"), (-10, "Sangat Rendah"),
    (None, ""),
])
def test_default_bands_are_permendagri_86_2017(value, name):
    assert K.category(value) == name


def test_bands_from_the_command_line():
    bands = K.parse_bands("95, 85,70")
    assert bands == (95, 85, 70)
    assert [K.category(v, bands) for v in (96, 90, 80, 60)] == [
        "Sangat Tinggi", "Tinggi", "Rendah", "Sangat Rendah"]
    assert K.bands_text(bands).startswith("Sangat Tinggi > 95; Tinggi > 85")
    for bad in ("90,95", "a,b", "", "90,90"):
        with pytest.raises(ValueError):
            K.parse_bands(bad)


def test_absorption_and_change():
    assert K.absorption(1_000_000, 900_000) == pytest.approx(90)
    assert K.absorption(0, 5) is None and K.absorption(100, None) is None
    assert K.change(11, 10) == pytest.approx(1) and K.change(None, 3) is None
