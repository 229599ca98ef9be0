"""Build a complete vbaProject.bin (MS-OVBA) from module sources, with no Excel involved.

The project is written in its version-independent form: the ``_VBA_PROJECT`` stream is the
7-byte header with no performance cache and every module's source starts at offset 0, so
Office compiles the project from source on first open (2.3.4.1, 2.3.4.3). What goes in:

- ``PROJECT``: the text properties (2.3.1), unprotected and visible;
- ``PROJECTwm``: module names in MBCS and UTF-16 (2.3.3);
- ``VBA/dir``: compressed project information, references and module records (2.3.4.2);
- ``VBA/<module>``: each module's compressed source, ``Attribute`` lines first;
- ``VBA/_VBA_PROJECT``: the version-independent header.

Document modules stand for the workbook and its sheets; their names are the *code names*
the workbook declares (``workbook.xml`` ``codeName``, each sheet's ``codeName``), so the
caller must give the same names to whatever writes the .xlsm.
"""

from __future__ import annotations

import enum
import hashlib
import re
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pohon_xl.excel.vba.cfb import build_compound_file
from pohon_xl.excel.vba.compression import compress

__all__ = [
    "ModuleType",
    "Reference",
    "STANDARD_REFERENCES",
    "SysKind",
    "VbaModule",
    "VbaProjectError",
    "build_vba_project",
    "module_stream_text",
]

CODEPAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409
_VBA_PROJECT_HEADER = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)  # 2.3.4.1 / 3.1.1
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_ATTRIBUTE = re.compile(r"Attribute\s+(\w+)\s*=\s*(.*?)\s*\Z", re.IGNORECASE)


class VbaProjectError(ValueError):
    """The modules cannot form a VBA project (bad or duplicate name, unencodable text...)."""


class SysKind(enum.IntEnum):
    """PROJECTSYSKIND (2.3.4.2.1.1): the platform the project was last saved on."""

    WIN16 = 0
    WIN32 = 1
    MAC = 2
    WIN64 = 3


class ModuleType(enum.Enum):
    """What a module is; decides its MODULETYPE record, PROJECT line and attributes."""

    STANDARD = "standard"  # .bas; MODULETYPE 0x0021, "Module=" in PROJECT
    CLASS = "class"  # .cls; MODULETYPE 0x0022, "Class="
    WORKBOOK = "workbook"  # ThisWorkbook; MODULETYPE 0x0022, "Document=<name>/&H00000000"
    WORKSHEET = "worksheet"  # one per sheet, named by the sheet's code name

    @property
    def is_document(self) -> bool:
        return self in (ModuleType.WORKBOOK, ModuleType.WORKSHEET)


# VB_Base class IDs (the leading "0" is part of the value Office writes).
_BASES = {
    ModuleType.WORKBOOK: '"0{00020819-0000-0000-C000-000000000046}"',
    ModuleType.WORKSHEET: '"0{00020820-0000-0000-C000-000000000046}"',
    ModuleType.CLASS: '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
}
_DOCUMENT_FLAGS = (("VB_GlobalNameSpace", "False"), ("VB_Creatable", "False"),
                   ("VB_PredeclaredId", "True"), ("VB_Exposed", "True"),
                   ("VB_TemplateDerived", "False"), ("VB_Customizable", "True"))
_CLASS_FLAGS = (("VB_GlobalNameSpace", "False"), ("VB_Creatable", "False"),
                ("VB_PredeclaredId", "False"), ("VB_Exposed", "False"),
                ("VB_TemplateDerived", "False"), ("VB_Customizable", "False"))


@dataclass(frozen=True)
class VbaModule:
    """One module: its name, its code (without ``Attribute VB_Name``) and its type.

    ``attributes`` are extra or overriding ``Attribute`` lines as (name, raw VBA value), e.g.
    ``("VB_Exposed", "True")`` or ``("VB_Description", '"Says hello"')``.
    """

    name: str
    code: str = ""
    type: ModuleType = ModuleType.STANDARD
    attributes: tuple[tuple[str, str], ...] = ()
    description: str = ""

    @classmethod
    def from_export(cls, text: str, name: str | None = None,
                    module_type: ModuleType | None = None) -> VbaModule:
        """Read a module as the VBA editor exports it (``.bas``/``.cls`` text).

        The ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` header of a class is dropped; the
        leading ``Attribute`` lines become :attr:`attributes` (``VB_Name`` gives the name).
        """
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        is_class = bool(lines) and lines[0].strip().upper().startswith("VERSION ") \
            and lines[0].strip().upper().endswith("CLASS")
        if is_class:
            lines = lines[1:]
            if lines and lines[0].strip().upper() == "BEGIN":
                end = next((i for i, line in enumerate(lines) if line.strip().upper() == "END"), None)
                if end is None:
                    raise VbaProjectError("class export has BEGIN without END")
                lines = lines[end + 1:]
        attributes: list[tuple[str, str]] = []
        found_name = None
        while lines and (match := _ATTRIBUTE.match(lines[0].strip())):
            key, value = match.group(1), match.group(2)
            if key.upper() == "VB_NAME":
                found_name = value.strip('"')
            else:
                attributes.append((key, value))
            lines = lines[1:]
        module_name = name or found_name
        if not module_name:
            raise VbaProjectError("module has no Attribute VB_Name line and no name was given")
        kind = module_type or (ModuleType.CLASS if is_class else ModuleType.STANDARD)
        description = next((v.strip('"') for k, v in attributes if k.upper() == "VB_DESCRIPTION"), "")
        return cls(module_name, "\n".join(lines), kind, tuple(attributes), description)

    @classmethod
    def from_file(cls, path: Path, name: str | None = None) -> VbaModule:
        """Read an exported ``.bas``/``.cls`` file (UTF-8 or cp1252)."""
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode(ENCODING)
        return cls.from_export(text, name=name)


@dataclass(frozen=True)
class Reference:
    """A REFERENCEREGISTERED record (2.3.4.2.2.5): a type library found by its LIBID."""

    name: str
    libid: str


# The two references Office itself stores for a new Excel project ("VBA" and "Excel" are
# built in and not written to the dir stream).
STANDARD_REFERENCES = (
    Reference("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0"
                        "#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    Reference("Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0"
                        "#C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL"
                        "#Microsoft Office 16.0 Object Library"),
)


@dataclass(frozen=True)
class _Options:
    project_name: str
    project_id: str
    syskind: SysKind
    references: tuple[Reference, ...]
    docstring: str
    helpfile: str
    help_context: int
    version: tuple[int, int]
    seed: int = field(default=0)


def _mbcs(text: str, what: str) -> bytes:
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as error:
        bad = text[error.start:error.end]
        raise VbaProjectError(f"{what}: {bad!r} cannot be written in code page {CODEPAGE}") from None


def module_stream_text(module: VbaModule) -> str:
    """The source text stored in the module stream: Attribute lines, then code, CRLF ends."""
    defaults: list[tuple[str, str]] = [("VB_Name", f'"{module.name}"')]
    if module.type in _BASES:
        defaults.append(("VB_Base", _BASES[module.type]))
        defaults += _CLASS_FLAGS if module.type is ModuleType.CLASS else _DOCUMENT_FLAGS
    merged = dict((key.upper(), (key, value)) for key, value in defaults)
    for key, value in module.attributes:
        if key.upper() == "VB_NAME":
            continue
        merged[key.upper()] = (merged.get(key.upper(), (key, value))[0], value)
    lines = [f"Attribute {key} = {value}" for key, value in merged.values()]
    code = module.code.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if code:
        lines += code.split("\n")
    return "\r\n".join(lines) + "\r\n"


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_records(record_id: int, unicode_id: int, text: str, what: str) -> bytes:
    """A record with MBCS text followed by its UTF-16 twin under ``unicode_id``."""
    return _record(record_id, _mbcs(text, what)) + _record(unicode_id, text.encode("utf-16-le"))


def _dir_stream(modules: Sequence[VbaModule], options: _Options) -> bytes:
    name = _mbcs(options.project_name, "project name")
    out = bytearray()
    # PROJECTINFORMATION (2.3.4.2.1)
    out += _record(0x0001, struct.pack("<I", options.syskind))
    out += _record(0x0002, struct.pack("<I", LCID))
    out += _record(0x0014, struct.pack("<I", LCID))
    out += _record(0x0003, struct.pack("<H", CODEPAGE))
    out += _record(0x0004, name)
    out += _text_records(0x0005, 0x0040, options.docstring, "project description")
    out += _record(0x0006, _mbcs(options.helpfile, "help file")) \
        + _record(0x003D, _mbcs(options.helpfile, "help file"))
    out += _record(0x0007, struct.pack("<I", options.help_context))
    out += _record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    major, minor = options.version
    out += struct.pack("<HIIH", 0x0009, 4, major, minor)  # PROJECTVERSION: Reserved = 4
    out += _text_records(0x000C, 0x003C, "", "constants")
    # PROJECTREFERENCES (2.3.4.2.2)
    for reference in options.references:
        out += _text_records(0x0016, 0x003E, reference.name, "reference name")
        libid = _mbcs(reference.libid, "reference libid")
        out += _record(0x000D, struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0))
    # PROJECTMODULES (2.3.4.2.3)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        what = f"module {module.name}"
        out += _text_records(0x0019, 0x0047, module.name, what)  # MODULENAME(+UNICODE)
        out += _text_records(0x001A, 0x0032, module.name, what)  # MODULESTREAMNAME
        out += _text_records(0x001C, 0x0048, module.description, what)  # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at offset 0
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if module.type is ModuleType.STANDARD else 0x0022, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir stream terminator
    return bytes(out)


def _encrypt(data: bytes, project_id: str, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption (obfuscation), as upper-case hex."""
    version = 2
    project_key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = seed ^ version, seed ^ project_key
    out = bytearray([seed, version_enc, key_enc])
    unencrypted_1, encrypted_1, encrypted_2 = project_key, key_enc, version_enc
    ignored = bytes([0x07] * ((seed & 6) // 2))
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return out.hex().upper()


def _decrypt(hex_text: str, project_id: str | None = None) -> bytes:
    """Inverse of :func:`_encrypt`; checks the project key when ``project_id`` is given."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise VbaProjectError("encrypted PROJECT field has version != 2")
    project_key = seed ^ key_enc
    if project_id is not None and project_key != sum(project_id.encode("ascii")) & 0xFF:
        raise VbaProjectError("encrypted PROJECT field does not match the project ID")
    unencrypted_1, encrypted_1, encrypted_2 = project_key, key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    data = bytes(plain[ignored + 4:])
    if len(data) != length:
        raise VbaProjectError(f"encrypted PROJECT field holds {len(data)} bytes, says {length}")
    return data


def _project_stream(modules: Sequence[VbaModule], options: _Options) -> bytes:
    project_id = options.project_id
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.type.is_document:
            lines.append(f"Document={module.name}/&H00000000")
        elif module.type is ModuleType.CLASS:
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    if options.helpfile:
        lines.append(f'HelpFile="{options.helpfile}"')
    lines.append(f'Name="{options.project_name}"')
    lines.append(f'HelpContextID="{options.help_context}"')
    if options.docstring:
        lines.append(f'Description="{options.docstring}"')
    lines.append('VersionCompatible32="393222000"')
    seed = options.seed
    not_protected, no_password, visible = bytes(4), bytes([0x00]), bytes([0xFF])  # 2.3.1.15-17
    lines.append(f'CMG="{_encrypt(not_protected, project_id, seed)}"')
    lines.append(f'DPB="{_encrypt(no_password, project_id, (seed + 1) & 0xFF)}"')
    lines.append(f'GC="{_encrypt(visible, project_id, (seed + 2) & 0xFF)}"')
    lines += ["", "[Host Extender Info]", _HOST_EXTENDER, "", "[Workspace]"]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return _mbcs("\r\n".join(lines) + "\r\n", "PROJECT stream")


def _projectwm_stream(modules: Sequence[VbaModule]) -> bytes:
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name, module.name) + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _document_modules(names: Sequence[str | VbaModule]) -> list[VbaModule]:
    modules = []
    for index, item in enumerate(names):
        if isinstance(item, VbaModule):
            if not item.type.is_document:
                raise VbaProjectError(f"document module {item.name} has type {item.type.value}")
            modules.append(item)
        else:
            kind = ModuleType.WORKBOOK if index == 0 else ModuleType.WORKSHEET
            modules.append(VbaModule(item, type=kind))
    return modules


def _check(modules: Sequence[VbaModule], project_name: str) -> None:
    if not _IDENTIFIER.match(project_name):
        raise VbaProjectError(f"project name {project_name!r} is not a VBA identifier")
    seen: dict[str, str] = {}
    for module in modules:
        if not _IDENTIFIER.match(module.name):
            raise VbaProjectError(
                f"module name {module.name!r} is not a VBA identifier "
                "(a letter, then letters, digits or _, at most 31)")
        if module.name.upper() in seen:
            raise VbaProjectError(f"module name {module.name!r} is used twice")
        seen[module.name.upper()] = module.name
    workbooks = [m.name for m in modules if m.type is ModuleType.WORKBOOK]
    if len(workbooks) > 1:
        raise VbaProjectError(f"more than one workbook module: {', '.join(workbooks)}")


def build_vba_project(
    modules: Iterable[VbaModule],
    project_name: str = "PohonKinerja",
    document_modules: Sequence[str | VbaModule] = ("ThisWorkbook", "Sheet1"),
    *,
    project_id: str | None = None,
    references: Sequence[Reference] = STANDARD_REFERENCES,
    syskind: SysKind = SysKind.WIN64,
    docstring: str = "",
    helpfile: str = "",
    help_context: int = 0,
    version: tuple[int, int] = (1, 0),
) -> bytes:
    """Return the bytes of a vbaProject.bin holding ``document_modules`` then ``modules``.

    ``document_modules`` are code names: a plain string at position 0 is the workbook's,
    the others are worksheets'; pass a :class:`VbaModule` of type WORKBOOK/WORKSHEET to give
    one code. ``project_id`` is a braced GUID; by default it is derived from the project and
    module names, so the same input always gives the same bytes.
    """
    all_modules = _document_modules(document_modules) + list(modules)
    _check(all_modules, project_name)
    if project_id is None:
        names = "\n".join([project_name] + [m.name for m in all_modules])
        project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "pohon-xl:" + names)).upper() + "}"
    if not re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", project_id):
        raise VbaProjectError(f"project ID {project_id!r} is not an upper-case braced GUID")
    options = _Options(
        project_name=project_name, project_id=project_id, syskind=syskind,
        references=tuple(references), docstring=docstring, helpfile=helpfile,
        help_context=help_context, version=version,
        seed=hashlib.sha256(project_id.encode()).digest()[0],
    )
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(all_modules, options),
        "PROJECTwm": _projectwm_stream(all_modules),
        "VBA/_VBA_PROJECT": _VBA_PROJECT_HEADER,
        "VBA/dir": compress(_dir_stream(all_modules, options)),
    }
    for module in all_modules:
        text = module_stream_text(module)
        streams[f"VBA/{module.name}"] = compress(_mbcs(text, f"module {module.name}"))
    return build_compound_file(streams)
