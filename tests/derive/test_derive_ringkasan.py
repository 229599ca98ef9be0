"""Ringkasan: counts, findings, coverage, positions, budgets, left-out nodes."""

from __future__ import annotations

from pohon_xl.model import contract as C
from tests.derive.helpers import YEARS, derive, galat, jab, make_plan, node
from tests.derive.test_derive_matrices import JABATAN, levels


def section(sheet, title):
    """The rows of a titled section (up to the next blank row), as lists of values."""
    values = sheet.values()
    start = next(i for i, row in enumerate(values) if row[0] == title)
    rows = []
    for row in values[start + 1:]:
        if all(v is None for v in row):
            break
        rows.append([v for v in row])
    return rows


def test_ringkasan_sections():
    lv = levels()
    lv[1].append(node("S2", "", "Meningkatnya PAD", owner="WALI", jenis=""))
    lv[5].append(node("B9", "KX", "Subkegiatan tanpa induk", owner="KASI", code="2.15.02.2.01.0009",
                      budget={y: 7 for y in YEARS}))
    jabatan = [*JABATAN, jab("SEK", "Sekretaris Dinas", "Administrator", "KADIS", "1", "Tono")]
    plan = make_plan(lv, jabatan)
    sheets, findings = derive(plan, [galat(plan, "K2", "TAU01")])
    sheet = sheets[C.RINGKASAN]
    assert sheet.values()[0][0] == "RINGKASAN POHON KINERJA"

    counts = section(sheet, "Jumlah per level")
    assert counts[0][:5] == ["Level", "Lembar", "Simpul", "Indikator", "Tidak dimasukkan (Galat)"]
    assert counts[1][:5] == ["L1", "L1_Sasaran_Daerah", 2, 2, 0]
    assert counts[4][:5] == ["L4", "L4_Sasaran_Kegiatan", 3, 3, 1]

    temuan = section(sheet, "Temuan per level dan tingkat")
    l4 = next(r for r in temuan if r[0] == "L4")
    assert l4[2:6] == [1, 0, 0, 1]
    assert temuan[-1][0] == "Jumlah" and temuan[-1][2] == 1

    cakupan = {r[1]: r[2:5] for r in section(sheet, "Cakupan")[2:]}
    assert cakupan["Sasaran L1 yang didukung sampai subkegiatan (L5)"] == [1, 2, 0.5]
    assert cakupan["Sasaran L2 dengan anggaran > 0 pada 2026"] == [1, 2, 0.5]  # K2 cut off P2
    assert cakupan["Subkegiatan (L5) yang tertelusur sampai Sasaran Daerah (L1)"] == [2, 4, 0.5]
    assert cakupan["Jabatan struktural (JPT, Administrator, Pengawas) yang memiliki PK"] == [
        4, 5, 0.8]

    tanpa_pk = section(sheet, "Jabatan struktural tanpa PK")
    assert [r[0] for r in tanpa_pk[2:]] == ["SEK"]
    tanpa_rhk = section(sheet, "Pegawai tanpa RHK (L6)")
    assert [r[0] for r in tanpa_rhk[2:]] == ["KADIS", "KABID", "KASI", "SEK"]

    l1 = section(sheet, "Anggaran per Sasaran Daerah (L1)")
    assert l1[1][2:4] == [C.budget_header(2025), C.budget_header(2026)]
    assert l1[2][:4] == ["S1", "Menurunnya kemacetan", 125_500_000, 251_000_000]
    assert l1[3][:3] == ["S2", "Meningkatnya PAD", 0]
    assert l1[4][0] == "Jumlah" and l1[4][2] == 125_500_000

    left = section(sheet, "Simpul yang tidak dimasukkan ke dokumen turunan (Galat)")
    assert left[2][:5] == ["K2", "Terpasangnya rambu", "L4_Sasaran_Kegiatan", 3,
                           "TAU01: Contoh galat."]
    assert "A1:G1" in sheet.merges and sheet.protect


def test_nothing_left_out():
    sheets, _ = derive(make_plan(levels(), JABATAN))
    left = section(sheets[C.RINGKASAN], "Simpul yang tidak dimasukkan ke dokumen turunan (Galat)")
    assert left[-1] [0] == "Tidak ada."
