"""Program / Kegiatan / Subkegiatan / SKP / Matriks on small trees built in code."""

from __future__ import annotations

import pytest

from pohon_xl.model import contract as C
from tests.derive.helpers import YEARS, derive, galat, jab, make_plan, more, node, records

PROG, KEG1, KEG2 = "2.15.02", "2.15.02.2.01", "2.15.02.2.02"
JABATAN = [
    jab("WALI", "Wali Kota Contoh", "Kepala Daerah", holder="Budi Santoso"),
    jab("KADIS", "Kepala Dinas Perhubungan", "JPT", nip="197001012000031001", holder="Sri Rahayu",
        unit="Dinas Perhubungan"),
    jab("KABID", "Kepala Bidang Lalu Lintas", "Administrator", "KADIS", "198001012005011002",
        "Agus Salim"),
    jab("KABID2", "Kepala Bidang Angkutan", "Administrator", "KADIS"),
    jab("KASI", "Kepala Seksi Rekayasa Lalu Lintas", "Pengawas", "KABID", "198501012010012003",
        "Dewi Lestari"),
    jab("STAF", "Analis Lalu Lintas", "Pelaksana", "KASI", "199001012015031004", "Andi Wijaya"),
    jab("STAF2", "Pengadministrasi Umum", "Pelaksana", "KASI", "199201012019032005", "Rina"),
]


def matrix_codes(findings):
    return sorted((f.code, f.node_id) for f in findings if f.code < "TUR05")


def budget(base: int) -> dict[int, int]:
    return {y: base * (i + 1) for i, y in enumerate(YEARS)}


def levels() -> dict[int, list[dict[str, object]]]:
    return {
        1: [node("S1", "", "Menurunnya kemacetan", "Level of service", "indeks", "WALI", jenis="")],
        2: [
            node("P1", "S1", "Meningkatnya kapasitas jalan", "smp/jam", "smp", "KADIS"),
            node("P2", "S1", "Menurunnya pelanggaran lalu lintas", "Jumlah pelanggaran",
                 "kasus", "KADIS"),
        ],
        3: [
            node("G2", "P2", "Meningkatnya ketertiban lalu lintas", owner="KABID2", code=PROG,
                 name="Program Penyelenggaraan LLAJ"),
            node("G1", "P1", "Menurunnya volume kendaraan", owner="KABID", code=PROG,
                 name="Program Penyelenggaraan LLAJ"),
            more("Rata-rata kendaraan jam sibuk", "kendaraan"),
        ],
        4: [
            node("K1", "G1", "Terlaksananya ganjil-genap", owner="KASI", code=KEG1,
                 name="Manajemen Rekayasa Lalu Lintas"),
            node("K2", "G2", "Terpasangnya rambu", owner="KASI", code=KEG2,
                 name="Perlengkapan Jalan"),
            node("K3", "G1", "Tersosialisasinya ganjil-genap", owner="KASI", code=KEG1,
                 name="Manajemen Rekayasa Lalu Lintas"),
        ],
        5: [
            node("B1", "K1", "Terpasangnya plang ganjil-genap", "Jumlah plang", "unit", "STAF",
                 code=KEG1 + ".0003", name="Pengadaan Perlengkapan Jalan",
                 budget=budget(100_000_000)),
            more("Jumlah titik", "titik"),
            node("B2", "K3", "Tersosialisasinya aturan", "Jumlah sosialisasi", "kali", "STAF2",
                 code=KEG1 + ".0004", name="Sosialisasi", budget=budget(25_500_000)),
            node("B3", "K2", "Terpasangnya rambu baru", "Jumlah rambu", "unit", "KASI",
                 code=KEG2 + ".0001", name="Pemasangan Rambu", budget=budget(1_000_000_000)),
        ],
        6: [
            node("R2", "B2", "Terlaksananya sosialisasi", "Jumlah laporan", "laporan", "STAF2",
                 targets={2026: 4}, aspek="Kuantitas"),
            node("R1", "B1", "Tersusunnya rencana pemasangan", "Jumlah dokumen", "dokumen", "STAF",
                 targets={2026: 2}, aspek="Kuantitas"),
            more("Ketepatan waktu", "bulan", {2026: 12}, aspek="Waktu"),
        ],
    }


@pytest.fixture
def plan():
    return make_plan(levels(), JABATAN)


def test_program_groups_sasaran_under_one_code_and_sums_every_subkegiatan_once(plan):
    sheets, findings = derive(plan)
    rows = records(sheets[C.PROGRAM])
    assert [(r["Kode Program"], r["ID Sasaran"], r[C.INDIKATOR]) for r in rows] == [
        (PROG, "G1", "Indikator"),
        (PROG, "G1", "Rata-rata kendaraan jam sibuk"),
        (PROG, "G2", "Indikator"),
    ]
    for i, year in enumerate(YEARS):
        assert rows[0][C.pagu_header(year)] == (100_000_000 + 25_500_000 + 1_000_000_000) * (i + 1)
        assert rows[1][C.pagu_header(year)] is None and rows[2][C.pagu_header(year)] is None
    assert rows[0]["Penanggung Jawab"] == "Kepala Bidang Lalu Lintas (Agus Salim)"
    assert rows[2]["Penanggung Jawab"] == "Kepala Bidang Angkutan"
    assert rows[0][C.target_header(2026)] == 11
    assert [(f.code, f.node_id) for f in findings] == [("TUR06", "")]  # KABID2 is vacant


def test_headers_follow_the_contract(plan):
    sheets, _ = derive(plan)
    years = list(YEARS)
    tail = [C.target_header(y) for y in years]
    assert sheets[C.PROGRAM].values()[0] == [
        "Kode Program", "Nama Program", "ID Sasaran", "Sasaran Program", "Indikator", "Satuan",
        *tail, *[C.pagu_header(y) for y in years], "Penanggung Jawab"]
    assert sheets[C.KEGIATAN].values()[0][:6] == [
        "Kode Kegiatan", "Nama Kegiatan", "Kode Program", "ID Sasaran", "Sasaran Kegiatan",
        "Indikator"]
    assert sheets[C.SUBKEGIATAN].values()[0] == [
        "Kode Subkegiatan", "Nama Subkegiatan", "Kode Kegiatan", "ID Sasaran",
        "Sasaran Subkegiatan", "Indikator", "Satuan", *tail,
        *[C.budget_header(y) for y in years], "Penanggung Jawab"]
    assert sheets[C.SKP].values()[0] == [
        "NIP", "Nama", "Jabatan", "RHK Atasan yang Diintervensi", "RHK", "Aspek", "Indikator",
        "Satuan", "Target", "ID"]
    for name in (C.PROGRAM, C.KEGIATAN, C.SUBKEGIATAN, C.SKP, C.MATRIKS):
        sheet = sheets[name]
        assert sheet.freeze == "A2" and sheet.protect
        assert sheet.autofilter.startswith("A1:")
        assert {c.style for c in sheet.rows[0]} == {"header"}


def test_kegiatan_with_two_sasaran_is_one_group(plan):
    sheets, _ = derive(plan)
    rows = records(sheets[C.KEGIATAN])
    assert [(r["Kode Kegiatan"], r["ID Sasaran"], r["Kode Program"]) for r in rows] == [
        (KEG1, "K1", PROG), (KEG1, "K3", PROG), (KEG2, "K2", PROG)]
    assert rows[0][C.pagu_header(2025)] == 125_500_000
    assert rows[1][C.pagu_header(2025)] is None
    assert rows[2][C.pagu_header(2029)] == 5_000_000_000


def test_subkegiatan_budget_on_first_indicator_row(plan):
    sheets, _ = derive(plan)
    rows = records(sheets[C.SUBKEGIATAN])
    assert [(r["ID Sasaran"], r[C.INDIKATOR], r[C.budget_header(2026)]) for r in rows] == [
        ("B1", "Jumlah plang", 200_000_000),
        ("B1", "Jumlah titik", None),
        ("B2", "Jumlah sosialisasi", 51_000_000),
        ("B3", "Jumlah rambu", 2_000_000_000),
    ]
    assert rows[0]["Kode Kegiatan"] == KEG1
    money = [c for row in sheets[C.SUBKEGIATAN].rows[1:] for c in row if c and c.style == "money"]
    assert money and all(isinstance(c.value, (int, type(None))) for c in money)


def test_code_prefix_disagreement_is_a_finding_and_the_tree_decides(plan):
    lv = levels()
    lv[5][3]["code"] = "1.03.10.2.01.0001"  # B3 under K2 (2.15.02.2.02)
    lv[4][1]["code"] = "2.16.01.2.02"  # K2 under G2 (2.15.02)
    sheets, findings = derive(make_plan(lv, JABATAN))
    assert matrix_codes(findings) == [("TUR02", "B3"), ("TUR03", "K2")]
    tur02 = next(f for f in findings if f.code == "TUR02")
    assert tur02.location.sheet == "L5_Sasaran_Subkegiatan" and tur02.location.column_index
    assert "2.16.01.2.02" in tur02.message
    program = records(sheets[C.PROGRAM])
    assert program[0][C.pagu_header(2025)] == 1_125_500_000  # still counted, per the tree
    kegiatan = {r["ID Sasaran"]: r for r in records(sheets[C.KEGIATAN])}
    assert kegiatan["K2"]["Kode Program"] == PROG


def test_subkegiatan_directly_under_a_programme_is_checked_against_it(plan):
    lv = levels()
    lv[5][3][C.ID_INDUK] = "G2"
    lv[5][3]["code"] = "1.03.10.2.01.0001"
    _, findings = derive(make_plan(lv, JABATAN))
    assert matrix_codes(findings) == [("TUR01", "B3")]


def test_name_mismatch_for_one_code(plan):
    lv = levels()
    lv[3][0]["name"] = "Program LLAJ"
    sheets, findings = derive(make_plan(lv, JABATAN))
    assert matrix_codes(findings) == [("TUR04", "G2")]
    names = {r["Nama Program"] for r in records(sheets[C.PROGRAM])}
    assert names == {"Program Penyelenggaraan LLAJ"}


def test_galat_node_is_left_out_and_cuts_the_roll_up(plan):
    sheets, _ = derive(plan, [galat(plan, "K3")])
    kegiatan = records(sheets[C.KEGIATAN])
    assert [r["ID Sasaran"] for r in kegiatan] == ["K1", "K2"]
    assert kegiatan[0][C.pagu_header(2025)] == 100_000_000
    program = records(sheets[C.PROGRAM])
    assert program[0][C.pagu_header(2025)] == 1_100_000_000  # B2 hangs under K3
    assert "B2" in [r["ID Sasaran"] for r in records(sheets[C.SUBKEGIATAN])]  # itself fine
    matriks = records(sheets[C.MATRIKS])
    assert [r["ID L4"] for r in matriks] == ["K1", "K2"]
    ringkasan = [v for row in sheets[C.RINGKASAN].values() for v in row if v is not None]
    assert "K3" in ringkasan


def test_galat_on_a_continuation_row_leaves_the_node_out(plan):
    g1 = next(n for n in plan.nodes if n.id == "G1")
    from pohon_xl.findings import Finding, Location, Severity

    finding = Finding("NIL02", Severity.GALAT, "x", "y", Location(g1.sheet, g1.rows[1]), level=3)
    sheets, _ = derive(plan, [finding])
    assert [r["ID Sasaran"] for r in records(sheets[C.PROGRAM])] == ["G2"]
    assert records(sheets[C.PROGRAM])[0][C.pagu_header(2025)] == 1_000_000_000


def test_skp_rows_by_position_then_id(plan):
    sheets, _ = derive(plan)
    rows = records(sheets[C.SKP])
    assert [(r["NIP"], r["ID"], r["Aspek"], r["Target"]) for r in rows] == [
        ("199001012015031004", "R1", "Kuantitas", 2),
        ("199001012015031004", "R1", "Waktu", 12),
        ("199201012019032005", "R2", "Kuantitas", 4),
    ]
    assert rows[0]["Nama"] == "Andi Wijaya" and rows[0]["Jabatan"] == "Analis Lalu Lintas"
    assert rows[0]["RHK Atasan yang Diintervensi"] == "Terpasangnya plang ganjil-genap"
    assert rows[0]["RHK"] == "Tersusunnya rencana pemasangan"


def test_matriks_one_row_per_path_with_cascading_types(plan):
    sheets, _ = derive(plan)
    values = sheets[C.MATRIKS].values()
    assert values[0][:8] == ["ID L1", "Sasaran L1", "ID L2", "Sasaran L2", "Jenis Cascading L2",
                             "ID L3", "Sasaran L3", "Jenis Cascading L3"]
    assert values[0][-3:] == ["ID L6", "Sasaran L6", "Jenis Cascading L6"]
    rows = records(sheets[C.MATRIKS])
    paths = [tuple(r[f"ID L{k}"] for k in range(1, 7)) for r in rows]
    assert paths == [
        ("S1", "P1", "G1", "K1", "B1", "R1"),
        ("S1", "P1", "G1", "K3", "B2", "R2"),
        ("S1", "P2", "G2", "K2", "B3", None),
    ]
    assert rows[0]["Jenis Cascading L2"] == "Kontribusi"


def test_matriks_skipped_level_and_galat_at_top(plan):
    lv = levels()
    lv[4][1][C.ID_INDUK] = "P2"  # K2 hangs under an L2 node directly: L3 columns stay empty
    plan = make_plan(lv, JABATAN)
    sheets, _ = derive(plan, [galat(plan, "G1")])
    paths = [tuple(r[f"ID L{k}"] for k in range(1, 7)) for r in records(sheets[C.MATRIKS])]
    assert paths == [("S1", "P1", None, None, None, None),
                     ("S1", "P2", "G2", None, None, None),
                     ("S1", "P2", None, "K2", "B3", None)]
    sheets, _ = derive(plan, [galat(plan, "S1")])
    assert records(sheets[C.MATRIKS]) == []


def test_several_indicators_per_node_in_every_matrix(plan):
    sheets, _ = derive(plan)
    assert len(records(sheets[C.PROGRAM])) == 3
    assert len(records(sheets[C.SUBKEGIATAN])) == 4
    assert len(records(sheets[C.SKP])) == 3


def test_output_is_deterministic(plan):
    first, f1 = derive(plan)
    second, f2 = derive(make_plan(levels(), JABATAN))
    assert first == second and f1 == f2


def test_rows_with_wrapped_text_get_a_height(plan):
    from pohon_xl.core.derive.common import wrapped_lines

    assert wrapped_lines("", 10) == 1 and wrapped_lines("kata " * 30, 20) > 5
    lv = levels()
    lv[3][1][C.SASARAN] = "Menurunnya volume kendaraan " * 6
    sheet = derive(make_plan(lv, JABATAN))[0][C.PROGRAM]
    assert sheet.heights[2] > 30 and 4 not in sheet.heights  # G1's rows; G2's one-liner
