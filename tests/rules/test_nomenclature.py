"""The nomenclature list: code normal form, CSV formats, and the official-list rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pohon_xl.core.validate import validate
from pohon_xl.errors import InputError
from pohon_xl.model.parse import parse_workbook
from pohon_xl.nomenclature import (
    is_under,
    is_well_formed,
    load_nomenclature,
    nomenclature_from_rows,
    normalise_code,
)
from pohon_xl.rules.base import all_rules
from pohon_xl.rules.catalog import render_text

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"
REFERENCE_FILES = (
    "nomenklatur_kepmendagri050-3708_2020_simcan.csv",
    "nomenklatur_2023ish_AldiAlfatih_BAPPEDA_seeders.csv",
)
NOM_CODES = {"NOM06", "NOM07"}


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("2.15.02", "2.15.02"),
        ("2.15.02.02.06", "2.15.02.2.06"),
        ("2.15.02.2.06", "2.15.02.2.06"),
        (" 2.15.02.02.06.17 ", "2.15.02.2.06.0017"),
        ("2.15.02.2.06.0017", "2.15.02.2.06.0017"),
        ("x.xx.01", "X.XX.01"),
        ("2.15.02.", "2.15.02"),
        (None, ""),
    ],
)
def test_normalise_code(typed, normal):
    assert normalise_code(typed) == normal


@pytest.mark.parametrize(
    ("code", "depth", "ok"),
    [
        ("2.15.02", 3, True),
        ("X.XX.01", 3, True),
        ("2.15.2", 3, False),
        ("2.15.02.2.06", 3, False),
        ("2.15.02.02.06", 5, True),
        ("2.15.02.2.6", 5, False),
        ("2.15.02.2.06.0017", 6, True),
        ("2.15.02.02.06.17", 6, True),
        ("2.15.02.2.06.017", 6, False),
        ("Program LLAJ", 3, False),
    ],
)
def test_is_well_formed(code, depth, ok):
    assert is_well_formed(code, depth) is ok


def test_is_under_ignores_spelling_variants():
    assert is_under("2.15.02.02.06", "2.15.02")
    assert is_under("2.15.02.2.06.0017", "2.15.02.02.06")
    assert not is_under("2.15.020.2.06", "2.15.02")
    assert not is_under("2.15.03.2.01", "2.15.02")


def test_load_decree_style_csv_semicolons():
    nomenclature = load_nomenclature(FIXTURES / "nomenklatur_kepmendagri_kecil.csv")
    assert nomenclature["2.15.02"].startswith("PROGRAM PENYELENGGARAAN LALU LINTAS")
    assert normalise_code("2.15.02.02.06") in nomenclature
    assert normalise_code("2.15.02.2.06.02") in nomenclature  # 2-digit -> 0002
    # Both names of X.XX.01 (province and kab/kota) are accepted.
    penunjang = "program penunjang urusan pemerintahan daerah"
    assert nomenclature.accepts_name("X.XX.01", f"{penunjang} kabupaten/kota")
    assert nomenclature.accepts_name("X.XX.01", f"{penunjang.upper()} PROVINSI")
    assert not nomenclature.accepts_name("X.XX.01", "Program Lain")


def test_load_regional_style_csv():
    nomenclature = load_nomenclature(FIXTURES / "nomenklatur_daerah_kecil.csv")
    assert set(nomenclature) == {
        "2.15.02", "2.15.02.2.06", "2.15.02.2.06.0017", "2.15.02.2.06.0015"
    }


def test_rows_without_header_and_with_sheet_values():
    rows = [["2.15.02", "PROGRAM LLAJ"], ["2.15.02.2.06", "Kegiatan"], [None, None]]
    assert dict(nomenclature_from_rows(rows)) == {
        "2.15.02": "PROGRAM LLAJ",
        "2.15.02.2.06": "Kegiatan",
    }
    with_header = [["Kode", "Uraian"], ["2.15.02", "PROGRAM LLAJ"]]
    assert dict(nomenclature_from_rows(with_header)) == {"2.15.02": "PROGRAM LLAJ"}


def test_a_file_without_codes_is_refused(tmp_path):
    path = tmp_path / "bukan_nomenklatur.csv"
    path.write_text("nama;alamat\nBudi;Jl. Merdeka\n", encoding="utf-8")
    with pytest.raises(InputError, match="tidak ada kode nomenklatur"):
        load_nomenclature(path)


def test_catalogue_as_text_lists_every_rule():
    text = render_text()
    for rule in all_rules():
        assert f"{rule.code}  {rule.severity.value}" in text


def _with_code(code: str) -> dict:
    return {"sheets": {"L5_Sasaran_Subkegiatan": {"set": {2: {"Kode Subkegiatan": code}}}}}


def _nomenclature_findings(build_workbook, nomenclature, case=None):
    report, _ = validate(parse_workbook(build_workbook(case), "uji.xlsx"), nomenclature)
    return [f for f in report.flatten() if f[0] in NOM_CODES]


def test_rules_with_fixture_list(build_workbook):
    nomenclature = load_nomenclature(FIXTURES / "nomenklatur_daerah_kecil.csv")
    assert _nomenclature_findings(build_workbook, nomenclature) == []
    case = _with_code("2.15.02.2.06.0099")
    assert _nomenclature_findings(build_workbook, nomenclature, case) == [
        ("NOM06", "L5_Sasaran_Subkegiatan", 2)
    ]


def test_rules_without_list_are_silent(build_workbook):
    case = _with_code("9.99.99.2.99.0099")
    assert _nomenclature_findings(build_workbook, None, case) == []


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference tidak tersedia")
@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_reference_lists(name, build_workbook):
    nomenclature = load_nomenclature(REFERENCE / name)
    assert len(nomenclature) > 2000
    assert nomenclature["2.15.02"] == (
        "PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)"
    )
    assert normalise_code("2.15.02.02.06") in nomenclature
    assert all(code == normalise_code(code) for code in nomenclature)
    findings = _nomenclature_findings(build_workbook, nomenclature)
    assert ("NOM06", "L3_Sasaran_Program", 2) not in findings
    assert ("NOM06", "L4_Sasaran_Kegiatan", 2) not in findings
    if "2023" in name:  # the 4-digit list holds the base plan's sub-activity too
        assert findings == []


CODES = [
    "2.15.02", "2.15.02.2.06", "2.15.02.02.06", "2.15.02.2.06.0017", "2.15.02.2.06.17",
    "X.XX.01", "x.xx.01", " 2.15.02 ", "2.15.02.", ".2.15.02", "2.15.2.6", "2.15.02\n",
    "2.15.02.2.06.0017.1", "2.15.02.2.06.017", "2. 15.02", "", "abc", "٢.15.02",
    "2.15.02.12.06", "2.15.02.2.06.00017",
]


@pytest.mark.parametrize("code", CODES)
def test_rules_shortcuts_agree_with_the_nomenclature_module(code):
    from pohon_xl.rules import nomenclature as rules

    assert rules._normal(code) == normalise_code(code)
    for depth in (3, 5, 6):
        assert rules._well_formed(code, depth) == is_well_formed(code, depth)
    for parent in ("2.15.02", "2.15.02.2.06", "2.15.02.02.06", "2.15.3", ""):
        assert rules._under(code, parent) == is_under(code, parent)
