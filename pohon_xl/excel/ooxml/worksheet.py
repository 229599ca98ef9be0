"""Cell-level edits of an existing worksheet part, in one parse and one pass over its rows.

Rows are indexed once; a row's cells are sorted by column, so lookups scan a row from the
right (our columns are usually the last ones) instead of searching the whole sheet.
"""

from __future__ import annotations

import bisect
from typing import Literal, overload

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.cellref import cell_text, clean_text, column_of, ref, split_ref
from pohon_xl.excel.ooxml.package import MAIN, MC, PARSER, q

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# CT_Worksheet child order: new elements must go to their place or Excel refuses the file.
SHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)
_RANK = {name: i for i, name in enumerate(SHEET_ORDER)}
_C, _ROW, _F = q("c"), q("row"), q("f")


def _rank(child: etree._Element) -> int:
    if not isinstance(child.tag, str):
        return -1  # comments and processing instructions stay where they are
    if child.tag == q("AlternateContent", MC):
        # Excel wraps <controls>/<oleObjects> in mc:AlternateContent; rank it by its content.
        inner = next((el for el in child.iter() if el is not child
                      and etree.QName(el).namespace == MAIN), None)
        return _rank(inner) if inner is not None else len(SHEET_ORDER)
    return _RANK.get(etree.QName(child).localname, len(SHEET_ORDER))


def insert_in_order(root: etree._Element, element: etree._Element) -> etree._Element:
    rank = _rank(element)
    for index, child in enumerate(root):
        if _rank(child) > rank:
            root.insert(index, element)
            return element
    root.append(element)
    return element


@overload
def child(root: etree._Element, tag: str, create: Literal[True]) -> etree._Element: ...


@overload
def child(root: etree._Element, tag: str, create: bool = False) -> etree._Element | None: ...


def child(root: etree._Element, tag: str, create: bool = False) -> etree._Element | None:
    found = root.find(q(tag))
    if found is None and create:
        found = insert_in_order(root, etree.Element(q(tag)))
    return found


class SheetEditor:
    def __init__(self, root: etree._Element, label: str) -> None:
        self.root = root
        self.label = label
        data = root.find(q("sheetData"))
        if data is None:
            raise InputError(f"Sheet {label} tidak dapat diubah: bagian sheetData tidak ada.")
        self.data = data
        self.formula_removed = False
        self.max_row = 0
        self.max_col = 0
        self._rows: dict[int, etree._Element] = {}
        self._column_styles: dict[int, str] = {}
        rows = list(data.iterchildren(_ROW))
        numbers = data.xpath("m:row/@r", namespaces={"m": MAIN}, smart_strings=False)
        if len(numbers) == len(rows):  # the usual case, read in one go
            try:
                self._rows = dict(zip(map(int, numbers), rows))
            except ValueError:  # one is no number: say which
                self._rows = dict(zip((_number(n, "r") for n in numbers), rows))
        else:
            previous = 0
            for row in rows:
                number = _number(row.get("r") or 0, "r")
                if not number:  # r is optional: the row after the previous one
                    number = previous + 1
                    row.set("r", str(number))
                self._rows[number] = row
                previous = number
        self._numbers = sorted(self._rows)
        # Cells without r (allowed, rare): give them one so rows can be searched by column.
        for row in {c.getparent() for c in data.xpath("m:row/m:c[not(@r)]",
                                                       namespaces={"m": MAIN})}:
            column = 0
            for cell in row.iterchildren(_C):
                column = column_of(cell.get("r")) if cell.get("r") else column + 1
                cell.set("r", ref(int(row.get("r")), column))

    # -- rows and cells --------------------------------------------------------------------
    def last_filled_row(self) -> int:
        """The last row with a cell that holds anything (a value, text or a formula, even a
        formula never calculated, which a reader of values sees as empty); 0 when none."""
        held = (q("v"), q("f"), q("is"))
        for number in reversed(self._numbers):
            if any(sub.tag in held for cell in self._rows[number].iterchildren(_C)
                   for sub in cell):
                return number
        return 0

    def row(self, number: int) -> etree._Element:
        row = self._rows.get(number)
        if row is None:
            row = etree.Element(_ROW, r=str(number))
            position = bisect.bisect_left(self._numbers, number)
            if position:
                self._rows[self._numbers[position - 1]].addnext(row)
            else:
                self.data.insert(0, row)
            self._numbers.insert(position, number)
            self._rows[number] = row
        return row

    def _locate(self, row: etree._Element, column: int
                ) -> tuple[etree._Element | None, etree._Element | None]:
        """(the cell at ``column`` or None, the cell it would follow or None)."""
        cell = row[-1] if len(row) else None
        while cell is not None:  # from the right: our columns are usually the last ones
            if cell.tag == _C:
                found = column_of(cell.get("r", ""))
                if found == column:
                    return cell, None
                if found < column:
                    return None, cell
            cell = cell.getprevious()
        return None, None

    def _place(self, row: etree._Element, after: etree._Element | None,
               new: etree._Element) -> None:
        if row.get("spans") is not None:
            del row.attrib["spans"]  # an optional hint that would now be stale
        if after is None:
            row.insert(0, new)
        else:
            after.addnext(new)

    def cell(self, row_number: int, column: int, create: bool = True) -> etree._Element | None:
        if create:
            return self._cell(row_number, column)
        row = self._rows.get(row_number)
        return None if row is None else self._locate(row, column)[0]

    def _cell(self, row_number: int, column: int) -> etree._Element:
        """The cell, created (with its row) when missing."""
        row = self.row(row_number)
        found, after = self._locate(row, column)
        if found is not None:
            return found
        new = self._new_cell(row, row_number, column)
        self._place(row, after, new)
        return new

    def put_texts(self, items: list[tuple[int, int, str, int]]) -> None:
        """Many (row, column, text, style) text cells at once.

        The new cells are parsed from one string: creating them one by one through lxml's
        Python API is what made large sheets slow.
        """
        body = "".join(
            f'<c r="{ref(r, c)}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
            f"{cell_text(text)}</t></is></c>" if text else f'<c r="{ref(r, c)}" s="{s}"/>'
            for r, c, text, s in items)
        fragment = etree.fromstring(f'<x xmlns="{MAIN}">{body}</x>', PARSER)
        last: etree._Element | None = None
        last_key = (0, 0)
        found: etree._Element | None
        after: etree._Element | None
        for (row_number, column, _, _), new in zip(items, list(fragment)):
            if (last is not None and last_key == (row_number, column - 1)  # right after the
                    and (parent := last.getparent()) is not None):  # cell just placed
                row, found, after = parent, last.getnext(), last
                if found is not None and (found.tag != _C
                                          or column_of(found.get("r", "")) != column):
                    found = None
            else:
                row = self.row(row_number)
                found, after = self._locate(row, column)
            if found is not None:
                self._drop_value(found)
                row.replace(found, new)
            else:
                self._place(row, after, new)
            last, last_key = new, (row_number, column)
        if items:
            self.max_row = max(self.max_row, max(item[0] for item in items))
            self.max_col = max(self.max_col, max(item[1] for item in items))

    def _new_cell(self, row: etree._Element, row_number: int, column: int) -> etree._Element:
        if row_number > self.max_row:
            self.max_row = row_number
        if column > self.max_col:
            self.max_col = column
        cell = etree.Element(_C, r=ref(row_number, column))
        if row.get("customFormat") in ("1", "true"):
            style = row.get("s", "")
        else:
            cached = self._column_styles.get(column)
            if cached is None:
                cached = self._column_styles[column] = self._column_style(column)
            style = cached
        if style:
            cell.set("s", style)
        return cell

    def _column_style(self, column: int) -> str:
        cols = self.root.find(q("cols"))
        for col in cols if cols is not None else ():
            if _number(col.get("min", 0), "min") <= column <= _number(col.get("max", 0), "max"):
                return col.get("style", "")
        return ""

    def style_of(self, cell: etree._Element) -> int:
        style = cell.get("s") or "0"
        return int(style) if style.isdigit() else 0  # a broken index: the default format

    def set_text(self, row: int, column: int, text: str, style: int | None) -> None:
        """An inline-string cell: text stays text, even when it starts with '='."""
        cell = self._cell(row, column)
        self._drop_value(cell)
        if style is not None:
            cell.set("s", str(style))
        if not text:
            return  # a blank, formatted cell: an empty string would count as a value
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, q("is"))
        t = etree.SubElement(inline, q("t"))
        t.text = clean_text(text)
        t.set(XML_SPACE, "preserve")

    def set_value(self, row: int, column: int, value: str | int | float | None) -> None:
        """Put a value into a cell, keeping its format: text as text (never a formula), a
        number as a number, None empties the cell."""
        if isinstance(value, str):
            self.set_text(row, column, value, None)
            return
        cell = self._cell(row, column)
        self._drop_value(cell)
        if value is not None:
            etree.SubElement(cell, q("v")).text = repr(value) if isinstance(value, float) \
                else str(value)

    def _drop_value(self, cell: etree._Element) -> None:
        for sub in list(cell):
            if sub.tag == _F:
                if sub.get("t") == "shared" and sub.get("ref"):
                    raise InputError(
                        f"Sheet {self.label}: sel {cell.get('r')} memegang rumus bersama yang "
                        "dipakai sel lain; pindahkan rumus itu dari kolom Status/Catatan."
                    )
                self.formula_removed = True
            if sub.tag != q("extLst"):
                cell.remove(sub)
        cell.attrib.pop("t", None)

    def clear_columns(self, columns: set[int], first_row: int, keep: set[int]) -> None:
        """Remove every cell of ``columns`` from ``first_row`` down, except in rows ``keep``
        (about to be overwritten anyway)."""
        lowest = min(columns)
        for number in self._numbers[bisect.bisect_left(self._numbers, first_row):]:
            if number in keep:
                continue
            row = self._rows[number]
            cell = row[-1] if len(row) else None
            while cell is not None:  # from the right, stopping left of our columns
                previous = cell.getprevious()
                if cell.tag == _C:
                    column = column_of(cell.get("r", ""))
                    if column < lowest:
                        break
                    if column in columns:
                        self._drop_value(cell)
                        row.remove(cell)
                cell = previous

    def restyle(self, mapping: dict[int, int]) -> None:
        """Put cells styled ``old`` back to ``mapping[old]`` (one XPath, not a Python loop)."""
        if not mapping:
            return
        if len(mapping) <= 8:  # a short test in XPath beats visiting every styled cell
            test = " or ".join(f'@s="{old}"' for old in mapping)
            cells = self.data.xpath(f"m:row/m:c[{test}]", namespaces={"m": MAIN})
        else:
            cells = self.data.xpath("m:row/m:c[@s]", namespaces={"m": MAIN})
        for cell in cells:
            style = cell.get("s", "")
            new = mapping.get(int(style)) if style.isdigit() else None
            if new is not None:
                cell.set("s", str(new))

    # -- sheet-level elements -------------------------------------------------------------
    def extend_dimension(self) -> None:
        if not self.max_row:
            return
        dimension = child(self.root, "dimension", create=True)
        first, _, last = (dimension.get("ref") or "A1").partition(":")
        (r0, c0), (r1, c1) = split_ref(first), split_ref(last or first)
        r1, c1 = max(r1, self.max_row), max(c1, self.max_col)
        dimension.set("ref", f"{ref(r0 or 1, c0 or 1)}:{ref(r1, c1)}")

    def ensure_width(self, column: int, width: float) -> None:
        """Set a column width unless some <col> already covers the column (the user's)."""
        cols = child(self.root, "cols", create=True)
        position = 0
        for index, col in enumerate(cols):
            low, high = _number(col.get("min", 0), "min"), _number(col.get("max", 0), "max")
            if low <= column <= high:
                return
            if low < column:
                position = index + 1
        new = etree.Element(q("col"), min=str(column), max=str(column), width=f"{width:g}",
                            customWidth="1")
        cols.insert(position, new)


def _number(value: str | int, attribute: str) -> int:
    """A whole-number attribute of the sheet; a damaged one is a one-line refusal."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(f"Lembar kerja rusak: atribut {attribute}={value!r} bukan angka; "
                         "minta kiriman ulang atau simpan ulang workbook di Excel.") from None
