"""The bundled examples: derived sheets against golden files, and the sums checked apart.

Regenerate with ``python tests/derive/regen_golden.py`` after an intended change, and read
the diff. The Pagu checks below do not use the derive code: they add up the raw L5 rows of
the workbook by code prefix.
"""

from __future__ import annotations

import re

import pytest

from pohon_xl.core.derive.capaian import has_realisation
from pohon_xl.core.derive.registry import CAPAIAN_SHEETS, DERIVED_SHEETS
from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from tests.derive.golden import EXAMPLES, GOLDEN, derive_example, example_path, golden_texts
from tests.derive.helpers import records

def _present(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not example_path(name).exists(), reason=f"{name}.xlsx is missing")


each_example = pytest.mark.parametrize(
    "name", [pytest.param(n, marks=_present(n)) for n in EXAMPLES]
)

# The seed's budget per office (seed 001, "contoh pengintegrasian perencanaan kinerja dengan
# penganggaran"), by the office's urusan code in the Kepmendagri nomenclature.
PARIWISATA_SEED = {
    "1.05": 4_000_000_000,  # Satpol PP (ketenteraman dan ketertiban umum)
    "2.17": 2_000_000_000,  # Dinas Koperasi dan UKM
    "3.26": 3_000_000_000,  # Dinas Pariwisata
    "2.15": 1_500_000_000,  # Dinas Perhubungan
    "1.03": 2_300_000_000,  # Dinas Pekerjaan Umum
    "2.11": 900_000_000,  # Dinas Lingkungan Hidup
}


def rupiah(value: object) -> int:
    """A budget cell by plain arithmetic: a number, or text like 'Rp 1.500.000.000'."""
    if value is None or value == "":
        return 0
    if isinstance(value, (int, float)):
        return round(value)
    digits = re.sub(r"[^\d,]", "", str(value)).split(",")[0]
    return int(digits or 0)


def raw_subkegiatan(name: str) -> list[tuple[str, dict[int, int]]]:
    """(Kode Subkegiatan, budget per year) of every L5 node row, straight from the file."""
    sheet = read_raw(example_path(name))["L5_Sasaran_Subkegiatan"]
    header = [str(h).strip() if h is not None else "" for h in sheet.rows[0]]
    code_col, id_col = header.index("Kode Subkegiatan"), header.index("ID")
    years = {int(h.split()[1]): i for i, h in enumerate(header)
             if re.fullmatch(r"Anggaran \d{4}", h)}
    result = []
    for row in sheet.rows[1:]:
        row = list(row) + [None] * (len(header) - len(row))
        if row[id_col] not in (None, ""):
            budget = {y: rupiah(row[c]) for y, c in years.items()}
            result.append((str(row[code_col]).strip(), budget))
    return result


def firsts(rows: list[dict], key: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in rows:
        out.setdefault(row[key], row)
    return out


@each_example
def test_golden_files(name):
    expected_dir = GOLDEN / name
    actual = golden_texts(name)
    missing = [f for f in actual if not (expected_dir / f).exists()]
    assert not missing, f"golden files missing: {missing}; run tests/derive/regen_golden.py"
    for file_name, text in actual.items():
        expected = (expected_dir / file_name).read_text(encoding="utf-8")
        assert text == expected, f"{name}/{file_name} differs; see tests/derive/regen_golden.py"


@each_example
def test_examples_are_clean_and_complete(name):
    plan, report, sheets, findings = derive_example(name)
    # the achievement sheets only with realisation
    assert [s.name for s in sheets] == [n for n in DERIVED_SHEETS
                                       if has_realisation(plan) or n not in CAPAIAN_SHEETS]
    assert not report.has_errors, report.flatten(("code", "sheet", "row", "id"))
    assert findings == []  # no disagreement between codes and tree in the examples


@each_example
def test_pagu_from_raw_rows(name):
    subs = raw_subkegiatan(name)
    assert subs
    _, _, sheets, _ = derive_example(name)
    by_name = {s.name: s for s in sheets}
    years = sorted(subs[0][1])
    for sheet_name, key in ((C.PROGRAM, "Kode Program"), (C.KEGIATAN, "Kode Kegiatan")):
        rows = records(by_name[sheet_name])
        for code, row in firsts(rows, key).items():
            for year in years:
                expected = sum(b[year] for c, b in subs if c.startswith(code + "."))
                assert row[C.pagu_header(year)] == expected, (sheet_name, code, year)
        for year in years:  # Pagu only on a code's first row: the column adds up to the total
            assert sum(r[C.pagu_header(year)] or 0 for r in rows) == sum(b[year] for _, b in subs)


@_present("Pohon_Kinerja_Pariwisata")
def test_pariwisata_matches_the_seed_budgets():
    name = "Pohon_Kinerja_Pariwisata"
    plan, _, sheets, _ = derive_example(name)
    year = plan.pk_year
    per_office: dict[str, int] = {}
    for code, budget in raw_subkegiatan(name):
        office = ".".join(code.split(".")[:2])
        per_office[office] = per_office.get(office, 0) + budget[year]
    assert per_office == PARIWISATA_SEED
    program = records(next(s for s in sheets if s.name == C.PROGRAM))
    from_matrix: dict[str, int] = {}
    for code, row in firsts(program, "Kode Program").items():
        office = ".".join(code.split(".")[:2])
        from_matrix[office] = from_matrix.get(office, 0) + row[C.pagu_header(year)]
    assert from_matrix == PARIWISATA_SEED
    assert sum(PARIWISATA_SEED.values()) == 13_700_000_000
