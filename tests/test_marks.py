"""The pure half of mark keeping (pohon_xl.marks): which marks are ours, what goes back."""

from __future__ import annotations

import pytest

from pohon_xl.marks import (
    REGISTRY_HEADERS, REGISTRY_SHEET, Mark, fill_value, first_fill, is_mark_fill, is_our_note, note_text,
    read_registry, registry_spec, restored_fill,
)

RED, AMBER = "FFC7CE", "FFEB9C"


@pytest.mark.parametrize("rgb, ours", [
    (RED, True), ("#ffeb9c", True), ("FFDDEBF7", True), ("FFC7CF", False), ("", False),
    (None, False), ("C6EFCE", False),  # the OK status colour is no mark
])
def test_our_fills_are_exactly_the_mark_colours(rgb, ours) -> None:
    assert is_mark_fill(rgb) is ours


def test_our_notes_by_author_or_first_line() -> None:
    assert is_our_note("apa saja", "pohon-xl")
    assert is_our_note(note_text("ID Induk kosong"), "Budi")  # Excel: the user is the author
    assert not is_our_note("catatan pengguna", "Budi") and not is_our_note(None)


@pytest.mark.parametrize("current, before, expected", [
    (RED, Mark("L1", 2, 3, fill="CCE5FF"), "CCE5FF"),  # the recorded fill goes back
    (RED, None, ""),  # only our note tells: cleared to no fill
    ("00B050", Mark("L1", 2, 3, fill="CCE5FF"), None),  # the user recoloured it: left
    ("", Mark("L1", 2, 3), None),
    (None, Mark("L1", 2, 3, fill="CCE5FF"), "CCE5FF"),  # fills unreadable: the record decides
])
def test_restored_fill(current, before, expected) -> None:
    assert restored_fill(current, before) == expected


@pytest.mark.parametrize("current, our_note, expected", [
    ("#cce5ff", False, "CCE5FF"), ("", False, ""), (None, False, ""),
    (RED, True, ""),  # our earlier mark whose record was lost
    (RED, False, RED),  # a user's own red, under a user's note: it stays theirs
])
def test_first_fill(current, our_note, expected) -> None:
    assert first_fill(current, our_note) == expected


def test_registry_round_trip_and_earlier_layouts() -> None:
    marks = [Mark("L2_Sasaran_PD", 2, 2, "CCE5FF", "", True),
             Mark("L1_Sasaran_Daerah", 5, 3, "", "", False)]
    spec = registry_spec(marks)
    assert spec.name == REGISTRY_SHEET and spec.hidden and not spec.protect
    rows = [[c.value if c is not None else None for c in row] for row in spec.rows]
    assert rows[0] == list(REGISTRY_HEADERS)
    # as a spreadsheet program hands them back: numbers as floats, blanks as None or ""
    rows = [[float(v) if isinstance(v, int) else v for v in row] for row in rows]
    assert sorted(read_registry(rows), key=lambda m: m.key) == sorted(marks, key=lambda m: m.key)
    # the button's sheet before "Catatan Kami": the note was always ours
    old = [list(REGISTRY_HEADERS[:5]), ["L1", 3.0, 2.0, "", "catatan pengguna"], ["x", "?", 1]]
    assert read_registry(old) == [Mark("L1", 3, 2, "", "catatan pengguna", True)]
    assert read_registry([["bukan", "daftar"]]) == [] and read_registry([]) == []


@pytest.mark.parametrize("text, value", [
    ("#ffc7ce", "FFC7CE"), ("FFFFC7CE", "FFC7CE"), ("theme=4 tint=0.6", "theme=4 tint=0.6"),
    ("indexed=13", "indexed=13"), ("merah", ""), (None, ""), ("=SUM(A1)", ""),
])
def test_fill_values(text, value) -> None:
    assert fill_value(text) == value
