"""What a run leaves for the next one: our cloned cell formats and the sheets we marked.

Kept in a custom XML part (Excel and LibreOffice carry those through a save untouched), so a
re-run can put marked cells back to their own format and reuse the clones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pohon_xl.excel.ooxml.package import (
    CT_CUSTOM_XML_PROPS, CT_XML, RT_CUSTOM_XML, RT_CUSTOM_XML_PROPS, Package, q,
)

NS = "urn:pohon-xl:marks:1"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_ITEM_ID = "{6F1E2A5C-7B7D-4C55-9D0B-504F484F4E58}"


@dataclass
class MarkState:
    clones: dict[int, tuple[int, str]] = field(default_factory=dict)  # clone xf -> (base, rgb)
    sheets: set[str] = field(default_factory=set)  # worksheet parts holding our marks
    part: str = ""  # where it was read from

    def clone_for(self, base: int, rgb: str) -> int | None:
        return next((c for c, key in self.clones.items() if key == (base, rgb)), None)


def _our_part(package: Package, workbook_part: str) -> str:
    rels = package.rels(workbook_part)
    for rel in rels.of_type(RT_CUSTOM_XML):
        target = rels.target(rel)
        if target in package and NS.encode() in package.read(target)[:400]:
            return target
    return ""


def load_state(package: Package, workbook_part: str) -> MarkState:
    part = _our_part(package, workbook_part)
    state = MarkState(part=part)
    if part:
        root = package.xml(part, edit=False)
        for el in root.iter(q("clone", NS)):
            state.clones[int(el.get("xf"))] = (int(el.get("base")), el.get("fill", ""))
        state.sheets = {el.get("part", "") for el in root.iter(q("sheet", NS))}
    return state


def save_state(package: Package, workbook_part: str, state: MarkState) -> None:
    if not state.part and not state.clones and not state.sheets:
        return  # nothing to remember: leave the workbook free of our part
    root = etree.Element(q("marks", NS), nsmap={None: NS})
    for clone, (base, rgb) in sorted(state.clones.items()):
        etree.SubElement(root, q("clone", NS), xf=str(clone), base=str(base), fill=rgb)
    for part in sorted(state.sheets):
        etree.SubElement(root, q("sheet", NS), part=part)
    if state.part:
        package.put_xml(state.part, root)
        return
    state.part = package.unused_name("customXml/item{}.xml")
    props = state.part.replace("/item", "/itemProps")
    if package.content_types.of(state.part) != CT_XML:
        package.content_types.override(state.part, CT_XML)
    package.put_xml(state.part, root)
    item = etree.Element(q("datastoreItem", _DS), {q("itemID", _DS): _ITEM_ID},
                         nsmap={"ds": _DS})
    etree.SubElement(item, q("schemaRefs", _DS))
    package.put_xml(props, item, CT_CUSTOM_XML_PROPS)
    package.rels(state.part).add(RT_CUSTOM_XML_PROPS, props)
    package.rels(workbook_part).add(RT_CUSTOM_XML, state.part)
