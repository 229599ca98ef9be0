"""vbaProject.bin as oletools (olevba) reads it: the modules we put in come back out."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream

from pohon_xl.excel.vba.project import (
    ModuleType,
    VbaModule,
    VbaProjectError,
    _decrypt,
    build_vba_project,
    module_stream_text,
)

HELLO = 'Sub Hello()\n    MsgBox "Halo, perencana!"\nEnd Sub\n'
TOOLS = (
    "Option Explicit\n\n"
    "Public Function Tambah(a As Double, b As Double) As Double\n"
    "    Tambah = a + b  ' café: cp1252 text survives\n"
    "End Function\n"
)
COUNTER_CLS = (
    "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
    'Attribute VB_Name = "Counter"\n'
    "Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\n"
    "Attribute VB_PredeclaredId = False\nAttribute VB_Exposed = True\n"
    'Attribute VB_Description = "Menghitung"\n'
    "Private n As Long\nPublic Sub Add(k As Long)\n    n = n + k\nEnd Sub\n"
    "Public Property Get Value() As Long\n    Value = n\nEnd Property\n"
)
MODULES = [
    VbaModule("Module1", HELLO),
    VbaModule("Tools", TOOLS),
    VbaModule.from_export(COUNTER_CLS),
]


def _strip(code: str) -> str:
    """Source as compared: no Attribute lines, LF line ends, no surrounding blank lines."""
    lines = code.replace("\r\n", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).strip("\n")


def _olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        return {Path(vba_filename).stem: code
                for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def _streams(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    return {"/".join(p): ole.openstream("/".join(p)).read() for p in ole.listdir()}


@pytest.fixture(scope="module")
def project_bin() -> bytes:
    return build_vba_project(MODULES, document_modules=("ThisWorkbook", "Sheet1", "Sheet2"))


def test_olevba_extracts_exactly_our_modules_from_the_bin(project_bin: bytes, tmp_path: Path) -> None:
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(project_bin)
    found = _olevba_modules(path)
    assert sorted(found) == sorted(["ThisWorkbook", "Sheet1", "Sheet2", "Module1", "Tools", "Counter"])
    for module in MODULES:
        assert _strip(found[module.name]) == _strip(module.code), module.name
    for name in ("ThisWorkbook", "Sheet1", "Sheet2"):
        assert _strip(found[name]) == ""


def test_olevba_extracts_the_modules_from_an_xlsm(project_bin: bytes, make_xlsm) -> None:
    xlsm = make_xlsm(project_bin, button_macro="Module1.Hello")
    with zipfile.ZipFile(xlsm) as archive:
        assert archive.read("xl/vbaProject.bin") == project_bin
    found = _olevba_modules(xlsm)
    assert {name: _strip(found[name]) for name in ("Module1", "Tools", "Counter")} == \
        {module.name: _strip(module.code) for module in MODULES}


def test_dir_stream_parses_strictly(project_bin: bytes) -> None:
    """oletools' dir-stream parser with relaxed=False raises on any unexpected record."""
    ole = olefile.OleFileIO(io.BytesIO(project_bin))
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    modules = {path: (name, code) for path, name, code in project.parse_modules()}
    assert project.codepage == 1252
    assert project.syskind == 3
    by_name = {module.name: module for module in project.modules}
    assert list(by_name) == ["ThisWorkbook", "Sheet1", "Sheet2", "Module1", "Tools", "Counter"]
    assert {name: module.type for name, module in by_name.items()} == {
        "ThisWorkbook": 0x22, "Sheet1": 0x22, "Sheet2": 0x22, "Module1": 0x21, "Tools": 0x21,
        "Counter": 0x22}
    assert all(module.textoffset == 0 for module in project.modules)
    assert all(module.streamname == module.name for module in project.modules)
    assert by_name["Counter"].docstring == "Menghitung"
    assert project.module_ext == {"thisworkbook": "cls", "sheet1": "cls", "sheet2": "cls",
                                  "module1": "bas", "tools": "bas", "counter": "cls"}
    assert len(modules) == 6


def test_dir_stream_records(project_bin: bytes) -> None:
    dir_stream = bytes(decompress_stream(bytearray(_streams(project_bin)["VBA/dir"])))
    assert b"\x04\x00\x0c\x00\x00\x00PohonKinerja" in dir_stream  # PROJECTNAME
    assert b"\x02\x00\x04\x00\x00\x00\x09\x04\x00\x00" in dir_stream  # PROJECTLCID 0x409
    assert b"\x03\x00\x02\x00\x00\x00\xe4\x04" in dir_stream  # PROJECTCODEPAGE 1252
    for name, guid in (("stdole", b"{00020430-0000-0000-C000-000000000046}"),
                       ("Office", b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}")):
        at = dir_stream.index(b"\x16\x00" + struct_size(name) + name.encode())
        assert dir_stream.index(b"\x0d\x00", at) < dir_stream.index(guid)
    assert dir_stream.endswith(b"\x10\x00\x00\x00\x00\x00")


def struct_size(text: str) -> bytes:
    return len(text).to_bytes(4, "little")


def test_module_streams_carry_the_attributes(project_bin: bytes) -> None:
    streams = _streams(project_bin)
    text = {name: bytes(decompress_stream(bytearray(streams[f"VBA/{name}"]))).decode("cp1252")
            for name in ("ThisWorkbook", "Sheet1", "Module1", "Counter", "Tools")}
    assert text["ThisWorkbook"] == (
        'Attribute VB_Name = "ThisWorkbook"\r\n'
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n")
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in text["Sheet1"]
    assert text["Module1"].startswith('Attribute VB_Name = "Module1"\r\nSub Hello()\r\n')
    assert "\n" not in text["Module1"].replace("\r\n", "")
    assert "café" in text["Tools"]
    assert text["Counter"].splitlines()[:9] == [
        'Attribute VB_Name = "Counter"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False", "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False",
        'Attribute VB_Description = "Menghitung"']


def test_project_stream(project_bin: bytes) -> None:
    streams = _streams(project_bin)
    text = streams["PROJECT"].decode("cp1252")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    project_id = re.fullmatch(r'ID="(\{[0-9A-F-]{36}\})"', lines[0]).group(1)
    assert lines[1:7] == ["Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
                          "Document=Sheet2/&H00000000", "Module=Module1", "Module=Tools",
                          "Class=Counter"]
    assert lines[7:10] == ['Name="PohonKinerja"', 'HelpContextID="0"',
                           'VersionCompatible32="393222000"']
    fields = dict(line.split("=", 1) for line in lines[10:13])
    assert _decrypt(fields["CMG"].strip('"'), project_id) == b"\x00\x00\x00\x00"  # unprotected
    assert _decrypt(fields["DPB"].strip('"'), project_id) == b"\x00"  # no password
    assert _decrypt(fields["GC"].strip('"'), project_id) == b"\xff"  # visible
    assert lines[13:16] == ["", "[Host Extender Info]",
                            "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"]
    assert lines[16:18] == ["", "[Workspace]"]
    assert lines[18] == "ThisWorkbook=0, 0, 0, 0, C"
    assert streams["VBA/_VBA_PROJECT"] == b"\xcc\x61\xff\xff\x00\x01\x00"
    assert streams["PROJECTwm"].startswith(
        b"ThisWorkbook\x00" + "ThisWorkbook".encode("utf-16-le") + b"\x00\x00Sheet1\x00")
    assert streams["PROJECTwm"].endswith(
        b"Counter\x00" + "Counter".encode("utf-16-le") + b"\x00\x00" + b"\x00\x00")


def test_decrypt_matches_the_spec_example() -> None:
    """MS-OVBA 3.1.6's PROJECT stream example decrypts to the documented values."""
    project_id = "{917DED54-440B-4FD1-A5C1-74ACF261E600}"
    assert _decrypt("0705D8E3D8EDDBF1DBF1DBF1DBF1", project_id) == b"\x00\x00\x00\x00"
    assert _decrypt("0E0CD1ECDFF4E7F5E7F5E7", project_id) == b"\x00"
    assert _decrypt("1517CAF1D6F9D7F9D706", project_id) == b"\xff"


def test_same_input_same_bytes() -> None:
    assert build_vba_project(MODULES) == build_vba_project(MODULES)
    other = build_vba_project(MODULES, project_id="{01234567-89AB-CDEF-0123-456789ABCDEF}")
    assert b'ID="{01234567-89AB-CDEF-0123-456789ABCDEF}"' in _streams(other)["PROJECT"]


def test_xlwings_standalone_modules_round_trip(xlwings_dir: Path, tmp_path: Path) -> None:
    """The xlwings VBA module and its Dictionary class, taken from the installed package."""
    xlwings_bas = VbaModule.from_file(xlwings_dir / "xlwings.bas")
    dictionary = VbaModule.from_file(xlwings_dir / "addin" / "Dictionary.cls")
    assert (xlwings_bas.name, xlwings_bas.type) == ("xlwings", ModuleType.STANDARD)
    assert (dictionary.name, dictionary.type) == ("Dictionary", ModuleType.CLASS)
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(build_vba_project([VbaModule("Module1", HELLO), xlwings_bas, dictionary]))
    found = _olevba_modules(path)
    for module_path, module in ((xlwings_dir / "xlwings.bas", xlwings_bas),
                                (xlwings_dir / "addin" / "Dictionary.cls", dictionary)):
        shipped = module_path.read_text(encoding="utf-8")
        shipped = shipped.split("\nEND\n", 1)[-1] if shipped.startswith("VERSION") else shipped
        assert _strip(found[module.name]) == _strip(shipped.replace("\r\n", "\n"))


def test_module_text_normalises_line_ends() -> None:
    text = module_stream_text(VbaModule("M", "a\r\nb\rc\n\n"))
    assert text == 'Attribute VB_Name = "M"\r\na\r\nb\r\nc\r\n'


@pytest.mark.parametrize(("modules", "documents", "message"), [
    ([VbaModule("Module1"), VbaModule("MODULE1")], (), "used twice"),
    ([VbaModule("Sheet1")], ("ThisWorkbook", "Sheet1"), "used twice"),
    ([VbaModule("1Module")], (), "not a VBA identifier"),
    ([VbaModule("Modul Satu")], (), "not a VBA identifier"),
    ([VbaModule("M" * 32)], (), "not a VBA identifier"),
    ([VbaModule("M", "x = \"Rp 1.000 — ₹\"")], (), "code page 1252"),
    ([], (VbaModule("A", type=ModuleType.WORKBOOK), VbaModule("B", type=ModuleType.WORKBOOK)),
     "more than one workbook"),
    ([], (VbaModule("A"),), "has type standard"),
])
def test_rejects_bad_projects(modules, documents, message) -> None:
    with pytest.raises(VbaProjectError, match=message):
        build_vba_project(modules, document_modules=documents)


def test_from_export_reads_a_class_export() -> None:
    module = VbaModule.from_export(COUNTER_CLS)
    assert module.name == "Counter" and module.type is ModuleType.CLASS
    assert module.code.startswith("Private n As Long")
    assert ("VB_Exposed", "True") in module.attributes
    assert module.description == "Menghitung"
    with pytest.raises(VbaProjectError, match="no Attribute VB_Name"):
        VbaModule.from_export("Sub X()\nEnd Sub\n")


def test_package_exports_are_complete_and_sorted() -> None:
    import pohon_xl.excel.vba as vba
    from pohon_xl.excel.vba import cfb, compression, project

    public = {name for module in (cfb, compression, project) for name in module.__all__}
    assert set(vba.__all__) == public - {"cfb_name_key"}
    assert vba.__all__ == sorted(vba.__all__)
    assert all(hasattr(vba, name) for name in vba.__all__)


def _dir_record_ids(dir_stream: bytes) -> list[int]:
    ids, at = [], 0
    while at < len(dir_stream):
        record_id, size = int.from_bytes(dir_stream[at:at + 2], "little"), \
            int.from_bytes(dir_stream[at + 2:at + 6], "little")
        ids.append(record_id)
        at += 6 + (6 if record_id == 0x0009 else size)  # PROJECTVERSION's "size" is reserved
    assert at == len(dir_stream)
    return ids


def test_dir_stream_record_order_follows_the_spec() -> None:
    """2.3.4.2: information, references, modules, terminator, in the order Office writes."""
    data = build_vba_project([VbaModule("Module1", HELLO)], document_modules=("ThisWorkbook",))
    ids = _dir_record_ids(bytes(decompress_stream(bytearray(_streams(data)["VBA/dir"]))))
    information = [0x01, 0x02, 0x14, 0x03, 0x04, 0x05, 0x40, 0x06, 0x3D, 0x07, 0x08, 0x09, 0x0C, 0x3C]
    references = [0x16, 0x3E, 0x0D] * 2
    module = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]
    assert ids == (information + references + [0x0F, 0x13] + module + [0x22, 0x2B]
                   + module + [0x21, 0x2B] + [0x10])
