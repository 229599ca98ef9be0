"""``SKP_Formulir``: one PermenPANRB 6/2022 form per employee with RHK, on a tree built in code."""

from __future__ import annotations

from pohon_xl.core.derive.skp_form import FOR_JPT, FOR_OTHERS, TITLE
from pohon_xl.model import contract as C
from pohon_xl.sheets import SheetSpec
from tests.derive.helpers import derive, galat, jab, make_plan, more, node, texts

JABATAN = [
    jab("KDH", "Wali Kota Contoh", C.KEPALA_DAERAH, holder="Budi"),
    jab("KADIS", "Kepala Dinas Perhubungan", "JPT", "KDH", "1970", "Ani", "Dinas Perhubungan"),
    jab("KABID", "Kepala Bidang Lalu Lintas", "Administrator", "KADIS", "1980", "Citra",
        "Bidang Lalu Lintas"),
    jab("STAF", "Pengelola Lalu Lintas", "Pelaksana", "KABID", "1990", "Dedi",
        "Bidang Lalu Lintas"),
]
LEVELS = {
    1: [node("L1-1", "", "Menurunnya kemacetan", owner="KDH")],
    2: [node("L2-1", "L1-1", "Meningkatnya kelancaran lalu lintas", owner="KADIS")],
    3: [node("L3-1", "L2-1", "Tertibnya lalu lintas", owner="KABID", code="2.15.02",
             name="PROGRAM LLAJ")],
    4: [node("L4-1", "L3-1", "Terkelolanya rekayasa lalu lintas", owner="KABID",
             code="2.15.02.2.06", name="Rekayasa")],
    5: [node("L5-1", "L4-1", "Tersedianya data lalu lintas", owner="KABID",
             code="2.15.02.2.06.0001", name="Survei", budget={2026: 100})],
    6: [node("L6-1", "L2-1", "Terkoordinasinya kebijakan lalu lintas", "Rapat koordinasi",
             "kali", "KADIS", {2026: 4}, aspek="Kuantitas"),
        node("L6-2", "L5-1", "Tersedianya laporan survei", "Laporan survei", "laporan",
             "STAF", {2026: 12}, aspek="Kuantitas"),
        more("Laporan tepat waktu", "bulan", {2026: 12}, aspek="Waktu"),
        node("L6-3", "L5-1", "Terpasangnya rambu", "Rambu terpasang", "unit", "STAF",
             {2026: 30}, aspek="Kuantitas")],
}


def _form(findings=()) -> SheetSpec:
    plan = make_plan(LEVELS, JABATAN)
    sheets, _ = derive(plan, [galat(plan, f) for f in findings])
    return sheets[C.SKP_FORMULIR]


def _blocks(sheet: SheetSpec) -> list[list[str]]:
    """The texts of each form (a page break after each but the last)."""
    values = sheet.values()
    edges = [0, *sheet.print.row_breaks, len(values)]
    return [[str(v) for row in values[a:b] for v in row if v is not None]
            for a, b in zip(edges, edges[1:])]


def test_one_form_per_employee_with_rhk_each_on_its_page() -> None:
    sheet = _form()
    blocks = _blocks(sheet)
    assert [b.count(TITLE) for b in blocks] == [1, 1]  # KADIS and STAF, in Jabatan's order
    assert "Ani" in blocks[0] and "Dedi" in blocks[1]
    assert (sheet.print.paper, sheet.print.landscape, sheet.print.fit_to_width) == (
        "A4", False, True)


def test_jpt_form_names_its_perspective_others_their_aspect() -> None:
    jpt, staff = _blocks(_form())
    assert FOR_JPT in jpt and "PERSPEKTIF" in jpt and "ASPEK" not in jpt
    assert "Kuantitas" not in jpt  # a JPT's form has no aspect
    assert FOR_OTHERS in staff and "ASPEK" in staff and "PERSPEKTIF" not in staff


def test_hasil_kerja_rows_of_an_employee() -> None:
    staff = _blocks(_form())[1]
    # The superior's RHK it intervenes, the RHK, aspect, indicator, target with its unit.
    assert staff.count("Tersedianya data lalu lintas") == 2  # above each of two RHK
    for text in ("Tersedianya laporan survei", "Laporan survei", "12 laporan",
                 "Laporan tepat waktu", "Waktu", "12 bulan", "Rambu terpasang", "30 unit"):
        assert text in staff, text
    # The appraiser is the superior (Kode Jabatan Atasan) with NIP and unit.
    assert "Citra" in staff and "Kepala Bidang Lalu Lintas" in staff and "NIP. 1980" in staff


def test_merges_do_not_overlap_and_cover_an_rhk_over_its_indicators() -> None:
    sheet = _form()
    cells: set[tuple[int, int]] = set()
    for merge in sheet.merges:
        first, last = merge.split(":")
        r0, c0 = int(first[1:]), ord(first[0]) - 64
        r1, c1 = int(last[1:]), ord(last[0]) - 64
        block = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        assert not block & cells, merge
        cells |= block
    tall = [m for m in sheet.merges if m.split(":")[0][1:] != m.split(":")[1][1:]]
    assert len(tall) == 3  # No, RHK atasan and RHK over the two indicators of L6-2


def test_an_rhk_with_a_galat_is_left_out() -> None:
    staff = _blocks(_form(["L6-3"]))[1]
    assert "Rambu terpasang" not in staff and "Laporan survei" in staff
    assert texts(_form(["L6-1"])).count(TITLE) == 1  # KADIS has no RHK left: no form
