"""Macro-enabled workbooks and the Excel add-in: ``pohon-xl makro`` and ``pohon-xl addin``.

:func:`build_macro_workbook` turns any workbook (the template or a filled one) into an
``.xlsm`` with

- a VBA project (:mod:`pohon_xl.excel.vba`): our module ``PohonKinerja`` (``macros/``),
  xlwings' standalone module ``xlwings`` and its ``Dictionary`` class, both read from the
  installed xlwings package at build time, and one document module per sheet whose name is the
  sheet's ``codeName`` (set in the workbook when missing);
- a ``xlwings.conf`` sheet (as xlwings' ``quickstart_standalone.xlsm`` has), so the workbook
  finds its Python without the xlwings add-in;
- form buttons *Validasi*, *Turunkan* and *Buka Laporan* on ``Petunjuk`` and on every level
  sheet, bound to ``PohonKinerja.Validasi`` etc. (legacy VML buttons with ``x:FmlaMacro``, as
  XlsxWriter's ``insert_button`` writes them).

Everything else in the workbook is kept: the work is done at the level of the zip's parts, the
new sheet is added by the zip-level patcher (:mod:`pohon_xl.excel.xlsxpatch`) and every other
part is copied byte for byte.

:func:`build_addin` writes ``PohonKinerja.xlam``: the same module, xlwings' *add-in* variant of
its module (``RunPython`` acts on ``ActiveWorkbook``, as xlwings' own custom add-ins do) and a
ribbon tab *Pohon Kinerja* (``customUI/customUI14.xml``) whose buttons call our macros for the
active workbook.
"""

from __future__ import annotations

import io
import os
import posixpath
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.package import (
    CT_VML, CT_WORKSHEET, MAIN, REL, RT_VML, Package, parse_xml, q,
)
from pohon_xl.excel.ooxml.notes import BLOCK, O, V, X, taken_blocks
from pohon_xl.excel.ooxml.state import shared_strings
from pohon_xl.excel.ooxml.workbook import Workbook
from pohon_xl.excel.ooxml.worksheet import insert_in_order
from pohon_xl.excel.vba import ModuleType, VbaModule, build_vba_project
from pohon_xl.model import contract as C
from pohon_xl.sheets import Cell, SheetSpec, WorkbookEdits

__all__ = [
    "ADDIN_MODULES",
    "BUTTONS",
    "CONF_SHEET",
    "MACRO_MODULES",
    "Button",
    "build_addin",
    "build_macro_workbook",
    "macros_dir",
    "vba_modules",
]

PROJECT_NAME = "PohonKinerja"
MACRO_MODULES = ("PohonKinerja.bas",)
ADDIN_MODULES = ("PohonKinerja.bas", "PohonKinerjaPita.bas")
CONF_SHEET = "xlwings.conf"

RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RT_UI14 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_ADDIN_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_PLAIN_MAINS = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                  CT_MACRO_MAIN)
CUSTOMUI14 = "http://schemas.microsoft.com/office/2009/07/customui"
BUTTON_TYPE = "_x0000_t201"


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str  # Module.Sub


BUTTONS = (
    Button("Validasi", "PohonKinerja.Validasi"),
    Button("Turunkan", "PohonKinerja.Turunkan"),
    Button("Capaian", "PohonKinerja.Capaian"),
    Button("Buka Laporan", "PohonKinerja.BukaLaporan"),
)
BUTTON_WIDTH_PX, BUTTON_HEIGHT_PX, BUTTON_GAP_PX = 150, 40, 10


# ---------------------------------------------------------------------------------------------
# VBA sources
# ---------------------------------------------------------------------------------------------
def macros_dir() -> Path:
    """Where our VBA sources live: ``POHON_XL_MACROS``, else the package's ``macros/`` (the
    repository's top-level ``macros/`` is a link to it, so a wheel ships the same files)."""
    override = os.environ.get("POHON_XL_MACROS")
    folder = Path(override) if override else Path(__file__).resolve().parent / "macros"
    if not (folder / MACRO_MODULES[0]).is_file():
        raise InputError(f"Sumber makro tidak ditemukan di {folder} (PohonKinerja.bas); "
                         "pasang pohon-xl dari repositorinya atau atur POHON_XL_MACROS.")
    return folder


def _xlwings_text(name: str) -> str:
    try:
        files = resources.files("xlwings")
    except ModuleNotFoundError:
        raise InputError("xlwings belum terpasang: jalankan `pip install pohon-xl[excel]` "
                         "(atau `pip install xlwings`).") from None
    return (files / name).read_text(encoding="utf-8-sig")


def vba_modules(*, addin: bool = False) -> list[VbaModule]:
    """Our modules from ``macros/`` and xlwings' own, ready for :func:`build_vba_project`."""
    folder = macros_dir()
    ours = [VbaModule.from_file(folder / name)
            for name in (ADDIN_MODULES if addin else MACRO_MODULES)]
    if addin:
        # xlwings' module for custom add-ins: RunPython acts on ActiveWorkbook. Its settings
        # name is "myaddin"; ours reads the same settings as the standalone workbook and the
        # xlwings add-in (the `xlwings.conf` sheet, ~/.xlwings/xlwings.conf).
        text = _xlwings_text("xlwings_custom_addin.bas").replace(
            'Public Const PROJECT_NAME As String = "myaddin"',
            'Public Const PROJECT_NAME As String = "xlwings"')
    else:
        text = _xlwings_text("xlwings.bas")
    xlwings_module = VbaModule.from_export(text)
    dictionary = VbaModule.from_export(_xlwings_text("addin/Dictionary.cls"),
                                       module_type=ModuleType.CLASS)
    return [*ours, xlwings_module, dictionary]


# ---------------------------------------------------------------------------------------------
# The xlwings.conf sheet
# ---------------------------------------------------------------------------------------------
def default_interpreters() -> dict[str, str]:
    """The Python running this command, for the platform it runs on (the planner's own)."""
    if sys.platform.startswith("win"):
        return {"Interpreter_Win": sys.executable}
    if sys.platform == "darwin":
        return {"Interpreter_Mac": sys.executable}
    return {}


def conf_sheet(settings: dict[str, str | bool]) -> SheetSpec:
    """``xlwings.conf``: keys in A, values in B, from A1 down without a gap (xlwings stops at
    the first empty key), then a short guide below."""
    rows: list[list[Cell | None]] = [[Cell(key, "bold"), Cell(value, "plain")]
                                     for key, value in settings.items()]
    guide = [
        "Pengaturan xlwings untuk tombol pohon-xl di workbook ini.",
        "Interpreter_Win / Interpreter_Mac: path lengkap python.exe (Windows) atau python "
        "(macOS) yang memasang pohon-xl, mis. C:\\Users\\nama\\pohon\\.venv\\Scripts\\python.exe.",
        "Baris yang dihapus memakai pengaturan add-in xlwings atau ~/.xlwings/xlwings.conf.",
        "Kunci harus mulai di A1 tanpa baris kosong di antaranya.",
    ]
    rows.append([None, None])
    rows += [[Cell(text, "plain")] for text in guide]
    return SheetSpec(name=CONF_SHEET, rows=rows, widths={1: 22, 2: 70}, protect=False)


# ---------------------------------------------------------------------------------------------
# Buttons: legacy VML form controls
# ---------------------------------------------------------------------------------------------
def _column_pixels(sheet: etree._Element, count: int) -> list[int]:
    """Widths in pixels of the first ``count`` columns (Calibri 11: 7 px a character + 5)."""
    fmt = sheet.find(q("sheetFormatPr"))
    default = float(fmt.get("defaultColWidth", 0) or 0) if fmt is not None else 0
    default = default or (float(fmt.get("baseColWidth", 8)) if fmt is not None
                          and fmt.get("baseColWidth") else 8) + 0.71
    widths = [default] * count
    cols = sheet.find(q("cols"))
    if cols is not None:
        for col in cols.iterchildren(q("col")):
            first, last = int(col.get("min", 1)), int(col.get("max", 1))
            for index in range(first, min(last, count) + 1):
                widths[index - 1] = float(col.get("width", default))
    return [int(w * 7 + 5) if w else 0 for w in widths]


def _row_pixels(sheet: etree._Element, count: int) -> list[int]:
    fmt = sheet.find(q("sheetFormatPr"))
    default = float(fmt.get("defaultRowHeight", 15)) if fmt is not None else 15.0
    heights = [default] * count
    data = sheet.find(q("sheetData"))
    if data is not None:
        for row in data.iterchildren(q("row")):
            r = int(row.get("r", 0) or 0)
            height = row.get("ht")
            if 1 <= r <= count and height:
                heights[r - 1] = float(height)
    return [round(h * 4 / 3) for h in heights]


def _locate(edges: list[int], start_index: int, offset_px: int) -> tuple[int, int]:
    """From ``offset_px`` past the start of cell ``start_index`` (0-based): (cell, offset)."""
    index, offset = start_index, offset_px
    while index < len(edges) and offset >= edges[index] and edges[index] > 0:
        offset -= edges[index]
        index += 1
    return index, offset


def _header_row(sheet: etree._Element, strings: list[str]) -> dict[int, str]:
    """Row 1 as {1-based column: text}."""
    data = sheet.find(q("sheetData"))
    row = data.find(q("row")) if data is not None else None
    if row is None or row.get("r", "1") != "1":
        return {}
    labels: dict[int, str] = {}
    for index, cell in enumerate(row.iterchildren(q("c")), start=1):
        letters = "".join(ch for ch in cell.get("r", "") if ch.isalpha())
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        col = col or index
        value = cell.findtext(q("v"))
        if cell.get("t") == "s" and value is not None and value.strip().isdigit() \
                and int(value) < len(strings):
            text = strings[int(value)]
        elif cell.get("t") == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(q("t")))
        else:
            text = value or ""
        if text.strip():
            labels[col] = text
    return labels


def _button_origin(name: str, sheet: etree._Element, strings: list[str]) -> tuple[int, int]:
    """Top-left cell (0-based column, row) of the button stack on a sheet."""
    if name.casefold() == C.PETUNJUK.casefold():
        return 4, 1  # right of the guide's text (A:D), from row 2
    labels = _header_row(sheet, strings)
    last = max(labels, default=0)
    if C.normalise_header(C.STATUS) not in {C.normalise_header(v) for v in labels.values()}:
        last += 2  # Status and Catatan Validasi will be added at the right
    return last + 1, 0  # one empty column after them, from row 1


Anchor = tuple[int, int, int, int, int, int, int, int]  # x:Anchor: col, dx, row, dy (from, to)


def _button_shape(spid: int, button: Button, anchor: Anchor, style: str) -> etree._Element:
    shape = etree.Element(f"{{{V}}}shape", {
        "id": f"_x0000_s{spid}", "type": "#" + BUTTON_TYPE, "style": style,
        f"{{{O}}}button": "t", "fillcolor": "buttonFace [67]", "strokecolor": "windowText [64]",
        f"{{{O}}}insetmode": "auto"})
    etree.SubElement(shape, f"{{{V}}}fill", {"color2": "buttonFace [67]",
                                              f"{{{O}}}detectmouseclick": "t"})
    etree.SubElement(shape, f"{{{O}}}lock", {f"{{{V}}}ext": "edit", "rotation": "t"})
    box = etree.SubElement(shape, f"{{{V}}}textbox", {"style": "mso-direction-alt:auto",
                                                       f"{{{O}}}singleclick": "f"})
    div = etree.SubElement(box, "div", style="text-align:center")
    font = etree.SubElement(div, "font", face="Calibri", size="220", color="#000000")
    font.text = button.caption
    data = etree.SubElement(shape, f"{{{X}}}ClientData", ObjectType="Button")
    etree.SubElement(data, f"{{{X}}}Anchor").text = ", ".join(str(n) for n in anchor)
    etree.SubElement(data, f"{{{X}}}PrintObject").text = "False"
    etree.SubElement(data, f"{{{X}}}AutoFill").text = "False"
    etree.SubElement(data, f"{{{X}}}FmlaMacro").text = f"[0]!{button.macro}"
    etree.SubElement(data, f"{{{X}}}TextHAlign").text = "Center"
    etree.SubElement(data, f"{{{X}}}TextVAlign").text = "Center"
    return shape


def _button_shapetype() -> etree._Element:
    shapetype = etree.Element(f"{{{V}}}shapetype", {
        "id": BUTTON_TYPE, "coordsize": "21600,21600", f"{{{O}}}spt": "201",
        "path": "m,l,21600r21600,l21600,xe"})
    etree.SubElement(shapetype, f"{{{V}}}stroke", joinstyle="miter")
    etree.SubElement(shapetype, f"{{{V}}}path", {"shadowok": "f", f"{{{O}}}extrusionok": "f",
                                                 "strokeok": "f", "fillok": "f",
                                                 f"{{{O}}}connecttype": "rect"})
    etree.SubElement(shapetype, f"{{{O}}}lock", {f"{{{V}}}ext": "edit", "shapetype": "t"})
    return shapetype


def _our_macros(vml: etree._Element) -> set[str]:
    return {(el.text or "").strip() for el in vml.iter(f"{{{X}}}FmlaMacro")}


def _add_buttons(package: Package, part: str, name: str, blocks: set[int],
                 strings: list[str]) -> bool:
    """Put the three buttons on one sheet (once: a sheet that has them keeps its own)."""
    sheet = package.xml(part, edit=False)
    rels = package.rels(part)
    legacy = sheet.find(q("legacyDrawing"))
    rel = rels.by_id(legacy.get(f"{{{REL}}}id", "")) if legacy is not None else None
    vml_part = rels.target(rel) if rel is not None else ""
    if vml_part and vml_part in package:
        data = package.read(vml_part)
        try:
            vml = parse_xml(data, vml_part)
        except InputError:
            import re

            vml = parse_xml(re.sub(rb"<br\s*>", b"<br/>", data), vml_part)
        if {f"[0]!{b.macro}" for b in BUTTONS} <= _our_macros(vml):
            return False
    else:
        vml_part = ""
        vml = etree.Element("xml", nsmap={"v": V, "o": O, "x": X})
        etree.SubElement(vml, f"{{{O}}}shapelayout", {f"{{{V}}}ext": "edit"})
    layout = vml.find(f"{{{O}}}shapelayout")
    if layout is None:
        layout = etree.Element(f"{{{O}}}shapelayout", {f"{{{V}}}ext": "edit"})
        vml.insert(0, layout)
    idmap = layout.find(f"{{{O}}}idmap")
    if idmap is None:
        idmap = etree.SubElement(layout, f"{{{O}}}idmap", {f"{{{V}}}ext": "edit", "data": ""})
    block = max(blocks | {0}) + 1  # a fresh block of shape ids for our buttons
    blocks.add(block)
    own = [b for b in idmap.get("data", "").replace(" ", "").split(",") if b]
    idmap.set("data", ",".join(own + [str(block)]))
    if not any(st.get("id") == BUTTON_TYPE for st in vml.iter(f"{{{V}}}shapetype")):
        vml.insert(vml.index(layout) + 1, _button_shapetype())
    col0, row0 = _button_origin(name, sheet, strings)
    col_px = _column_pixels(sheet, col0 + 30)
    row_px = _row_pixels(sheet, row0 + 30)
    left_pt = sum(col_px[:col0]) * 0.75
    top_px = 6
    for index, button in enumerate(BUTTONS):
        top = top_px + index * (BUTTON_HEIGHT_PX + BUTTON_GAP_PX)
        c1, o1 = _locate(col_px, col0, 8)
        r1, p1 = _locate(row_px, row0, top)
        c2, o2 = _locate(col_px, col0, 8 + BUTTON_WIDTH_PX)
        r2, p2 = _locate(row_px, row0, top + BUTTON_HEIGHT_PX)
        top_pt = (sum(row_px[:row0]) + top) * 0.75
        style = (f"position:absolute;margin-left:{left_pt + 6:.2f}pt;margin-top:{top_pt:.2f}pt;"
                 f"width:{BUTTON_WIDTH_PX * 0.75:.2f}pt;height:{BUTTON_HEIGHT_PX * 0.75:.2f}pt;"
                 f"z-index:{index + 1};mso-wrap-style:tight")
        vml.append(_button_shape(block * BLOCK + 1 + index, button,
                                 (c1, o1, r1, p1, c2, o2, r2, p2), style))
    if vml_part:
        package.put_xml(vml_part, vml)
    else:
        vml_part = package.unused_name("xl/drawings/vmlDrawing{}.vml")
        package.put_xml(vml_part, vml)
        package.content_types.ensure_default("vml", CT_VML)
        rid = rels.add(RT_VML, vml_part)
        sheet = package.xml(part)
        element = insert_in_order(sheet, etree.Element(q("legacyDrawing")))
        element.set(f"{{{REL}}}id", rid)
    return True


# ---------------------------------------------------------------------------------------------
# Code names, the VBA part, the main content type
# ---------------------------------------------------------------------------------------------
def _workbook_code_name(package: Package, book: Workbook) -> str:
    root = package.xml(book.part)
    pr = root.find(q("workbookPr"))
    if pr is None:  # CT_Workbook: fileVersion?, fileSharing?, workbookPr?, …
        pr = etree.Element(q("workbookPr"))
        anchor = next((el for el in (root.find(q("fileSharing")), root.find(q("fileVersion")))
                       if el is not None), None)
        if anchor is not None:
            anchor.addnext(pr)
        else:
            root.insert(0, pr)
    name = pr.get("codeName") or "ThisWorkbook"
    pr.set("codeName", name)
    return name


def _sheet_code_names(package: Package, book: Workbook, taken: set[str]) -> list[str]:
    """Every worksheet's codeName in workbook order, assigning ``SheetN`` where missing."""
    names: list[str] = []
    used = {t.casefold() for t in taken}
    pending: list[tuple[int, str]] = []  # (index in names, sheet part)
    for entry in book.sheets():
        if not entry.part or package.content_types.of(entry.part) != CT_WORKSHEET:
            continue
        root = package.xml(entry.part, edit=False)
        pr = root.find(q("sheetPr"))
        code = pr.get("codeName") if pr is not None else None
        if code and code.casefold() not in used and _valid_identifier(code):
            used.add(code.casefold())
            names.append(code)
        else:
            names.append("")
            pending.append((len(names) - 1, entry.part))
    counter = 1
    for index, part in pending:
        while f"sheet{counter}" in used:
            counter += 1
        code = f"Sheet{counter}"
        used.add(code.casefold())
        names[index] = code
        root = package.xml(part)
        pr = root.find(q("sheetPr"))
        if pr is None:
            pr = insert_in_order(root, etree.Element(q("sheetPr")))
        pr.set("codeName", code)
    return names


def _valid_identifier(name: str) -> bool:
    return name[:1].isalpha() and len(name) <= 31 and all(ch.isalnum() or ch == "_"
                                                          for ch in name) and name.isascii()


def _put_vba(package: Package, book: Workbook, vba: bytes, main_type: str) -> None:
    found = book.rels.of_type(RT_VBA)
    if found:
        part = book.rels.target(found[0])
    else:
        part = posixpath.join(posixpath.dirname(book.part), "vbaProject.bin")
        book.rels.add(RT_VBA, part)
    package.put_bytes(part, vba)
    package.content_types.ensure_default("bin", CT_VBA)
    package.content_types.override(book.part, main_type)


def _check_existing_vba(package: Package, book: Workbook, replace_foreign: bool) -> None:
    found = book.rels.of_type(RT_VBA)
    if not found:
        return
    part = book.rels.target(found[0])
    if part in package and PROJECT_NAME.encode("utf-16-le") not in package.read(part) \
            and not replace_foreign:
        raise InputError(
            f"{package.label} sudah berisi makro lain; makro itu akan tertimpa. Simpan "
            "salinannya, lalu jalankan lagi dengan --ganti-makro.")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def build_macro_workbook(src: str | Path, dst: str | Path, *,
                         settings: dict[str, str | bool] | None = None,
                         replace_foreign_macros: bool = False) -> Path:
    """Write ``dst`` (.xlsm): ``src`` with our macros, xlwings, its settings sheet and buttons.

    ``settings`` are the rows of the ``xlwings.conf`` sheet (default: this Python as the
    interpreter for this platform, plus xlwings' usual switches). Raises :class:`InputError`
    for unreadable input or when ``src`` already holds someone else's VBA (unless
    ``replace_foreign_macros``).
    """
    from pohon_xl.excel import xlsxpatch
    from pohon_xl.excel.read import check_file

    src, dst = Path(src), Path(dst)
    check_file(src)
    if dst.suffix.lower() != ".xlsm":
        raise InputError("Berkas makro harus berakhiran .xlsm.")
    if settings is None:
        settings = {**default_interpreters(), "Debug UDFs": False, "Use UDF Server": False,
                    "Show Console": False}
    # 1. The settings sheet, added (or replaced) by the zip-level patcher.
    staged = io.BytesIO()
    xlsxpatch.patch(src, staged, WorkbookEdits(sheets=[conf_sheet(settings)],
                                               clear_marks=False))
    staged.seek(0)
    package = Package.open(staged, src.name)
    book = Workbook(package)
    main_type = package.content_types.of(book.part)
    if main_type not in CT_PLAIN_MAINS:
        raise InputError(f"{src.name}: jenis workbook ini tidak didukung ({main_type}).")
    _check_existing_vba(package, book, replace_foreign_macros)
    # 2. Buttons on Petunjuk and the level sheets.
    blocks = taken_blocks(package)
    strings = shared_strings(package, book)
    targets = {C.normalise_header(n) for n in (C.PETUNJUK, *(s.sheet for s in C.LEVELS))}
    for entry in book.sheets():
        if C.normalise_header(entry.name) in targets and entry.part in package \
                and package.content_types.of(entry.part) == CT_WORKSHEET:
            _add_buttons(package, entry.part, entry.name, blocks, strings)
    # 3. Code names and the VBA project whose document modules carry them.
    workbook_code = _workbook_code_name(package, book)
    sheet_codes = _sheet_code_names(package, book, {workbook_code})
    vba = build_vba_project(vba_modules(), PROJECT_NAME, [workbook_code, *sheet_codes])
    _put_vba(package, book, vba, CT_MACRO_MAIN)
    _save(package, dst)
    return dst


def _save(package: Package, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    temp = dst.with_name(f".{dst.name}.tmp")
    try:
        with temp.open("wb") as out:
            package.save(out)
        os.replace(temp, dst)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


_RIBBON = f"""<customUI xmlns="{CUSTOMUI14}">
  <ribbon>
    <tabs>
      <tab id="pohonKinerjaTab" label="Pohon Kinerja">
        <group id="pohonKinerjaGroup" label="Pohon Kinerja">
          <button id="pkValidasi" label="Validasi" size="large" imageMso="AcceptInvitation"
                  screentip="Periksa workbook aktif dan tandai setiap masalah"
                  onAction="PohonKinerjaPita.PitaValidasi"/>
          <button id="pkTurunkan" label="Turunkan" size="large" imageMso="TableInsert"
                  screentip="Validasi, lalu isi PK, Program, Kegiatan, Subkegiatan, SKP"
                  onAction="PohonKinerjaPita.PitaTurunkan"/>
          <button id="pkCapaian" label="Capaian" size="large" imageMso="ChartInsert"
                  screentip="Hitung capaian kinerja dari sheet Realisasi: Capaian_Kinerja, LKjIP"
                  onAction="PohonKinerjaPita.PitaCapaian"/>
          <button id="pkLaporan" label="Buka Laporan" size="large" imageMso="FileOpen"
                  screentip="Lompat ke sheet Laporan_Validasi"
                  onAction="PohonKinerjaPita.PitaBukaLaporan"/>
        </group>
      </tab>
    </tabs>
  </ribbon>
</customUI>
"""

_ADDIN_PARTS = {
    "[Content_Types].xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="{CT_VBA}"/>
<Override PartName="/xl/workbook.xml" ContentType="{CT_ADDIN_MAIN}"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT_WORKSHEET}"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>""",
    "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId4" Type="{RT_UI14}" Target="customUI/customUI14.xml"/>
</Relationships>""",
    "docProps/core.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Pohon Kinerja</dc:title><dc:description>Tab Pohon Kinerja: Validasi, Turunkan, Buka Laporan (pohon-xl)</dc:description><dc:creator>pohon-xl</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created></cp:coreProperties>""",
    "docProps/app.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>""",
    "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr codeName="ThisWorkbook"/><bookViews><workbookView/></bookViews><sheets><sheet name="PohonKinerja" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{RT_VBA}" Target="vbaProject.bin"/>
</Relationships>""",
    "xl/worksheets/sheet1.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetPr codeName="Sheet1"/><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Add-in pohon-xl: tab Pohon Kinerja (Validasi, Turunkan, Buka Laporan).</t></is></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>""",
    "xl/styles.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""",
}


def build_addin(dst: str | Path) -> Path:
    """Write the Excel add-in ``dst`` (.xlam) with the ribbon tab *Pohon Kinerja*."""
    dst = Path(dst)
    if dst.suffix.lower() != ".xlam":
        raise InputError("Berkas add-in harus berakhiran .xlam.")
    vba = build_vba_project(vba_modules(addin=True), PROJECT_NAME, ["ThisWorkbook", "Sheet1"])
    parse_xml(_RIBBON.encode(), "customUI14.xml")  # well-formed, or fail here
    dst.parent.mkdir(parents=True, exist_ok=True)
    temp = dst.with_name(f".{dst.name}.tmp")
    date = (2025, 1, 1, 0, 0, 0)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as out:
            for name, text in _ADDIN_PARTS.items():
                out.writestr(zipfile.ZipInfo(name, date), text.encode("utf-8"),
                             zipfile.ZIP_DEFLATED)
            out.writestr(zipfile.ZipInfo("customUI/customUI14.xml", date),
                         _RIBBON.encode("utf-8"), zipfile.ZIP_DEFLATED)
            out.writestr(zipfile.ZipInfo("xl/vbaProject.bin", date), vba, zipfile.ZIP_DEFLATED)
        os.replace(temp, dst)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return dst
