"""What a run leaves for the next one, read from the package: the marks registry sheet
(:mod:`pohon_xl.marks`) and, from earlier versions, a custom XML part of cloned formats.

The custom XML part is only read (and then dropped): LibreOffice and openpyxl lose it on a
save, so marks are no longer kept there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pohon_xl.excel.ooxml.cellref import split_ref
from pohon_xl.excel.ooxml.package import REL, RT_CUSTOM_XML, RT_CUSTOM_XML_PROPS, Package, q
from pohon_xl.excel.ooxml.workbook import Workbook
from pohon_xl.marks import REGISTRY_SHEET, Mark, read_registry

NS = "urn:pohon-xl:marks:1"  # the custom XML part of versions before the registry sheet


@dataclass
class LegacyState:
    """An earlier version's record: clone xf -> (its base xf, our fill), the sheets marked."""

    clones: dict[int, tuple[int, str]] = field(default_factory=dict)
    sheets: set[str] = field(default_factory=set)  # worksheet parts


def shared_strings(package: Package, book: Workbook) -> list[str]:
    found = book.rels.of_type(REL + "/sharedStrings")
    if not found or book.rels.target(found[0]) not in package:
        return []
    root = package.xml(book.rels.target(found[0]), edit=False)
    return ["".join(t.text or "" for t in si.iter(q("t"))) for si in root.iterchildren(q("si"))]


def sheet_values(package: Package, part: str, strings: list[str]) -> list[list[object]]:
    """A worksheet's values as rows from A1 (text, numbers; formulas as their cached value)."""
    rows: list[list[object]] = []
    data = package.xml(part, edit=False).find(q("sheetData"))
    for row in data.iterchildren(q("row")) if data is not None else ():
        for index, cell in enumerate(row.iterchildren(q("c"))):
            number, col = split_ref(cell.get("r", "")) if cell.get("r") else (
                int(row.get("r", len(rows) + 1)), index + 1)
            kind, raw = cell.get("t", "n"), cell.findtext(q("v"))
            value: object
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(q("t")))
            elif kind == "s" and raw is not None and raw.strip().isdigit() \
                    and int(raw) < len(strings):
                value = strings[int(raw)]
            elif kind in ("str", "e") or raw is None:
                value = raw
            else:
                try:
                    value = float(raw)
                except ValueError:
                    value = raw
            while len(rows) < number:
                rows.append([])
            line = rows[number - 1]
            line.extend([None] * (col - len(line)))
            line[col - 1] = value
    return rows


def load_registry(package: Package, book: Workbook) -> list[Mark]:
    entry = book.find(REGISTRY_SHEET)
    if entry is None or not entry.part or entry.part not in package:
        return []
    return read_registry(sheet_values(package, entry.part, shared_strings(package, book)))


def take_legacy(package: Package, book: Workbook) -> LegacyState:
    """An earlier version's custom XML part, read and removed from the package."""
    state = LegacyState()
    for rel in book.rels.of_type(RT_CUSTOM_XML):
        part = book.rels.target(rel)
        if part not in package or NS.encode() not in package.read(part)[:400]:
            continue
        root = package.xml(part, edit=False)
        for el in root.iter(q("clone", NS)):
            state.clones[int(el.get("xf", "0"))] = (int(el.get("base", "0")), el.get("fill", ""))
        state.sheets |= {el.get("part", "") for el in root.iter(q("sheet", NS))}
        if package.has_rels(part):
            rels = package.rels(part)
            for props in rels.of_type(RT_CUSTOM_XML_PROPS):
                if rels.target(props) in package:
                    package.remove(rels.target(props))
        package.remove(part)  # removes its rels and content type too (see Package.remove)
        book.rels.remove(rel)
    return state
