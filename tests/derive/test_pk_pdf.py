"""PK printed through LibreOffice: one A4 page per position, each page one whole block."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.core.derive.pk import agreements
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.link import Tree
from pohon_xl.excel.write import write_workbook
from pohon_xl.findings import Report
from pohon_xl.model import contract as C
from pohon_xl.sheets import SheetSpec, WorkbookEdits
from tests.derive import renstra
from tests.derive.golden import derive_example, example_path
from tests.derive.helpers import derive, make_plan

SOFFICE = shutil.which("soffice") or next(
    (p for p in ("/usr/bin/soffice",) if Path(p).exists()), None)
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None or shutil.which("pdfinfo") is None,
                       reason="needs LibreOffice (soffice) and poppler-utils (pdfinfo)"),
]


def pk_pdf(sheet: SheetSpec, folder: Path) -> Path:
    """Write a workbook holding only the PK sheet and let LibreOffice print it to PDF."""
    src, xlsx = folder / "kosong.xlsx", folder / "pk.xlsx"
    book = openpyxl.Workbook()
    book.active.title = C.PK  # replaced by the derived sheet: the copy holds PK alone
    book.save(src)
    write_workbook(src, xlsx, WorkbookEdits(sheets=[sheet]))
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
         "--outdir", str(folder), str(xlsx)],
        check=True, capture_output=True, timeout=240,
    )
    return folder / "pk.pdf"


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def page_texts(pdf: Path, pages: int) -> list[str]:
    if shutil.which("pdftotext") is None:
        return []
    return [
        subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                       check=True, capture_output=True, text=True).stdout
        for p in range(1, pages + 1)
    ]


def check(sheet: SheetSpec, expected_pages: int, folder: Path) -> Path:
    pdf = pk_pdf(sheet, folder)
    pages = page_count(pdf)
    assert pages == expected_pages
    for text in page_texts(pdf, pages):  # each page holds one whole block
        assert text.count("PERJANJIAN KINERJA TAHUN") == 1
        assert "Januari" in text  # the signatures sit on the same page as the title
    return pdf


def test_renstra_pk_one_page_per_position(tmp_path):
    plan = make_plan(renstra.levels(), renstra.JABATAN)
    sheets, _ = derive(plan)
    expected = len(agreements(Derivation(plan, Tree(plan.nodes, plan.positions), Report())))
    assert expected == 9
    check(sheets[C.PK], expected, tmp_path)


@pytest.mark.skipif(not example_path("Pohon_Kinerja_Kemacetan").exists(),
                    reason="examples/Pohon_Kinerja_Kemacetan.xlsx is not there yet")
def test_kemacetan_pk_one_page_per_position(tmp_path):
    plan, report, sheets, _ = derive_example("Pohon_Kinerja_Kemacetan")
    pk = next(s for s in sheets if s.name == C.PK)
    expected = len(agreements(Derivation(plan, Tree(plan.nodes, plan.positions), report)))
    assert expected == len(pk.print.row_breaks) + 1
    check(pk, expected, tmp_path)
