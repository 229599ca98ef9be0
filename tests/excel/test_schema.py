"""The parts we write validate against the ECMA-376 schemas (issue 18).

openxml-audit carries the schemas of the Open XML SDK (ECMA-376 transitional with Office's
extensions, as data) and validates a package part by part. A result may keep the errors its
input had (parts we copy, or keep as they were); it may not add any.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from tests.excel.hostile import EXAMPLE, run_cli

audit = pytest.importorskip("openxml_audit")

pytestmark = pytest.mark.slow


def _schema_errors(path) -> set[str]:
    validator = audit.OpenXmlValidator(semantic_validation=False, max_errors=100_000)
    return {str(error) for error in validator.validate(str(path)).errors
            if error.error_type.value == "schema"}


def _with_hostile_names(path):
    book = openpyxl.load_workbook(EXAMPLE)
    book["L1_Sasaran_Daerah"]["A3"] = book["L1_Sasaran_Daerah"]["A2"].value  # findings
    sheet = book["L1_Sasaran_Daerah"]
    sheet.cell(1, sheet.max_column + 1, "Catatan Bidang")
    sheet.merge_cells(start_row=1, start_column=sheet.max_column, end_row=1,
                      end_column=sheet.max_column + 1)
    for name in ("Data 'Lama'", "O'Brien & Co", "ข้อมูล"):
        book.create_sheet(name)["A1"] = name
    book.save(path)
    return path


@pytest.mark.parametrize("command", ["validasi", "turunkan"])
@pytest.mark.parametrize("hostile", [False, True], ids=["contoh", "nama-sheet"])
def test_results_add_no_schema_error(tmp_path, command, hostile):
    source = tmp_path / "masukan.xlsx"
    if hostile:
        _with_hostile_names(source)
    else:
        shutil.copyfile(EXAMPLE, source)
    out = tmp_path / "hasil.xlsx"
    code, err = run_cli(command, str(source), "-o", str(out))
    assert code in (0, 1), err
    added = _schema_errors(out) - _schema_errors(source)
    assert not added, sorted(added)[:10]


def test_the_validator_sees_a_part_out_of_order(tmp_path):
    """What the test above relies on: an element out of its schema's order is an error."""
    import re
    import zipfile

    from tests.excel.hostile import rezip

    part = "xl/worksheets/sheet4.xml"
    with zipfile.ZipFile(EXAMPLE) as archive:
        sheet = archive.read(part)
    margins = re.search(rb"<pageMargins[^>]*/>", sheet).group()
    moved = sheet.replace(margins, b"").replace(b"<sheetData", margins + b"<sheetData", 1)
    path = rezip(EXAMPLE, tmp_path / "urutan.xlsx", {part: moved})
    assert any("/xl/worksheets/sheet4.xml" in error for error in _schema_errors(path))
