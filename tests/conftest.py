"""Shared builders: small contract workbooks written with openpyxl from plain rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pohon_xl.model import contract as C

YEARS = range(2025, 2030)


def identitas_rows(pd: str = "Dinas Perhubungan", start: int = 2025, end: int = 2029,
                   pk: int = 2026) -> list[list[object]]:
    return [
        [C.KEY_INSTANSI, "Pemerintah Kota Contoh"],
        [C.KEY_PERANGKAT_DAERAH, pd],
        [C.KEY_KODE_PD, "DISHUB"],
        [C.KEY_TAHUN_AWAL, start],
        [C.KEY_TAHUN_AKHIR, end],
        [C.KEY_TAHUN_PK, pk],
        [C.KEY_PENYUSUN, "Subbag Perencanaan"],
        [C.KEY_EMAIL, "perencanaan@dishub.contoh.go.id"],
    ]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]],
                   merges: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    book.save(path)
    return path


@pytest.fixture
def workbook_factory(tmp_path):
    def make(sheets, merges=None, name="uji.xlsx"):
        return write_workbook(tmp_path / name, sheets, merges)

    return make
