"""``pohon-xl makro`` / ``addin`` / ``template --makro`` and the template's native checks,
verified by real tools: olevba reads the VBA back, LibreOffice (headless) opens the files, lists
the modules, binds the buttons to our macros and runs VBA from a generated project, and
LibreOffice's formula engine evaluates the conditional-format formulas.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from pohon_xl.cli import main as cli_main
from pohon_xl.errors import InputError
from pohon_xl.excel import macro
from pohon_xl.excel.native_checks import native_rules
from pohon_xl.model import contract as C
from pohon_xl.pipeline import process

from .workbooks import assert_consistent_package

oletools = pytest.importorskip("oletools.olevba")
pytest.importorskip("xlwings")

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "templates" / "Pohon_Kinerja.xlsx"
EXAMPLE = REPO / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"
MACROS = REPO / "macros"
RUNNER = Path(__file__).with_name("vba") / "lo_runner.py"
SYSTEM_PYTHON = "/usr/bin/python3"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TIMEOUT = 90


def strip(code: str) -> str:
    """Source as compared: no class header, no Attribute lines, LF ends, no outer blank lines."""
    lines = code.replace("\r\n", "\n").split("\n")
    if lines and lines[0].upper().startswith("VERSION 1.0 CLASS"):
        end = next(i for i, line in enumerate(lines) if line.strip().upper() == "END")
        lines = lines[end + 1:]
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).strip("\n")


def olevba_modules(path: Path) -> dict[str, str]:
    parser = oletools.VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def xlwings_source(name: str) -> str:
    return (resources.files("xlwings") / name).read_text(encoding="utf-8-sig")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("makro")
    return {
        "template": macro.build_macro_workbook(TEMPLATE, folder / "Pohon_Kinerja.xlsm"),
        "example": macro.build_macro_workbook(EXAMPLE, folder / "Kemacetan.xlsm"),
        "addin": macro.build_addin(folder / "PohonKinerja.xlam"),
    }


# ---------------------------------------------------------------------------------------------
# olevba: exactly our sources plus xlwings' modules
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["template", "example"])
def test_olevba_finds_exactly_our_module_and_xlwings(built, which: str) -> None:
    found = olevba_modules(built[which])
    documents = {name for name in found if name == "ThisWorkbook" or name.startswith("Sheet")}
    assert set(found) - documents == {"PohonKinerja", "xlwings", "Dictionary"}
    assert strip(found["PohonKinerja"]) == strip((MACROS / "PohonKinerja.bas").read_text())
    assert strip(found["xlwings"]) == strip(xlwings_source("xlwings.bas"))
    assert strip(found["Dictionary"]) == strip(xlwings_source("addin/Dictionary.cls"))
    assert all(strip(found[name]) == "" for name in documents)


def test_olevba_finds_the_addin_modules(built) -> None:
    found = olevba_modules(built["addin"])
    assert set(found) == {"ThisWorkbook", "Sheet1", "PohonKinerja", "PohonKinerjaPita",
                          "xlwings", "Dictionary"}
    for name in ("PohonKinerja", "PohonKinerjaPita"):
        assert strip(found[name]) == strip((MACROS / f"{name}.bas").read_text())
    # xlwings' module for custom add-ins (RunPython on ActiveWorkbook), reading the same
    # settings as the standalone workbook: the one constant we change
    expected = xlwings_source("xlwings_custom_addin.bas").replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlwings"')
    assert strip(found["xlwings"]) == strip(expected)
    assert "ActiveWorkbook.Name" in found["xlwings"]


# ---------------------------------------------------------------------------------------------
# The package: macro-enabled, code names, nothing of the workbook lost
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which, source", [("template", TEMPLATE), ("example", EXAMPLE)])
def test_the_macro_workbook_keeps_everything(built, which: str, source: Path) -> None:
    path = built[which]
    assert_consistent_package(path)
    before, after = parts(source), parts(path)
    assert set(before) <= set(after)
    types = after["[Content_Types].xml"].decode()
    assert 'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"' in types
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
    # every value, validation, width, merge of every sheet is as it was
    from pohon_xl.excel.template import snapshot

    old, new = snapshot(source), snapshot(path)
    assert new["sheets"] == old["sheets"] + [macro.CONF_SHEET]
    for name in old["sheets"]:
        assert new[name] == old[name], name
    src_book, dst_book = openpyxl.load_workbook(source), openpyxl.load_workbook(path)
    for ws in src_book.worksheets:
        assert len(dst_book[ws.title].conditional_formatting) == len(ws.conditional_formatting)
    # and the core reads the same plan from it
    from pohon_xl.excel.read import read_raw

    raw_old, raw_new = read_raw(source), read_raw(path)
    assert {k: v.rows for k, v in raw_old.items()} == {
        k: v.rows for k, v in raw_new.items() if k != macro.CONF_SHEET}


def test_code_names_match_the_document_modules(built) -> None:
    path = built["template"]
    data = parts(path)
    workbook = etree.fromstring(data["xl/workbook.xml"])
    assert workbook.find(f"{{{MAIN_NS}}}workbookPr").get("codeName") == "ThisWorkbook"
    codes = []
    for name, blob in sorted(data.items()):
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            pr = etree.fromstring(blob).find(f"{{{MAIN_NS}}}sheetPr")
            codes.append(pr.get("codeName"))
    assert len(set(codes)) == len(codes)
    assert set(codes) | {"ThisWorkbook"} == {
        n for n in olevba_modules(path) if n == "ThisWorkbook" or n.startswith("Sheet")}


def test_conf_sheet_has_xlwings_settings_from_a1(built) -> None:
    ws = openpyxl.load_workbook(built["template"])[macro.CONF_SHEET]
    keys = []
    for row in ws.iter_rows(min_row=1, max_col=2, values_only=True):
        if row[0] is None:
            break
        keys.append(row[0])
    assert {"Debug UDFs", "Use UDF Server", "Show Console"} <= set(keys)
    assert ws["B1"].value is not None


def test_buttons_sit_on_petunjuk_and_each_level_sheet(built) -> None:
    data = parts(built["template"])
    book = openpyxl.load_workbook(built["template"])
    macros_by_vml = {}
    for name, blob in data.items():
        if name.endswith(".vml"):
            macros_by_vml[name] = re.findall(rb"<x:FmlaMacro>([^<]*)</x:FmlaMacro>", blob)
    assert len(macros_by_vml) == 1 + len(C.LEVELS)
    for found in macros_by_vml.values():
        assert found == [b"[0]!PohonKinerja.Validasi", b"[0]!PohonKinerja.Turunkan",
                         b"[0]!PohonKinerja.Capaian", b"[0]!PohonKinerja.BukaLaporan"]
    assert book.sheetnames[0] == C.PETUNJUK


def test_makro_twice_and_the_cli_on_it_keep_one_set_of_buttons(built, tmp_path: Path) -> None:
    again = macro.build_macro_workbook(built["example"], tmp_path / "again.xlsm")
    book = openpyxl.load_workbook(EXAMPLE)
    book[C.LEVELS[1].sheet]["B2"] = "TIDAK-ADA"  # a Galat: a note in the same VML part
    book.save(bad := tmp_path / "bad.xlsx")
    bad_xlsm = macro.build_macro_workbook(bad, tmp_path / "bad.xlsm")
    outcome = process(bad_xlsm, tmp_path / "bad_validasi.xlsm")
    assert outcome.report.has_errors
    for path in (again, tmp_path / "bad_validasi.xlsm"):
        assert_consistent_package(path)
        vml = [blob for name, blob in parts(path).items() if name.endswith(".vml")]
        assert sum(blob.count(b'ObjectType="Button"') for blob in vml) == len(macro.BUTTONS) * (
            1 + len(C.LEVELS))
        assert "PohonKinerja" in olevba_modules(path)
    notes = b"".join(blob for name, blob in parts(tmp_path / "bad_validasi.xlsm").items()
                     if name.endswith(".vml"))
    assert b'ObjectType="Note"' in notes


def test_someone_elses_macros_are_not_overwritten(tmp_path: Path) -> None:
    from .workbooks import rich_xlsm

    foreign = rich_xlsm(tmp_path)
    with pytest.raises(InputError, match="makro lain"):
        macro.build_macro_workbook(foreign, tmp_path / "out.xlsm")
    out = macro.build_macro_workbook(foreign, tmp_path / "out.xlsm", replace_foreign_macros=True)
    assert "PohonKinerja" in olevba_modules(out)
    assert_consistent_package(out)
    # the user's own button and note share the VML parts with ours and survive
    vml = b"".join(blob for name, blob in parts(out).items() if name.endswith(".vml"))
    assert vml.count(b"<x:FmlaMacro>[0]!Validasi</x:FmlaMacro>") == 1  # the user's button
    assert vml.count(b"[0]!PohonKinerja.Validasi") == 2  # ours on L1 and L2
    book = openpyxl.load_workbook(out)
    assert book["L1_Sasaran_Daerah"]["A2"].comment.text.startswith("catatan pengguna")
    assert set(parts(foreign)) - {"xl/vbaProject.bin"} <= set(parts(out))


def test_addin_package(built) -> None:
    data = parts(built["addin"])
    assert_consistent_package(built["addin"])
    assert b"application/vnd.ms-excel.addin.macroEnabled.main+xml" in data["[Content_Types].xml"]
    ui = etree.fromstring(data["customUI/customUI14.xml"])
    ns = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
    assert ui.find(".//ui:tab", ns).get("label") == "Pohon Kinerja"
    actions = [b.get("onAction") for b in ui.findall(".//ui:button", ns)]
    assert actions == ["PohonKinerjaPita.PitaValidasi", "PohonKinerjaPita.PitaTurunkan",
                       "PohonKinerjaPita.PitaCapaian", "PohonKinerjaPita.PitaBukaLaporan"]
    pita = (MACROS / "PohonKinerjaPita.bas").read_text()
    for action in actions:
        assert f"Sub {action.split('.')[1]}(control As IRibbonControl)" in pita
    assert b"ui/extensibility" in data["_rels/.rels"]


def test_cli_commands(tmp_path: Path, capsys) -> None:
    assert cli_main(["makro", str(EXAMPLE), "-o", str(tmp_path / "k.xlsm"),
                     "--interpreter-win", r"C:\Python\python.exe"]) == 0
    ws = openpyxl.load_workbook(tmp_path / "k.xlsm")[macro.CONF_SHEET]
    assert ["Interpreter_Win", r"C:\Python\python.exe"] in [[c.value for c in row[:2]]
                                                          for row in ws.iter_rows()]
    assert cli_main(["addin", "-o", str(tmp_path / "PohonKinerja.xlam")]) == 0
    assert cli_main(["template", "--makro", "-o", str(tmp_path / "t.xlsm")]) == 0
    assert "PohonKinerja" in olevba_modules(tmp_path / "t.xlsm")
    assert cli_main(["template", "--makro", "-o", str(tmp_path / "t.xlsx")]) == 2
    assert cli_main(["makro", str(EXAMPLE), "-o", str(tmp_path / "k.xlsx")]) == 2
    assert cli_main(["makro", str(tmp_path / "tidak-ada.xlsx")]) == 2


# ---------------------------------------------------------------------------------------------
# LibreOffice: opens the files, lists the modules, binds the buttons, runs generated VBA
# ---------------------------------------------------------------------------------------------
def _lo_or_skip() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice not found (Debian package libreoffice-calc-nogui)")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True,
                           timeout=30) if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        pytest.skip("/usr/bin/python3 cannot import uno (Debian package python3-uno)")


def run_in_libreoffice(path: Path, out: Path, macro_name: str) -> dict:
    completed = subprocess.run(
        [SYSTEM_PYTHON, str(RUNNER), str(path), str(out), macro_name, "--timeout", str(TIMEOUT)],
        capture_output=True, text=True, timeout=TIMEOUT + 30)
    assert completed.stdout.strip(), completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "error" not in report, report
    return report


TEST_SUB = """

Public Sub UjiTulis()
    ThisWorkbook.Worksheets("Identitas").Range("D1").Value = "makro pohon-xl berjalan"
    Sheet2.Range("D2").Value = 40 + 2
End Sub
"""


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_runs_a_generated_macro_workbook(tmp_path: Path, monkeypatch) -> None:
    _lo_or_skip()
    # our real module plus one test Sub that writes cells, through `pohon-xl makro`
    sources = tmp_path / "macros"
    sources.mkdir()
    for name in macro.ADDIN_MODULES:
        text = (MACROS / name).read_text()
        (sources / name).write_text(text + TEST_SUB if name == "PohonKinerja.bas" else text)
    monkeypatch.setenv("POHON_XL_MACROS", str(sources))
    full = tmp_path / "Kemacetan.xlsm"
    assert cli_main(["makro", str(EXAMPLE), "-o", str(full)]) == 0
    # LibreOffice Basic cannot compile xlwings' modules (e.g. Dictionary.cls's
    # `Enum … = VBA.vbBinaryCompare`), and it compiles a whole library before running any of
    # it; so the run uses the same `pohon-xl makro` output without xlwings' two modules.
    everything = macro.vba_modules
    monkeypatch.setattr(macro, "vba_modules", lambda addin=False: [
        m for m in everything(addin=addin) if m.name not in ("xlwings", "Dictionary")])
    runnable = tmp_path / "Kemacetan_uji.xlsm"
    assert cli_main(["makro", str(EXAMPLE), "-o", str(runnable)]) == 0

    report = run_in_libreoffice(full, tmp_path / "full.xlsx", "PohonKinerja.UjiTulis")
    assert set(report["modules"]) >= {"PohonKinerja", "xlwings", "Dictionary"}
    report = run_in_libreoffice(runnable, tmp_path / "after.xlsx", "PohonKinerja.UjiTulis")

    sheets = openpyxl.load_workbook(EXAMPLE).sheetnames
    assert report["libraries"] == ["Standard", "PohonKinerja"]
    assert {"PohonKinerja", "ThisWorkbook", "Sheet1"} <= set(report["modules"])
    assert list(report["code_names"]) == sheets + [macro.CONF_SHEET]
    assert report["code_names"][C.IDENTITAS] == "Sheet2"
    assert "Sub Validasi()" in report["module_sources"]["PohonKinerja"]
    bound = {(b["sheet"], b["label"], b["script"]) for b in report["buttons"]}
    for sheet in [C.PETUNJUK, *(spec.sheet for spec in C.LEVELS)]:
        for caption, sub in (("Validasi", "Validasi"), ("Turunkan", "Turunkan"),
                             ("Capaian", "Capaian"), ("Buka Laporan", "BukaLaporan")):
            assert (sheet, caption, "vnd.sun.star.script:PohonKinerja.PohonKinerja."
                    f"{sub}?language=Basic&location=document") in bound
    assert len(report["buttons"]) == len(macro.BUTTONS) * (1 + len(C.LEVELS))
    identitas = openpyxl.load_workbook(tmp_path / "after.xlsx")[C.IDENTITAS]
    assert [identitas["D1"].value, identitas["D2"].value] == ["makro pohon-xl berjalan", 42]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_reads_the_addin_project(built, tmp_path: Path) -> None:
    """LibreOffice has no import filter for add-ins (.xlam; it refuses xlwings' own
    quickstart_addin_ribbon.xlam too), so it reads a copy typed as a macro workbook: the same
    parts and vbaProject.bin, only the main part's content type differs."""
    _lo_or_skip()
    data = parts(built["addin"])
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        macro.CT_ADDIN_MAIN.encode(), macro.CT_MACRO_MAIN.encode())
    copy = tmp_path / "addin_as_workbook.xlsm"
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in data.items():
            archive.writestr(name, blob)
    report = run_in_libreoffice(copy, tmp_path / "addin.xlsx", "PohonKinerja.BukaLaporan")
    assert set(report["modules"]) == {"ThisWorkbook", "Sheet1", "PohonKinerja",
                                      "PohonKinerjaPita", "xlwings", "Dictionary"}
    assert "Sub PitaValidasi(control As IRibbonControl)" in \
        report["module_sources"]["PohonKinerjaPita"]


# ---------------------------------------------------------------------------------------------
# Native checks: the conditional formats, evaluated by LibreOffice's formula engine
# ---------------------------------------------------------------------------------------------
def test_the_template_carries_the_native_checks() -> None:
    book = openpyxl.load_workbook(TEMPLATE)
    for spec in C.LEVELS:
        formulas = [rule.formula[0] for cf in book[spec.sheet].conditional_formatting
                    for rule in cf.rules]
        assert any("COUNTIF($A$2" in f for f in formulas), spec.sheet
        if spec.number > 1:
            above = C.LEVELS[spec.number - 2].sheet
            assert any(f"COUNTIF('{above}'!$A$2" in f for f in formulas), spec.sheet


@pytest.mark.libreoffice
@pytest.mark.slow
def test_native_check_formulas_mean_what_they_say(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice not found")
    from pohon_xl.excel.template import new_workbook

    wb = new_workbook()
    l1, l2 = wb[C.LEVELS[0].sheet], wb[C.LEVELS[1].sheet]
    for ref, value in {"A2": "S1", "C2": "Sasaran 1", "D2": "Ind", "N2": "KD",
                       "A3": "S1", "C3": "Sasaran ganda", "D3": "Ind",
                       "C4": "Sasaran tanpa ID", "D4": "Ind", "N4": "KD",
                       "D5": "Indikator kedua"}.items():
        l1[ref] = value
    for ref, value in {"A2": "P1", "B2": "S1", "C2": "PD 1", "D2": "Ind", "N2": "KD",
                       "A3": "P2", "B3": "X9", "C3": "PD 2", "N3": "KD"}.items():
        l2[ref] = value
    columns = {}
    for ws, above in ((l1, None), (l2, l1)):
        for k, (area, formula, kind) in enumerate(native_rules(ws, above)):
            letter = area.split(":")[0].rstrip("0123456789")
            columns[(ws.title, kind, letter)] = 60 + k
            for r in range(2, 7):
                ws.cell(r, 60 + k, "=" + re.sub(r"(\$[A-Z]{1,3})2(?![0-9])",
                                               lambda m, r=r: f"{m.group(1)}{r}", formula))
    wb.save(source := tmp_path / "cek.xlsx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   capture_output=True, timeout=TIMEOUT, check=True)
    result = openpyxl.load_workbook(out / "cek.xlsx", data_only=True)

    def flags(sheet: str, kind: str, letter: str) -> list[bool]:
        col = columns[(sheet, kind, letter)]
        return [bool(result[sheet].cell(r, col).value) for r in range(2, 7)]

    L1, L2 = C.LEVELS[0].sheet, C.LEVELS[1].sheet
    assert flags(L1, "kosong", "A") == [False, False, True, False, False]  # Sasaran, no ID
    assert flags(L1, "kosong", "N") == [False, True, False, False, False]  # node, no owner
    assert flags(L1, "kosong", "D") == [False] * 5  # continuation row 5 is fine
    assert flags(L1, "ganda", "A") == [True, True, False, False, False]
    assert flags(L2, "induk", "B") == [False, True, False, False, False]
    assert flags(L2, "kosong", "D") == [False, True, False, False, False]
