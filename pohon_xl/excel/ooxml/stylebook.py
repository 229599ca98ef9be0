"""Adds the formats we need to styles.xml: once each, reusing identical entries."""

from __future__ import annotations

import copy

from lxml import etree

from pohon_xl.excel.styles import LOOKS, Look
from pohon_xl.excel.ooxml.package import MAIN, q

# CT_Stylesheet child order.
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                    "0.00%": 10}
FIRST_CUSTOM_FORMAT = 164

MINIMAL_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
    "<border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
).encode()


def _argb(rgb: str) -> str:
    return rgb.upper() if len(rgb) == 8 else "FF" + rgb.upper()


class StyleBook:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.part = ""  # its part name, set by whoever opened it
        self._keys: dict[str, dict[bytes, int]] = {}
        self._named: dict[str, int] = {}
        self.changed = False

    def _section(self, tag: str) -> etree._Element:
        found = self.root.find(q(tag))
        if found is not None:
            return found
        section = etree.Element(q(tag))
        rank = _ORDER.index(tag)
        for index, child in enumerate(self.root):
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name in _ORDER and _ORDER.index(name) > rank:
                self.root.insert(index, section)
                return section
        self.root.append(section)
        return section

    def _add(self, tag: str, element: etree._Element, dedupe: bool = True) -> int:
        """Append ``element`` to section ``tag`` unless an identical entry exists."""
        section = self._section(tag)
        self._find(tag, element)  # the index of existing entries, built once
        section.append(element)
        key = etree.tostring(element)
        if dedupe and key in self._keys[tag]:
            section.remove(element)
            return self._keys[tag][key]
        index = len(section) - 1
        self._keys[tag].setdefault(key, index)
        self.changed = True
        section.set("count", str(len(section)))
        return index

    @property
    def xf_count(self) -> int:
        return len(self._section("cellXfs"))

    def named(self, name: str) -> int:
        """The cellXfs index of a named style of ``pohon_xl.sheets.STYLE_NAMES``."""
        if name not in self._named:
            if name not in LOOKS:
                raise ValueError(f"unknown style {name!r}")
            self._named[name] = self.add_look(LOOKS[name])
        return self._named[name]

    def add_look(self, look: Look) -> int:
        xf = etree.Element(q("xf"), numFmtId=str(self._num_format(look.num_format)),
                           fontId=str(self._font(look)), fillId=str(self._fill(look.fill)),
                           borderId=str(self._border(look)), xfId="0")
        for flag in ("applyNumberFormat", "applyFont", "applyFill", "applyBorder"):
            xf.set(flag, "1")
        if look.wrap or look.horizontal or look.vertical:
            xf.set("applyAlignment", "1")
            align = etree.SubElement(xf, q("alignment"))
            for attr, value in (("horizontal", look.horizontal), ("vertical", look.vertical),
                                ("wrapText", "1" if look.wrap else "")):
                if value:
                    align.set(attr, value)
        return self._add("cellXfs", xf)

    def with_fill(self, xf_id: int, rgb: str) -> int:
        """``xf_id`` with its fill replaced by a solid ``rgb`` (RRGGBB or colour attributes as
        :meth:`fill_of` gives them; "" = no fill), everything else
        (font, border, number format, alignment, protection) kept; an identical entry is
        reused, so putting back the fill a cell had finds its own format again."""
        xfs = self._section("cellXfs")
        if not 0 <= xf_id < len(xfs):
            xf_id = 0
        if not len(xfs):
            return 0
        if self.fill_of(xf_id) == rgb and (rgb or xfs[xf_id].get("fillId", "0") == "0"):
            return xf_id
        clone = copy.deepcopy(xfs[xf_id])
        clone.set("fillId", str(self._fill(rgb)))
        if rgb:
            clone.set("applyFill", "1")
            return self._add("cellXfs", clone)
        # The fill taken off: the format it was cloned from, whether or not that said
        # applyFill (ours do, the user's often do not).
        bare = copy.deepcopy(clone)
        bare.attrib.pop("applyFill", None)
        found = self._find("cellXfs", clone)
        return found if found is not None else self._add("cellXfs", bare)

    def _find(self, tag: str, element: etree._Element) -> int | None:
        if tag not in self._keys:
            self._keys[tag] = {}
            for index, child in enumerate(self._section(tag)):
                self._keys[tag].setdefault(etree.tostring(child), index)
        return self._keys[tag].get(etree.tostring(element))

    def fill_of(self, xf_id: int) -> str:
        """The solid fill of xf ``xf_id``: RRGGBB, or the attributes of a colour not given as
        RGB (``theme=4 tint=0.6``); "" for none or a patterned fill."""
        xfs = self._section("cellXfs")
        if not 0 <= xf_id < len(xfs):
            return ""
        fills = self._section("fills")
        fill_id = xfs[xf_id].get("fillId", "0")
        if not fill_id.isdigit() or int(fill_id) >= len(fills):
            return ""
        pattern = fills[int(fill_id)].find(q("patternFill"))
        if pattern is None or pattern.get("patternType", "none") != "solid":
            return ""
        color = pattern.find(q("fgColor"))
        if color is None:
            return ""
        rgb = color.get("rgb", "")
        if rgb:
            return rgb[-6:].upper() if len(rgb) in (6, 8) else ""
        return " ".join(f"{k}={v}" for k, v in sorted(color.attrib.items()))

    def pad_formats(self, cells: int, differential: int) -> None:
        """At least ``cells`` cellXfs and ``differential`` dxfs entries, the missing ones
        plain: cells and conditional formats that point past the end then point at a format
        that exists."""
        xfs = self._section("cellXfs")
        while len(xfs) < cells:
            self._add("cellXfs", copy.deepcopy(xfs[0]), dedupe=False)
        if differential:
            dxfs = self._section("dxfs")
            while len(dxfs) < differential:
                self._add("dxfs", etree.Element(q("dxf")), dedupe=False)

    def is_clone(self, clone: int, base: int, rgb: str) -> bool:
        """Whether xf ``clone`` is still ``base`` plus our fill, as an earlier version recorded
        it (another program may have renumbered the formats since)."""
        xfs = self._section("cellXfs")
        if not (0 <= clone < len(xfs) and 0 <= base < len(xfs)):
            return False

        def without_fill(xf: etree._Element) -> tuple:
            attrs = {k: v for k, v in xf.attrib.items() if k not in ("fillId", "applyFill")}
            return attrs, [etree.tostring(c) for c in xf]

        fills = self._section("fills")
        fill_id = int(xfs[clone].get("fillId", 0))
        if not 0 <= fill_id < len(fills):
            return False
        color = fills[fill_id].find(f"{q('patternFill')}/{q('fgColor')}")
        return (color is not None and color.get("rgb", "").upper() == _argb(rgb)
                and without_fill(xfs[clone]) == without_fill(xfs[base]))

    def _num_format(self, code: str) -> int:
        if not code:
            return 0
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        section = self._section("numFmts")
        ids = [FIRST_CUSTOM_FORMAT - 1]
        for el in section:
            if el.get("formatCode") == code:
                return int(el.get("numFmtId", "0"))
            ids.append(int(el.get("numFmtId", "0")))
        new_id = max(ids) + 1
        etree.SubElement(section, q("numFmt"), numFmtId=str(new_id), formatCode=code)
        self.changed = True
        section.set("count", str(len(section)))
        return new_id

    def _font(self, look: Look) -> int:
        fonts = self._section("fonts")
        base = fonts[0] if len(fonts) else etree.Element(q("font"))
        font = etree.Element(q("font"))
        if look.bold:
            etree.SubElement(font, q("b"))
        if look.underline:
            etree.SubElement(font, q("u"))
        for tag in ("sz", "color", "name", "family", "charset", "scheme"):
            old = base.find(q(tag))
            if tag == "sz" and look.size:
                etree.SubElement(font, q("sz"), val=f"{look.size:g}")
            elif tag == "color" and look.color:
                etree.SubElement(font, q("color"), rgb=_argb(look.color))
            elif old is not None:
                font.append(copy.deepcopy(old))
        return self._add("fonts", font)

    def _fill(self, rgb: str) -> int:
        """A solid fill of RRGGBB or of colour attributes (``theme=4 tint=0.6``)."""
        if not rgb:
            return 0
        fill = etree.Element(q("fill"))
        pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
        if "=" in rgb:
            etree.SubElement(pattern, q("fgColor"), dict(a.split("=", 1) for a in rgb.split()))
        else:
            etree.SubElement(pattern, q("fgColor"), rgb=_argb(rgb))
        etree.SubElement(pattern, q("bgColor"), indexed="64")
        return self._add("fills", fill)

    def _border(self, look: Look) -> int:
        edges = look.edges()
        if not edges:
            return 0
        border = etree.Element(q("border"))
        for side in ("left", "right", "top", "bottom"):
            edge = etree.SubElement(border, q(side))
            if side in edges:
                edge.set("style", edges[side])
                if look.border_color:
                    etree.SubElement(edge, q("color"), rgb=_argb(look.border_color))
                else:
                    etree.SubElement(edge, q("color"), indexed="64")
        etree.SubElement(border, q("diagonal"))
        return self._add("borders", border)
