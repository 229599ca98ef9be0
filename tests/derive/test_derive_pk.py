"""PK: one page per position, pihak kedua resolution, budgets, Galat nodes left out."""

from __future__ import annotations

import math
import re

import pytest

from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.pk import city, pihak_kedua
from pohon_xl.core.link import Tree
from pohon_xl.findings import Report
from pohon_xl.model import contract as C
from tests.derive.helpers import derive, galat, make_plan
from tests.derive.test_derive_matrices import JABATAN, levels


def blocks(sheet):
    """The PK sheet cut at its page breaks: a list of {cell ref: value} per page."""
    values = sheet.values()
    bounds = [0, *sheet.print.row_breaks, len(values)]
    pages = []
    for start, end in zip(bounds, bounds[1:]):
        page = {}
        for r in range(start, end):
            for c, v in enumerate(values[r]):
                if v is not None:
                    page[f"{'ABCDEF'[c]}{r + 1 - start}"] = v
        pages.append(page)
    return pages


def text_of(page) -> str:
    return "\n".join(str(v) for v in page.values())


@pytest.fixture
def plan():
    return make_plan(levels(), JABATAN)


def test_one_page_per_position_owning_l1_to_l5(plan):
    sheets, _ = derive(plan)
    sheet = sheets[C.PK]
    pages = blocks(sheet)
    owners = ["WALI", "KADIS", "KABID", "KABID2", "KASI", "STAF", "STAF2"]
    assert len(pages) == len(owners)
    assert all(p["A1"] == "PERJANJIAN KINERJA TAHUN 2026" for p in pages)
    assert sheet.print.area == f"A1:F{len(sheet.rows)}"
    assert not sheet.print.landscape and sheet.print.fit_to_width and sheet.print.paper == "A4"
    assert sheet.print.title_rows == ""


def test_pihak_kedua_resolution(plan):
    ctx = Derivation(plan, Tree(plan.nodes, plan.positions), Report())
    assert pihak_kedua(ctx, "KABID")[0].name == "Sri Rahayu"  # Kode Jabatan Atasan
    head, reason = pihak_kedua(ctx, "KADIS")  # JPT without superior: the Kepala Daerah
    assert (head.job, head.name, head.civil_servant, reason) == (
        "Wali Kota Contoh", "Budi Santoso", False, "")
    assert pihak_kedua(ctx, "WALI") == (None, "")  # signs alone
    no_kd = make_plan(levels(), [j for j in JABATAN if j[C.KODE_JABATAN] != "WALI"])
    ctx = Derivation(no_kd, Tree(no_kd.nodes, no_kd.positions), Report())
    head, reason = pihak_kedua(ctx, "KADIS")
    assert (head.job, head.name, reason) == ("Kepala Daerah", "", "")


def test_unknown_superior_is_a_finding_and_left_blank():
    jabatan = [dict(j) for j in JABATAN]
    jabatan[2][C.KODE_ATASAN] = "KADISX"  # KABID
    jabatan[4][C.KODE_ATASAN] = ""  # KASI: a Pengawas without superior
    sheets, findings = derive(make_plan(levels(), jabatan))
    tur05 = [f for f in findings if f.code == "TUR05"]
    assert [(f.location.sheet, f.location.row, f.location.column) for f in tur05] == [
        ("Jabatan", 4, C.KODE_ATASAN), ("Jabatan", 6, C.KODE_ATASAN)]
    assert "KADISX" in tur05[0].message
    kabid = blocks(sheets[C.PK])[2]
    assert "Pihak Kedua," in kabid.values() and "Agus Salim" in kabid.values()


def test_first_page_of_head_of_office(plan):
    sheets, _ = derive(plan)
    kadis = blocks(sheets[C.PK])[1]
    text = text_of(kadis)
    assert kadis["A2"] == "DINAS PERHUBUNGAN" and kadis["A3"] == "PEMERINTAH KOTA CONTOH"
    assert "Dalam rangka mewujudkan manajemen pemerintahan yang efektif" in text
    assert ": Sri Rahayu" in text and ": 197001012000031001" in text
    assert "selanjutnya disebut pihak pertama." in text
    assert "selaku atasan pihak pertama, selanjutnya disebut pihak kedua." in text
    assert "Contoh, … Januari 2026" in text
    # the head of office lists the programmes under its L2 nodes, with that year's budget
    assert "2.15.02 Program Penyelenggaraan LLAJ" in text
    assert 2_251_000_000 in kadis.values()
    left = [v for k, v in kadis.items() if re.match(r"A\d+$", k)]
    right = [v for k, v in kadis.items() if re.match(r"D\d+$", k)]
    assert left[-3:] == ["Pihak Kedua,", "Wali Kota Contoh", "Budi Santoso"]  # no NIP
    assert right[-2:] == ["Sri Rahayu", "NIP. 197001012000031001"]


def test_budget_label_follows_what_the_position_owns(plan):
    sheets, _ = derive(plan)
    pages = blocks(sheets[C.PK])
    kabid, kasi, staf = pages[2], pages[4], pages[5]
    assert "Program" in kabid.values() and "Kegiatan" not in kabid.values()
    assert 251_000_000 in kabid.values()  # only the sub-activities under KABID's own L3
    # KASI owns K1-K3 and B3; B3 hangs under K2, so its money is in the Kegiatan table already
    assert "Kegiatan" in kasi.values() and "Subkegiatan" not in kasi.values()
    assert 2_251_000_000 in kasi.values()
    assert "Subkegiatan" in staf.values() and "2.15.02.2.01.0003 Pengadaan Perlengkapan Jalan" \
        in staf.values() and 200_000_000 in staf.values()


def test_galat_nodes_are_not_in_the_pk(plan):
    sheets, _ = derive(plan, [galat(plan, "B2")])
    pages = blocks(sheets[C.PK])
    assert len(pages) == 6  # STAF2 owned only B2
    assert all("Tersosialisasinya aturan" not in p.values() for p in pages)


def test_kepala_daerah_signs_alone(plan):
    sheets, _ = derive(plan)
    wali = blocks(sheets[C.PK])[0]
    text = text_of(wali)
    assert "saya yang bertanda tangan" in text and "Pihak Kedua," not in text
    assert "NIP" not in text


def test_vertical_merge_for_several_indicators_and_no_overlapping_merges(plan):
    sheets, _ = derive(plan)
    for sheet in sheets.values():
        cells = set()
        for ref in sheet.merges:
            a, b = ref.split(":")
            (c0, r0), (c1, r1) = [(ord(x[0]) - 64, int(x[1:])) for x in (a, b)]
            span = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
            assert not cells & span, f"{sheet.name}: {ref} overlaps"
            cells |= span
    merges = sheets[C.PK].merges
    assert any(re.fullmatch(r"A(\d+):A(\d+)", m) for m in merges)


def test_no_pk_year():
    sheets, findings = derive(make_plan(levels(), JABATAN, pk=None))
    assert "TUR07" in [f.code for f in findings]
    assert len(sheets[C.PK].rows) == 1
    assert all(r["Target"] is None for r in
               [dict(zip(sheets[C.SKP].values()[0], v)) for v in sheets[C.SKP].values()[1:]])


@pytest.mark.parametrize("instansi, expected", [
    ("Pemerintah Kota Contoh", "Contoh"),
    ("Pemerintah Kabupaten Sleman", "Sleman"),
    ("PEMERINTAH PROVINSI JAWA BARAT", "JAWA BARAT"),
    ("Kota Bandung", "Bandung"),
])
def test_city(instansi, expected):
    assert city(instansi) == expected


def test_row_heights_for_long_paragraphs(plan):
    sheet = derive(plan)[0][C.PK]
    for r, row in enumerate(sheet.rows, start=1):
        cell = row[0]
        if cell is not None and isinstance(cell.value, str) and len(cell.value) > 100:
            assert sheet.heights[r] >= 13.5 * math.ceil(len(cell.value) / 110)


def _big_plan(count: int):
    from tests.derive.helpers import node

    lv = levels()
    long = "Persentase penurunan volume kendaraan bermotor di koridor ganjil-genap pada jam sibuk"
    lv[4] += [node(f"KX{i}", "G1", f"Terlaksananya rekayasa lalu lintas tahap {i} yang efektif "
                   "dan terukur", long, "%", "KASI", code="2.15.02.2.01") for i in range(count)]
    return make_plan(lv, JABATAN)


def test_a_tall_block_widens_the_text_columns_to_stay_on_one_page():
    from pohon_xl.core.derive import pk as P

    base = derive(make_plan(levels(), JABATAN))[0][C.PK]
    assert [base.widths[c] for c in (3, 4)] == [22, 33]
    sheet = derive(_big_plan(7))[0][C.PK]
    assert sheet.widths[3] > 22 and sheet.widths[4] > 33 and sheet.widths[1] == 5
    widths = tuple(sheet.widths.values())
    scale = min(1.0, P.PAGE_WIDTH / P._points(widths))
    bounds = [0, *sheet.print.row_breaks, len(sheet.rows)]
    tallest = max(sum(sheet.heights.get(r, 15.0) for r in range(a + 1, b + 1))
                  for a, b in zip(bounds, bounds[1:]))
    assert tallest * scale <= P.PAGE_HEIGHT
    huge = derive(_big_plan(60))[0][C.PK]  # too long for any readable scale: capped
    assert huge.widths[4] == round(33 * P.WIDENINGS[-1], 1)
