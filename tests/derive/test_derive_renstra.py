"""A five-year Renstra: every Pagu equals the sum of its sub-activities, every year."""

from __future__ import annotations

from pohon_xl.model import contract as C
from tests.derive import renstra
from tests.derive.helpers import YEARS, derive, make_plan, records


def raw_subkegiatan() -> list[tuple[str, dict[int, int]]]:
    """(code, budget per year) straight from the rows given to the parser."""
    return [
        (str(row["code"]), {y: renstra.parse_rupiah(row[C.budget_header(y)]) for y in YEARS})
        for row in renstra.levels()[5]
        if row.get(C.ID)
    ]


def expected_pagu(prefix: str, year: int) -> int:
    return sum(b[year] for code, b in raw_subkegiatan() if code.startswith(prefix + "."))


def first_rows(rows: list[dict], key: str) -> dict[str, dict]:
    firsts: dict[str, dict] = {}
    for row in rows:
        firsts.setdefault(row[key], row)
    return firsts


def test_pagu_equals_sum_of_subkegiatan_for_every_year():
    sheets, findings = derive(make_plan(renstra.levels(), renstra.JABATAN))
    assert [f.code for f in findings] == []
    program = records(sheets[C.PROGRAM])
    kegiatan = records(sheets[C.KEGIATAN])
    programs = first_rows(program, "Kode Program")
    activities = first_rows(kegiatan, "Kode Kegiatan")
    assert list(programs) == ["2.15.01", "2.15.02", "2.15.03"]
    assert list(activities) == ["2.15.01.1.01", "2.15.02.2.01", "2.15.02.2.02", "2.15.02.2.03",
                                "2.15.03.2.01"]
    total_raw = {y: sum(b[y] for _, b in raw_subkegiatan()) for y in YEARS}
    for year in YEARS:
        header = C.pagu_header(year)
        for code, row in programs.items():
            assert row[header] == expected_pagu(code, year), (code, year)
        for code, row in activities.items():
            assert row[header] == expected_pagu(code, year), (code, year)
        # written once per code: the column sums to the whole budget
        assert sum(r[header] or 0 for r in program) == total_raw[year]
        assert sum(r[header] or 0 for r in kegiatan) == total_raw[year]
        assert sum(r[C.budget_header(year)] or 0
                   for r in records(sheets[C.SUBKEGIATAN])) == total_raw[year]
    assert programs["2.15.02"][C.pagu_header(2025)] == 12_345_678_900 + 750_001_000 \
        + 2_500_002_000 + 8_900_003_000 + 1_200_004_000


def test_programme_serving_two_sasaran_and_activity_with_two_sasaran():
    sheets, _ = derive(make_plan(renstra.levels(), renstra.JABATAN))
    program = records(sheets[C.PROGRAM])
    rows = [(r["Kode Program"], r["ID Sasaran"], r[C.INDIKATOR]) for r in program]
    assert rows[1:4] == [
        ("2.15.02", "PR1", "Rata-rata kendaraan per jam di koridor ganjil-genap"),
        ("2.15.02", "PR1", "Panjang antrean rata-rata"),
        ("2.15.02", "PR2", "Ketepatan jadwal"),
    ]
    kegiatan = [r for r in records(sheets[C.KEGIATAN]) if r["Kode Kegiatan"] == "2.15.02.2.01"]
    assert [r["ID Sasaran"] for r in kegiatan] == ["KG1", "KG1", "KG2"]
    assert [r[C.pagu_header(2029)] is not None for r in kegiatan] == [True, False, False]


def test_decimal_targets_survive():
    sheets, _ = derive(make_plan(renstra.levels(), renstra.JABATAN))
    pr1 = [r for r in records(sheets[C.PROGRAM]) if r["ID Sasaran"] == "PR1"]
    assert [pr1[0][C.target_header(y)] for y in YEARS] == [4250, 4124.5, 3999, 3873.5, 3748]
    assert pr1[1][C.target_header(2026)] == 297.75
    kg1 = next(r for r in records(sheets[C.KEGIATAN]) if r["ID Sasaran"] == "KG1")
    assert kg1[C.target_header(2027)] == 10


def test_pk_of_head_of_office_lists_all_programmes():
    sheets, _ = derive(make_plan(renstra.levels(), renstra.JABATAN))
    values = [v for row in sheets[C.PK].values() for v in row if v is not None]
    kadis_start = values.index(": Ir. Sri Rahayu, M.T.")
    kadis = values[kadis_start: values.index("NIP. 197203151998031004", kadis_start) + 1]
    for code, name in renstra.PROGRAMS.items():
        assert f"{code} {name}" in kadis
    assert expected_pagu("2.15.02", 2026) in kadis
    total = sum(expected_pagu(code, 2026) for code in renstra.PROGRAMS)
    assert total in kadis
