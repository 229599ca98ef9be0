"""LibreOffice, headless, opens an .xlsm with our vbaProject.bin and runs its VBA.

The proof that the project is well-formed beyond oletools: LibreOffice's own importer
(a different CFB reader and dir-stream parser) finds the modules, binds the form button to
the macro, and executes VBA that uses a standard module, a class module and a sheet code
name to write cells; we read them back with openpyxl.

Needs ``soffice`` and the system ``python3`` with LibreOffice's ``uno`` module (Debian:
``libreoffice-calc-nogui`` and ``python3-uno``); skipped with the reason when either is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.excel.vba.project import ModuleType, VbaModule, build_vba_project

RUNNER = Path(__file__).with_name("lo_runner.py")
SYSTEM_PYTHON = "/usr/bin/python3"
TIMEOUT = 60

MODULE1 = """Option Explicit

Sub WriteCell()
    Dim c As New Counter
    c.Add 40
    c.Add 2
    Worksheets("Data").Range("A1").Value = c.Value
    Sheet1.Range("A2").Value = Tambah(1.5, 2)
    ThisWorkbook.Worksheets(1).Range("A3").Value = "Halo dari VBA"
End Sub

Sub Hello()
    MsgBox "Halo"
End Sub
"""
TOOLS = """Public Function Tambah(a As Double, b As Double) As Double
    Tambah = a + b
End Function
"""
COUNTER = """Private n As Long

Public Sub Add(k As Long)
    n = n + k
End Sub

Public Property Get Value() As Long
    Value = n
End Property
"""


def _tools_or_skip() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice not found (Debian package libreoffice-calc-nogui)")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30) \
        if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        pytest.skip("LibreOffice's Python bridge is missing: /usr/bin/python3 cannot import uno "
                    "(Debian package python3-uno)")


@pytest.mark.libreoffice
def test_libreoffice_runs_the_generated_vba(make_xlsm, tmp_path: Path) -> None:
    _tools_or_skip()
    modules = [VbaModule("Module1", MODULE1), VbaModule("Tools", TOOLS),
               VbaModule("Counter", COUNTER, type=ModuleType.CLASS)]
    xlsm = make_xlsm(build_vba_project(modules), sheet="Data", code_name="Sheet1",
                     button_macro="Module1.Hello", caption="Halo")
    out = tmp_path / "after_macro.xlsx"

    completed = subprocess.run(
        [SYSTEM_PYTHON, str(RUNNER), str(xlsm), str(out), "Module1.WriteCell",
         "--timeout", str(TIMEOUT)],
        capture_output=True, text=True, timeout=TIMEOUT + 30)
    assert completed.stdout.strip(), completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "error" not in report, report

    assert report["libraries"] == ["Standard", "PohonKinerja"]
    assert report["modules"] == ["Counter", "Module1", "Sheet1", "ThisWorkbook", "Tools"]
    assert report["vba_mode"] is True
    assert report["code_names"] == {"Data": "Sheet1"}
    sources = report["module_sources"]
    assert "VBA_ModuleType=VBAClassModule" in sources["Counter"]
    assert "VBA_ModuleType=VBADocumentModule" in sources["ThisWorkbook"]
    assert "Sub WriteCell()" in sources["Module1"]
    assert report["buttons"] == [{
        "sheet": "Data", "control": "Button 1", "label": "Halo",
        "event": "XActionListener.actionPerformed", "script_type": "Script",
        "script": "vnd.sun.star.script:PohonKinerja.Module1.Hello?language=Basic&location=document",
    }]

    sheet = openpyxl.load_workbook(out)["Data"]
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == [42, 3.5, "Halo dari VBA"]
