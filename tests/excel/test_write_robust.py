"""The writer under stress: failures midway, refused inputs, size, and LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.cellref import column_letters
from pohon_xl.excel.write import write_workbook
from pohon_xl.findings import Severity
from pohon_xl.sheets import Cell, CellMark, RowStatus, SheetSpec, WorkbookEdits
from tests.excel.workbooks import L1, rich_xlsm, simple_xlsx


def small_edits() -> WorkbookEdits:
    return WorkbookEdits(
        status_columns={L1: (6, 7)},
        statuses=[RowStatus(L1, 2, "Galat", "ada masalah")],
        marks=[CellMark(L1, 3, 2, Severity.GALAT, "salah")],
        sheets=[SheetSpec("Laporan_Validasi", rows=[[Cell("Kode", "header")]])],
    )


def rezip(src: Path, dst: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            new.writestr(name, change.get(name, old.read(name)))
    return dst


def test_failure_midway_leaves_dst_and_no_temp(tmp_path, monkeypatch):
    src = simple_xlsx(tmp_path)
    dst = tmp_path / "out.xlsx"
    dst.write_bytes(b"previous result")
    real_writestr = zipfile.ZipFile.writestr
    calls = []

    def failing_writestr(self, info, data, *args, **kwargs):
        calls.append(info)
        if len(calls) == 4:
            raise OSError("disk full")
        return real_writestr(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(src, dst, small_edits())
    assert dst.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "simple.xlsx"]


def test_in_place_failure_keeps_source(tmp_path):
    src = simple_xlsx(tmp_path)
    before = src.read_bytes()
    edits = small_edits()
    edits.marks.append(CellMark("Tidak_Ada", 2, 2, Severity.GALAT, "x"))
    with pytest.raises(InputError, match="Tidak_Ada"):
        write_workbook(src, src, edits)
    assert src.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["simple.xlsx"]


def test_refuses_what_it_cannot_patch(tmp_path):
    src = simple_xlsx(tmp_path)
    with zipfile.ZipFile(src) as archive:
        book = archive.read("xl/workbook.xml")
    strict = book.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                          b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    cases = {
        "strict": {"xl/workbook.xml": strict},
        "broken": {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row></worksheet>"},
        "entity": {"xl/worksheets/sheet1.xml": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/'
                   b'passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                   b'/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t>'
                   b"</is></c></row></sheetData></worksheet>"},
    }
    for label, change in cases.items():
        bad = rezip(src, tmp_path / f"{label}.xlsx", change)
        out = tmp_path / f"{label}-out.xlsx"
        if label == "entity":  # parsed without resolving the entity: no file content leaks
            write_workbook(bad, out, small_edits())
            with zipfile.ZipFile(out) as archive:
                assert b"root:" not in archive.read("xl/worksheets/sheet1.xml")
            continue
        with pytest.raises(InputError) as error:
            write_workbook(bad, out, small_edits())
        assert "\n" not in str(error.value) and not out.exists()
    (tmp_path / "teks.xlsx").write_text("bukan zip")
    with pytest.raises(InputError):
        write_workbook(tmp_path / "teks.xlsx", tmp_path / "x.xlsx", small_edits())


def test_shared_formula_in_status_column_is_refused(tmp_path):
    src = simple_xlsx(tmp_path)
    with zipfile.ZipFile(src) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    cell = b'<c r="F2"><f t="shared" ref="F2:F3" si="0">A2</f><v>1</v></c>'
    bad = rezip(src, tmp_path / "shared.xlsx", {
        "xl/worksheets/sheet1.xml": sheet.replace(b"</c></row>", b"</c>" + cell + b"</row>", 1)})
    with pytest.raises(InputError, match="rumus bersama"):
        write_workbook(bad, tmp_path / "o.xlsx", small_edits())


def big_workbook(folder: Path, rows: int, columns: int) -> Path:
    """A workbook whose L1 sheet has ``rows`` × ``columns`` cells, its XML written directly
    (building it through a library would take longer than the patch we measure)."""
    src = simple_xlsx(folder, rows=0, name="small.xlsx")
    cells = "".join(f'<c r="{column_letters(c)}{{r}}"><v>{c}</v></c>'
                    for c in range(1, columns + 1))
    body = "".join(f'<row r="{r}">' + cells.format(r=r) + "</row>" for r in range(1, rows + 2))
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{column_letters(columns)}{rows + 1}"/><sheetData>{body}'
             "</sheetData></worksheet>")
    return rezip(src, folder / "big.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})


def test_ten_thousand_rows_patch_in_column_order(tmp_path):
    # Correctness at scale only; the speed of this case is measured in benchmarks/.
    rows, columns = 10_000, 20
    src = big_workbook(tmp_path, rows, columns)
    edits = WorkbookEdits(
        status_columns={L1: (columns + 1, columns + 2)},
        statuses=[RowStatus(L1, r, "Peringatan" if r % 3 else "OK", f"catatan {r}")
                  for r in range(2, rows + 2)],
        marks=[CellMark(L1, r, 3, Severity.GALAT, "salah") for r in range(2, rows + 2, 50)],
    )
    write_workbook(src, tmp_path / "out.xlsx", edits)
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    last = sheet[sheet.index(f'<row r="{rows + 1}"'):]
    assert re.findall(r'<c r="([A-Z]+)\d+"', last)[-2:] == ["U", "V"]
    assert f"catatan {rows + 1}</t>" in last


@pytest.mark.libreoffice
def test_libreoffice_opens_patched_workbook(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from tests.excel.test_write import rich_edits

    out = tmp_path / "patched.xlsm"
    write_workbook(rich_xlsm(tmp_path), out, rich_edits())
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "pdf" / "patched.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout + result.stderr
