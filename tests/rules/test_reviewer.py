"""What a reviewer reads: the new findings name the cause, the value and the list used."""

from __future__ import annotations

from pohon_xl.core.validate import validate
from pohon_xl.model.parse import parse_workbook
from pohon_xl.nomenclature import nomenclature_from_rows


def _messages(build_workbook, case, nomenclature=None) -> dict[str, list[str]]:
    report, _ = validate(parse_workbook(build_workbook(case), "uji.xlsx"), nomenclature)
    out: dict[str, list[str]] = {}
    for finding in report.findings:
        out.setdefault(finding.code, []).append(finding.message)
    return out


def test_a_mistyped_parent_is_named_and_its_knock_on_findings_say_so(build_workbook):
    # L2-O2 for L2-02: the letter O for a zero, as planners type it.
    case = {
        "sheets": {
            "L2_Sasaran_PD": {"set": {2: {"ID": "L2-02"}}},
            "L3_Sasaran_Program": {"set": {2: {"ID Induk": "L2-O2"}}},
        }
    }
    messages = _messages(build_workbook, case)
    assert messages["TAU01"] == [
        "ID Induk 'L2-O2' tidak ditemukan pada node mana pun (maksudnya 'L2-02'?)."
    ]
    assert messages["TAU06"] == [
        "Sasaran 'SD1' tidak didukung sampai subkegiatan (L5): turunannya baru sampai L2, "
        "kemungkinan akibat ID Induk 'L2-O2' pada 'SP1' (maksudnya 'L2-02'?, lihat TAU01).",
        "Sasaran 'L2-02' tidak didukung sampai subkegiatan (L5): belum ada node turunan, "
        "kemungkinan akibat ID Induk 'L2-O2' pada 'SP1' (maksudnya 'L2-02'?, lihat TAU01).",
    ]
    assert messages["TAU07"] == [
        "Subkegiatan 'SSK1' tidak tertelusur sampai L1: rantai induk berhenti di 'SP1' (L3), "
        "akibat ID Induk 'L2-O2' yang tidak ditemukan (lihat TAU01; maksudnya 'L2-02'?)."
    ]


def test_one_typed_character_away_is_meant_but_two_candidates_are_not(build_workbook):
    one = {"sheets": {"L4_Sasaran_Kegiatan": {"set": {2: {"ID Induk": "SP11"}}}}}
    assert _messages(build_workbook, one)["TAU01"][0].endswith("(maksudnya 'SP1'?).")
    two = {
        "sheets": {
            "L4_Sasaran_Kegiatan": {"set": {2: {"ID Induk": "SP3"}}},
            "L3_Sasaran_Program": {"add": [{"ID": "SP2", "ID Induk": "SPD1",
                                             "Sasaran": "Meningkatnya ketertiban parkir"}]},
        }
    }
    assert _messages(build_workbook, two)["TAU01"] == [
        "ID Induk 'SP3' tidak ditemukan pada node mana pun."
    ]


def test_a_chain_cut_by_an_empty_parent_says_so(build_workbook):
    case = {"sheets": {"L4_Sasaran_Kegiatan": {"set": {2: {"ID Induk": None}}}}}
    (message,) = _messages(build_workbook, case)["TAU07"]
    assert message.endswith("berhenti di 'SK1' (L4), yang ID Induk-nya kosong (lihat TAU04).")


def test_thousands_slip_names_the_year_and_the_cause(build_workbook):
    case = {"sheets": {"L4_Sasaran_Kegiatan": {"set": {2: {
        "Baseline": 1150, "Target 2025": 1200, "Target 2026": 1.21, "Target 2027": 1230,
        "Target 2028": 1240, "Target 2029": 1250}}}}}
    messages = _messages(build_workbook, case)
    assert messages["NIL18"] == [
        "Target 2026 (1,21) sekitar 1000× lebih kecil dari nilai lain indikator ini "
        "(1.150, 1.200, 1.230, 1.240, 1.250): pemisah ribuan?"
    ]
    assert "NIL04" not in messages


def test_nom06_names_the_list_used(build_workbook):
    official = nomenclature_from_rows([
        ["kode", "nama"],
        ["2.15.02", "PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)"],
    ])
    official.source = "kepmendagri_050-5889.csv"
    messages = _messages(build_workbook, {}, official)
    assert messages["NOM06"][0] == (
        "Kode Kegiatan '2.15.02.2.06' tidak ditemukan di daftar nomenklatur resmi "
        "(kepmendagri_050-5889.csv)."
    )


def test_pem03_in_a_kecamatan_says_who_heads_it(build_workbook):
    case = {
        "identitas": {"Perangkat Daerah": "Kecamatan Contoh"},
        "sheets": {
            "Jabatan": {"set": {3: {"Jenis Jabatan": "Administrator"},
                                4: {"Jenis Jabatan": "Pengawas"}}},
            "L3_Sasaran_Program": {"set": {2: {"Pemilik Kinerja": "STAF-01"}}},
        },
    }
    (message,) = _messages(build_workbook, case)["PEM03"]
    assert message.endswith(
        "lazimnya Administrator atau Pengawas (perangkat daerah ini dipimpin Administrator)."
    )
