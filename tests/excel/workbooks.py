"""Input workbooks for the writer's tests, built in code (no binary fixtures)."""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import xlsxwriter
from lxml import etree
from openpyxl.comments import Comment

L1, L2, OTHER = "L1_Sasaran_Daerah", "L2_Sasaran_PD", "Catatan Saya"
HEADERS = ["ID", "ID Induk", "Sasaran", "Indikator", "Satuan"]
VBA_BYTES = b"\xd0\xcf\x11\xe0 dummy vba project " + bytes(range(256))


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


def rich_xlsm(folder: Path) -> Path:
    """An .xlsm with everything a user may have: images, notes, validation, a chart…"""
    png = folder / "logo.png"
    png.write_bytes(tiny_png())
    vba = folder / "vbaProject.bin"
    vba.write_bytes(VBA_BYTES)
    path = folder / "rich.xlsm"
    book = xlsxwriter.Workbook(str(path))
    book.add_vba_project(str(vba))
    bold = book.add_format({"bold": True})

    l1 = book.add_worksheet(L1)
    l1.write_row(0, 0, [*HEADERS, "Kolom Saya"], bold)
    for row in range(1, 6):
        l1.write_row(row, 0, [f"S{row}", "", f"Sasaran {row}", f"Indikator {row}", "%", row])
    l1.write_string(6, 2, "=1+1")  # text that looks like a formula
    l1.write_comment("A2", "catatan pengguna", {"author": "Budi"})
    l1.insert_image("H2", str(png))
    l1.data_validation("E2:E50", {"validate": "list", "source": ["%", "unit", "dokumen"]})
    l1.conditional_format("F2:F50", {"type": "cell", "criteria": ">", "value": 3,
                                     "format": bold})
    l1.merge_range("C8:D8", "gabungan", None)
    l1.set_column(6, 6, 30)  # the user's own width on column G (our Catatan below)

    l2 = book.add_worksheet(L2)
    l2.write_row(0, 0, HEADERS)
    for row in range(1, 4):
        l2.write_row(row, 0, [f"P{row}", "S1", f"Sasaran PD {row}", "Ind", "%"])
        l2.write_row(row, 10, [1, 2, 3])
    l2.insert_button("M2", {"macro": "Validasi", "caption": "Validasi"})
    l2.insert_textbox("M6", "kotak teks pengguna")
    l2.add_sparkline("N2", {"range": f"'{L2}'!K2:M2"})

    other = book.add_worksheet(OTHER)
    other.write_column(0, 0, [1, 4, 2, 5])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": f"='{OTHER}'!$A$1:$A$4"})
    other.insert_chart("C2", chart)
    book.define_name("DaftarSatuan", f"='{OTHER}'!$A$1:$A$4")
    book.close()
    return path


def simple_xlsx(folder: Path, rows: int = 5, columns: int = 5, name: str = "simple.xlsx") -> Path:
    """An openpyxl workbook: a header row and ``rows`` data rows on L1, a user note on A2."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = L1
    sheet.append([*HEADERS, *[f"Kolom {c}" for c in range(len(HEADERS), columns)]][:columns])
    for row in range(rows):
        sheet.append([f"S{row}"] + [f"v{row}-{c}" for c in range(1, columns)])
    sheet["A2"].comment = Comment("punya pengguna", "Budi")
    book.save(path := folder / name)
    return path


def assert_consistent_package(path: Path) -> None:
    """Every part is typed and reachable, every relationship and r:id points at something."""
    with zipfile.ZipFile(path) as archive:
        data = {name: archive.read(name) for name in archive.namelist()}
    types = etree.fromstring(data["[Content_Types].xml"])
    overrides = {el.get("PartName").lstrip("/") for el in types if el.get("PartName")}
    defaults = {el.get("Extension").lower() for el in types if el.get("Extension")}
    assert overrides <= set(data), overrides - set(data)
    reachable, todo = set(), [""]
    while todo:
        source = todo.pop()
        folder, name = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name not in data:
            continue
        ids = set()
        for rel in etree.fromstring(data[rels_name]):
            ids.add(rel.get("Id"))
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            target = posixpath.normpath(target)
            assert target in data, f"{rels_name} -> missing {target}"
            if target not in reachable:
                reachable.add(target)
                todo.append(target)
        if source.endswith(".xml") and source.startswith("xl/worksheets/"):
            used = set(re.findall(rb'r:id="([^"]+)"', data[source]))
            assert {u.decode() for u in used} <= ids, (source, used, ids)
    parts = {n for n in data if not n.endswith(".rels") and n != "[Content_Types].xml"
             and not n.endswith("/")}
    assert parts <= reachable, parts - reachable
    untyped = {n for n in parts if n not in overrides and n.rsplit(".", 1)[-1].lower()
               not in defaults}
    assert not untyped, untyped
