"""workbook.xml and the parts that list sheets: rels, content types, defined names, app.xml."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.package import (
    CT_WORKSHEET, PKG_REL, REL, RT_CALC_CHAIN, RT_OFFICE_DOC, RT_WORKSHEET, STRICT_MAIN,
    STRICT_REL, Package, q,
)

# CT_Workbook child order, to put a new <definedNames> at its place.
_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
          "sheets", "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
          "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
          "fileRecoveryPr", "webPublishObjects", "extLst")
_EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_FORBIDDEN = set("[]:*?/\\")


def _lo_trap(name: str) -> bool:
    return name.startswith("'") or name.endswith("'")


@dataclass
class SheetEntry:
    name: str
    part: str  # "" when the relationship is broken
    element: etree._Element
    index: int  # position in <sheets>: what localSheetId counts


class Workbook:
    def __init__(self, package: Package) -> None:
        self.package = package
        root_rels = package.rels("")
        main = root_rels.of_type(RT_OFFICE_DOC)
        if not main:
            if any(el.get("Type", "").startswith(STRICT_REL) for el in root_rels):
                raise InputError(f"{package.label}: format Strict Open XML tidak didukung; "
                                 "simpan ulang sebagai Buku Kerja Excel (.xlsx) biasa.")
            raise InputError(f"{package.label}: bukan workbook Excel (bagian utama tidak ada).")
        self.part = root_rels.target(main[0])
        self.root = package.xml(self.part, edit=False)
        if etree.QName(self.root).namespace == STRICT_MAIN:
            raise InputError(f"{package.label}: format Strict Open XML tidak didukung; simpan "
                             "ulang sebagai Buku Kerja Excel (.xlsx) biasa.")
        self.rels = package.rels(self.part)
        sheets_el = self.root.find(q("sheets"))
        if sheets_el is None:
            raise InputError(f"{package.label}: workbook tanpa daftar sheet.")
        self.sheets_el: etree._Element = sheets_el

    def sheets(self) -> list[SheetEntry]:
        entries = []
        for index, el in enumerate(self.sheets_el.iterchildren(q("sheet"))):
            rel = self.rels.by_id(el.get(f"{{{REL}}}id", ""))
            part = self.rels.target(rel) if rel is not None else ""
            entries.append(SheetEntry(el.get("name", ""), part, el, index))
        return entries

    def find(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets() if s.name.casefold() == name.casefold()), None)

    def worksheet(self, name: str) -> SheetEntry:
        entry = self.find(name)
        if entry is None or not entry.part or entry.part not in self.package:
            raise InputError(f"{self.package.label}: sheet {name!r} tidak ditemukan.")
        if self.package.content_types.of(entry.part) != CT_WORKSHEET:
            raise InputError(f"{self.package.label}: {name!r} bukan lembar kerja biasa.")
        return entry

    def add_sheet(self, name: str) -> SheetEntry:
        """Register a new, last worksheet; returns its (still empty) part name."""
        if not name or len(name) > 31 or _FORBIDDEN & set(name) or name.startswith("'"):
            raise ValueError(f"invalid sheet name {name!r}")
        self.package.touch(self.part)
        part = self.package.unused_name(posixpath.join(posixpath.dirname(self.part),
                                                       "worksheets/sheet{}.xml"))
        rid = self.rels.add(RT_WORKSHEET, part)
        ids = [int(el.get("sheetId", 0)) for el in self.sheets_el.iterchildren(q("sheet"))]
        el = etree.SubElement(self.sheets_el, q("sheet"), name=name,
                              sheetId=str(max(ids, default=0) + 1))
        el.set(f"{{{REL}}}id", rid)
        self.package.content_types.override(part, CT_WORKSHEET)
        self._drop_app_titles()
        return SheetEntry(name, part, el, len(ids))

    def set_local_names(self, index: int, names: dict[str, str], replace: set[str]) -> None:
        """Sheet-local defined names: drop those in ``replace`` for the sheet, add ``names``."""
        container = self.root.find(q("definedNames"))
        if container is None and not names:
            return
        self.package.touch(self.part)
        if container is None:
            container = etree.Element(q("definedNames"))
            rank = _ORDER.index("definedNames")
            after = [c for c in self.root if isinstance(c.tag, str)
                     and etree.QName(c).localname in _ORDER
                     and _ORDER.index(etree.QName(c).localname) < rank]
            after[-1].addnext(container)
        for el in list(container):
            if el.get("localSheetId") == str(index) and el.get("name") in replace:
                container.remove(el)
        for name, formula in names.items():
            el = etree.SubElement(container, q("definedName"), name=name,
                                  localSheetId=str(index))
            if name == "_xlnm._FilterDatabase":
                el.set("hidden", "1")
            el.text = formula
        if not len(container):
            self.root.remove(container)

    def before_apostrophe_sheets(self, names: Iterable[str]) -> None:
        """Move the sheets ``names`` before the first sheet (other than the first) whose name
        begins or ends with an apostrophe, when they come after it.

        LibreOffice 7.4 does not load a workbook in which a sheet-local defined name (print
        titles, a filter range) sits on a sheet after such a sheet; Excel does not let a user
        name a sheet so, but other programs do. The moved sheets keep their names and print
        alike; only the tab order changes."""
        elements = list(self.sheets_el.iterchildren(q("sheet")))
        trap = next((i for i, el in enumerate(elements) if i and _lo_trap(el.get("name", ""))),
                    None)
        if trap is None:
            return
        wanted = {name.casefold() for name in names}
        moved = [i for i, el in enumerate(elements)
                 if i > trap and el.get("name", "").casefold() in wanted]
        if not moved:
            return
        order = [*range(trap), *moved, *(i for i in range(trap, len(elements)) if i not in moved)]
        new_index = {old: new for new, old in enumerate(order)}
        for el in elements:
            self.sheets_el.remove(el)
        for old in order:
            self.sheets_el.append(elements[old])
        container = self.root.find(q("definedNames"))
        for el in container if container is not None else ():
            local = el.get("localSheetId", "")
            if local.isdigit() and int(local) in new_index:
                el.set("localSheetId", str(new_index[int(local)]))
        for view in self.root.iter(q("workbookView")):
            for attribute in ("activeTab", "firstSheet"):
                value = view.get(attribute, "")
                if value.isdigit() and int(value) in new_index:
                    view.set(attribute, str(new_index[int(value)]))
        self.package.touch(self.part)
        self._drop_app_titles()

    def drop_calc_chain(self) -> None:
        """The calculation chain is a cache; stale entries make Excel 'repair' the file."""
        for rel in self.rels.of_type(RT_CALC_CHAIN):
            self.package.remove(self.rels.target(rel))
            self.rels.remove(rel)

    def _drop_app_titles(self) -> None:
        # Sheet titles in app.xml are a cache Excel rebuilds; a wrong count makes it complain.
        for rel in self.package.rels("").root.iter(q("Relationship", PKG_REL)):
            target = self.package.rels("").target(rel)
            if not target.endswith("app.xml") or target not in self.package:
                continue
            root = self.package.xml(target, edit=False)
            for tag in ("HeadingPairs", "TitlesOfParts"):
                for el in root.findall(q(tag, _EXT_PROPS)):
                    root.remove(el)
                    self.package.touch(target)

