"""LibreOffice, a real spreadsheet program, opens the template and a validated output and
converts both to PDF without error (the foundation issue's acceptance check)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pohon_xl.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "Pohon_Kinerja.xlsx"
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice tidak terpasang"),
]


def _to_pdf(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "pdf"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = out / f"{source.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    return pdf


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo") is None:
        return 1 if pdf.read_bytes().startswith(b"%PDF") else 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def test_template_converts_to_pdf(tmp_path):
    assert _pages(_to_pdf(TEMPLATE, tmp_path)) >= 1


def test_validated_and_derived_output_converts_to_pdf(tmp_path):
    source = tmp_path / "contoh.xlsx"
    shutil.copy(EXAMPLE, source)
    output = process(source, tmp_path / "contoh_turunan.xlsx", derive=True).output
    assert output is not None
    assert _pages(_to_pdf(output, tmp_path)) > 10  # every sheet, PK one page per position
