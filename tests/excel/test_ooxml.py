"""Low-level pieces of the patcher: references, text escaping, styles, VML, sheet order."""

from __future__ import annotations

import pytest
from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.cellref import (
    absolute_range, clean_text, column_index, column_letters, quote_sheet, split_ref,
)
from pohon_xl.excel.ooxml.notes import _parse_vml
from pohon_xl.excel.ooxml.package import MAIN, parse_xml, q
from pohon_xl.excel.ooxml.stylebook import MINIMAL_STYLES, StyleBook
from pohon_xl.excel.ooxml.worksheet import SheetEditor, insert_in_order


@pytest.mark.parametrize("index, letters", [(1, "A"), (26, "Z"), (27, "AA"), (703, "AAA"),
                                            (16384, "XFD")])
def test_column_letters_round_trip(index, letters):
    assert column_letters(index) == letters and column_index(letters) == index


def test_references():
    assert split_ref("$C$12") == (12, 3)
    assert absolute_range("A1:F40") == "$A$1:$F$40" and absolute_range("1:1") == "$1:$1"
    assert quote_sheet("Catatan O'Brien") == "'Catatan O''Brien'"


def test_clean_text_escapes_what_xml_cannot_carry():
    assert clean_text("a\x01b") == "a_x0001_b"
    assert clean_text("_x0041_") == "_x005F_x0041_"  # stays literal when Excel decodes it
    assert clean_text("baris\nbaru\t") == "baris\nbaru\t"
    assert len(clean_text("x" * 40000)) == 32767


def test_a_rendered_text_is_escaped_as_the_slow_path_does():
    """cell_text (every writer's text cell) returns most texts as they are: never when one
    needs escaping or cleaning (random texts of the characters that do, and some that do
    not)."""
    import random

    from pohon_xl.excel.ooxml.cellref import cell_text as escape
    from pohon_xl.excel.ooxml.cellref import xml_escape

    alphabet = "ab x_0AF&<>\"'\t\n\x01\x0b\x1f\ufffeé"
    pick = random.Random(12)
    texts = ["".join(pick.choice(alphabet) for _ in range(pick.randint(0, 12)))
             for _ in range(20000)] + ["_x0041_", "a & b", "x" * 40000, "Meningkatnya IKM"]
    assert [escape(t) for t in texts] == [xml_escape(clean_text(t)) for t in texts]
    assert escape("Meningkatnya IKM") == "Meningkatnya IKM"


def test_stylebook_adds_each_style_once():
    root = parse_xml(MINIMAL_STYLES, "styles")
    book = StyleBook(root)
    first = {name: book.named(name) for name in ("header", "money", "galat", "text")}
    again = StyleBook(root)  # a second run over the same styles.xml reuses the entries
    assert {name: again.named(name) for name in first} == first
    assert root.find(q("numFmts"))[0].get("formatCode") == '"Rp "#,##0'
    assert root.index(root.find(q("numFmts"))) == 0  # schema order
    marked = book.with_fill(first["text"], "FFC7CE")
    assert marked == book.with_fill(first["text"], "ffc7ce") != first["text"]  # reused
    assert book.fill_of(marked) == "FFC7CE" and book.fill_of(first["text"]) == ""
    assert book.with_fill(marked, "") == first["text"]  # the fill taken off: its own format
    assert book.with_fill(first["galat"], "FFC7CE") == first["galat"]  # nothing to change
    assert book.fill_of(book.with_fill(first["header"], "FFEB9C")) == "FFEB9C"
    # an earlier version's record of a clone is checked before it is trusted
    assert book.is_clone(marked, first["text"], "FFC7CE")
    assert not book.is_clone(marked, first["header"], "FFC7CE")  # formats renumbered since
    assert not book.is_clone(marked, first["text"], "FFEB9C") and not book.is_clone(99, 0, "")


def test_vml_with_unclosed_br_is_read():
    vml = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="b"><v:textbox>'
           b"<div>Tombol<br>dua</div></v:textbox></v:shape></xml>")
    assert _parse_vml(vml, "vml").find(".//br") is not None
    with pytest.raises(InputError):
        _parse_vml(b"<xml><v:shape></xml>", "vml")


def test_sheet_children_keep_schema_order():
    root = etree.fromstring(f'<worksheet xmlns="{MAIN}"><sheetData/><pageMargins/>'
                            "<tableParts/></worksheet>")
    insert_in_order(root, etree.Element(q("legacyDrawing")))
    insert_in_order(root, etree.Element(q("cols")))
    assert [etree.QName(c).localname for c in root] == [
        "cols", "sheetData", "pageMargins", "legacyDrawing", "tableParts"]


def test_cells_without_r_and_missing_rows():
    root = etree.fromstring(f'<worksheet xmlns="{MAIN}"><sheetData><row><c><v>1</v></c>'
                            '<c r="C1"><v>3</v></c></row><row r="5"/></sheetData></worksheet>')
    sheet = SheetEditor(root, "S")
    sheet.put_texts([(1, 2, "b", 0), (1, 3, "c", 0), (1, 5, "e", 0), (3, 1, "=x", 0),
                     (7, 1, "", 4)])
    rows = root.find(q("sheetData"))
    assert [r.get("r") for r in rows] == ["1", "3", "5", "7"]
    assert [c.get("r") for c in rows[0]] == ["A1", "B1", "C1", "E1"]
    assert [c.findtext(f"{q('is')}/{q('t')}") for c in rows[0]] == [None, "b", "c", "e"]
    assert rows[0][2].find(q("v")) is None  # C1's number was replaced, not duplicated
    assert rows[1][0].get("t") == "inlineStr" and rows[1][0].find(q("f")) is None
