"""Excel notes (legacy comments) of one worksheet: the comments part and its VML shapes.

Notes are merged into what the sheet already has (the user's notes, form buttons drawn in the
same VML part); ours are told apart by their author, ``pohon-xl``, or by the first line of
their text (:func:`pohon_xl.marks.is_our_note`).
"""

from __future__ import annotations

import re

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.cellref import clean_text, split_ref
from pohon_xl.excel.ooxml.package import (
    CT_COMMENTS, CT_VML, MAIN, REL, RT_COMMENTS, RT_VML, Package, parse_xml, q,
)
from pohon_xl.excel.ooxml.worksheet import XML_SPACE, child, insert_in_order
from pohon_xl.marks import NOTE_AUTHOR, NOTE_PREFIX, is_our_note

AUTHOR = NOTE_AUTHOR
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"
X = "urn:schemas-microsoft-com:office:excel"
NOTE_TYPE = "_x0000_t202"
BLOCK = 1024  # VML shape ids come in blocks of 1024, listed by <o:idmap data="…">

_IDMAP = re.compile(rb'<(?:\w+:)?idmap[^>]*data="([\d,\s]*)"')
_SPID = re.compile(r"_x0000_s(\d+)")


def taken_blocks(package: Package) -> set[int]:
    """Shape-id blocks used by every VML part of the workbook."""
    blocks: set[int] = set()
    for name in package.names():
        if package.content_types.of(name) == CT_VML or name.casefold().endswith(".vml"):
            for match in _IDMAP.finditer(package.read(name)):
                blocks |= {int(b) for b in match.group(1).replace(b" ", b"").split(b",") if b}
    return blocks


def _ours(comments: etree._Element) -> dict[str, etree._Element]:
    """Our comments of a comments part, by cell reference."""
    authors = child(comments, "authors", create=False)
    names = [a.text for a in authors] if authors is not None else []
    found = {}
    for comment in comments.iter(q("comment")):
        index = comment.get("authorId", "")
        author = names[int(index)] if index.isdigit() and int(index) < len(names) else None
        if is_our_note("".join(t.text or "" for t in comment.iter(q("t"))), author):
            found[comment.get("ref", "").upper()] = comment
    return found


def our_note_cells(package: Package, sheet_part: str) -> set[tuple[int, int]]:
    """(row, column) of every cell of a worksheet that carries a note of ours."""
    if not package.has_rels(sheet_part):
        return set()
    rels = package.rels(sheet_part)
    cells: set[tuple[int, int]] = set()
    for rel in rels.of_type(RT_COMMENTS):
        part = rels.target(rel)
        if part in package:
            cells |= {split_ref(r) for r in _ours(package.xml(part, edit=False)) if r}
    return cells


def _parse_vml(data: bytes, what: str) -> etree._Element:
    try:
        return parse_xml(data, what)
    except InputError:
        # Excel's VML is HTML-ish: an unclosed <br> is the usual culprit.
        return parse_xml(re.sub(rb"<br\s*>", b"<br/>", data), what)


def _new_vml(block: int) -> etree._Element:
    root = etree.Element("xml", nsmap={"v": V, "o": O, "x": X})
    layout = etree.SubElement(root, f"{{{O}}}shapelayout", {f"{{{V}}}ext": "edit"})
    etree.SubElement(layout, f"{{{O}}}idmap", {f"{{{V}}}ext": "edit", "data": str(block)})
    return root


def _note_shapetype() -> etree._Element:
    shapetype = etree.Element(f"{{{V}}}shapetype", {
        "id": NOTE_TYPE, "coordsize": "21600,21600", f"{{{O}}}spt": "202",
        "path": "m,l,21600r21600,l21600,xe"})
    etree.SubElement(shapetype, f"{{{V}}}stroke", joinstyle="miter")
    etree.SubElement(shapetype, f"{{{V}}}path", {"gradientshapeok": "t",
                                                 f"{{{O}}}connecttype": "rect"})
    return shapetype


class SheetNotes:
    def __init__(self, package: Package, sheet_part: str, sheet: etree._Element,
                 blocks: set[int]) -> None:
        self.package, self.part, self.sheet, self.blocks = package, sheet_part, sheet, blocks
        self.rels = package.rels(sheet_part)
        found = self.rels.of_type(RT_COMMENTS)
        self.comments_rel = found[0] if found else None
        self.comments_part = self.rels.target(found[0]) if found else ""
        self.changed = False
        if self.comments_part:
            self.comments = package.xml(self.comments_part, edit=False)
        else:
            self.comments = etree.Element(q("comments"), nsmap={None: MAIN})
        authors = child(self.comments, "authors", create=False)
        if authors is None:
            authors = etree.Element(q("authors"))
            self.comments.insert(0, authors)
        self.authors: etree._Element = authors
        comment_list = self.comments.find(q("commentList"))
        if comment_list is None:
            comment_list = etree.SubElement(self.comments, q("commentList"))
        self.list: etree._Element = comment_list
        self._load_vml()

    def _load_vml(self) -> None:
        self.legacy = self.sheet.find(q("legacyDrawing"))
        rel = self.rels.by_id(self.legacy.get(f"{{{REL}}}id", "")) if self.legacy is not None \
            else None
        self.vml_part = self.rels.target(rel) if rel is not None else ""
        if self.vml_part and self.vml_part in self.package:
            data = self.package.read(self.vml_part)
            self.vml = _parse_vml(data, f"{self.vml_part} di {self.package.label}")
        else:
            if self.legacy is not None:  # points at nothing: a new drawing replaces it
                self.sheet.remove(self.legacy)
            self.legacy, self.vml_part = None, ""
            block = max(self.blocks | {0}) + 1
            self.blocks.add(block)
            self.vml = _new_vml(block)
        self._next_id = self._first_free_id()
        self._index()

    # -- comments ---------------------------------------------------------------------------
    def _author_id(self, create: bool) -> int | None:
        for index, author in enumerate(self.authors):
            if author.text == AUTHOR:
                return index
        if not create:
            return None
        etree.SubElement(self.authors, q("author")).text = AUTHOR
        return len(self.authors) - 1

    def _index(self) -> None:
        """Comments by cell and note shapes by (row, column), built once."""
        self._comments = {c.get("ref", "").upper(): c
                          for c in self.list.iterchildren(q("comment"))}
        self._our_refs = set(_ours(self.comments))
        self._shapes: dict[tuple[int, int], etree._Element] = {}
        for shape in self.vml.iterchildren(f"{{{V}}}shape"):
            data = shape.find(f"{{{X}}}ClientData")
            if data is None or data.get("ObjectType") != "Note":
                continue
            row, col = data.findtext(f"{{{X}}}Row"), data.findtext(f"{{{X}}}Column")
            if row and col and row.strip().isdigit() and col.strip().isdigit():
                self._shapes[(int(row) + 1, int(col) + 1)] = shape

    def _is_ours(self, comment: etree._Element) -> bool:
        return comment.get("ref", "").upper() in self._our_refs

    def remove_ours(self, refs: set[str] | None = None) -> None:
        """Remove our notes (all of them, or those on ``refs``) with their shapes."""
        for ref in list(self._comments) if refs is None else refs:
            comment = self._comments.get(ref)
            if comment is None or not self._is_ours(comment):
                continue
            self.list.remove(comment)
            del self._comments[ref]
            self._our_refs.discard(ref)
            shape = self._shapes.pop(split_ref(ref), None)
            if shape is not None:
                self.vml.remove(shape)
            self.changed = True

    def put(self, ref: str, text: str) -> bool:
        """Our note on ``ref`` (replacing an earlier one of ours; never the user's); whether
        it was put."""
        ref = ref.upper()
        if ref in self._comments and not self._is_ours(self._comments[ref]):
            return False  # one note per cell: the user's wins; the message is in Catatan Validasi
        self.remove_ours({ref})
        comment = self._comments[ref] = etree.SubElement(self.list, q("comment"), ref=ref,
                                   authorId=str(self._author_id(create=True)), shapeId="0")
        self._our_refs.add(ref)
        body = etree.SubElement(comment, q("text"))
        for bold, piece in ((True, NOTE_PREFIX), (False, "\n" + clean_text(text))):
            run = etree.SubElement(body, q("r"))
            props = etree.SubElement(run, q("rPr"))
            if bold:
                etree.SubElement(props, q("b"))
            etree.SubElement(props, q("sz"), val="9")
            etree.SubElement(props, q("rFont"), val="Tahoma")
            t = etree.SubElement(run, q("t"))
            t.text = piece
            t.set(XML_SPACE, "preserve")
        self.changed = True
        row, column = split_ref(ref)
        self._shapes[(row, column)] = self._shape(row - 1, column - 1, text)
        self.vml.append(self._shapes[(row, column)])
        return True

    # -- VML ----------------------------------------------------------------------------------
    def _first_free_id(self) -> int:
        used = [int(n) for el in self.vml.iter() if isinstance(el.tag, str)
                for n in _SPID.findall(el.get("id", "") + " " + el.get(f"{{{O}}}spid", ""))]
        idmap = self.vml.find(f".//{{{O}}}idmap")
        own = [int(b) for b in (idmap.get("data", "") if idmap is not None else "").split(",")
               if b.strip()]
        return max(used + [min(own or [1]) * BLOCK]) + 1

    def _shape_id(self) -> str:
        number = self._next_id
        idmap = self.vml.find(f".//{{{O}}}idmap")
        if idmap is None:
            layout = etree.Element(f"{{{O}}}shapelayout", {f"{{{V}}}ext": "edit"})
            idmap = etree.SubElement(layout, f"{{{O}}}idmap", {f"{{{V}}}ext": "edit"})
            self.vml.insert(0, layout)
        own = {int(b) for b in idmap.get("data", "").split(",") if b.strip()}
        if number // BLOCK not in own:
            if number // BLOCK in self.blocks:  # another sheet's block: start a fresh one
                number = (max(self.blocks) + 1) * BLOCK + 1
            own.add(number // BLOCK)
            self.blocks.add(number // BLOCK)
            idmap.set("data", ",".join(str(b) for b in sorted(own)))
        self._next_id = number + 1
        return f"_x0000_s{number}"

    def _shape(self, row: int, col: int, text: str) -> etree._Element:
        if not any(st.get("id") == NOTE_TYPE for st in self.vml.iter(f"{{{V}}}shapetype")):
            layout = self.vml.find(f"{{{O}}}shapelayout")
            at = self.vml.index(layout) + 1 if layout is not None else 0
            self.vml.insert(at, _note_shapetype())
        lines = min(20, max(4, len(text) // 40 + text.count("\n") + 2))
        shape = etree.Element(f"{{{V}}}shape", {
            "id": self._shape_id(), "type": "#" + NOTE_TYPE,
            "style": "position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:216pt;"
                     f"height:{lines * 15}pt;z-index:1;visibility:hidden",
            "fillcolor": "#ffffe1", f"{{{O}}}insetmode": "auto"})
        etree.SubElement(shape, f"{{{V}}}fill", color2="#ffffe1")
        etree.SubElement(shape, f"{{{V}}}shadow", on="t", color="black", obscured="t")
        etree.SubElement(shape, f"{{{V}}}path", {f"{{{O}}}connecttype": "none"})
        box = etree.SubElement(shape, f"{{{V}}}textbox", style="mso-direction-alt:auto")
        etree.SubElement(box, "div", style="text-align:left")
        data = etree.SubElement(shape, f"{{{X}}}ClientData", ObjectType="Note")
        etree.SubElement(data, f"{{{X}}}MoveWithCells")
        etree.SubElement(data, f"{{{X}}}SizeWithCells")
        top = max(row - 1, 0)  # the box sits right of the cell, from the row above
        anchor = f"{col + 1}, 15, {top}, 10, {col + 5}, 15, {top + lines}, 4"
        etree.SubElement(data, f"{{{X}}}Anchor").text = anchor
        etree.SubElement(data, f"{{{X}}}AutoFill").text = "False"
        etree.SubElement(data, f"{{{X}}}Row").text = str(row)
        etree.SubElement(data, f"{{{X}}}Column").text = str(col)
        return shape

    # -- writing back ---------------------------------------------------------------------------
    def finish(self) -> bool:
        """Write both parts back (or drop them when empty); True when the sheet has notes."""
        if not self.changed:
            return len(self.list) > 0
        comments = sorted(self.list, key=lambda c: split_ref(c.get("ref", "A1")))
        self.list[:] = comments
        if comments and not self.comments_part:
            self.comments_part = self.package.unused_name("xl/comments{}.xml")
            self.package.put_xml(self.comments_part, self.comments, CT_COMMENTS)
            self.rels.add(RT_COMMENTS, self.comments_part)
        elif not comments and self.comments_part:
            self.package.remove(self.comments_part)
            if self.comments_rel is not None:  # None only for a part this object added
                self.rels.remove(self.comments_rel)
        elif comments:
            self.package.touch(self.comments_part)
        shapes = [el for el in self.vml if isinstance(el.tag, str)
                  and etree.QName(el).localname not in ("shapelayout", "shapetype")]
        if shapes and not self.vml_part:
            self.vml_part = self.package.unused_name("xl/drawings/vmlDrawing{}.vml")
            self.package.put_xml(self.vml_part, self.vml)
            self.package.content_types.ensure_default("vml", CT_VML)
            rid = self.rels.add(RT_VML, self.vml_part)
            self.legacy = insert_in_order(self.sheet, etree.Element(q("legacyDrawing")))
            self.legacy.set(f"{{{REL}}}id", rid)
        elif not shapes and self.vml_part:
            self.package.remove(self.vml_part)
            if self.legacy is not None:  # always: vml_part was found through it
                rel = self.rels.by_id(self.legacy.get(f"{{{REL}}}id", ""))
                if rel is not None:
                    self.rels.remove(rel)
                self.sheet.remove(self.legacy)
        elif shapes:
            self.package.put_xml(self.vml_part, self.vml)
        return bool(comments)
