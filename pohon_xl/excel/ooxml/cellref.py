"""A1 references, sheet-name quoting and text escaping for SpreadsheetML."""

from __future__ import annotations

import re
from functools import lru_cache

from pohon_xl.sheets import column_letter as column_letters  # one definition, re-exported

MAX_TEXT = 32767  # Excel's limit on characters in a cell

_DIGITS = "0123456789"
# Characters XML 1.0 cannot carry; Excel writes them as _xHHHH_.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A literal "_x0041_" in user text would be decoded by Excel; escape its underscore.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def ref(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


def split_ref(reference: str) -> tuple[int, int]:
    """``"C12"`` -> (12, 3); ``"$C$12"`` works too."""
    reference = reference.replace("$", "")
    letters = reference.rstrip(_DIGITS)
    return int(reference[len(letters):] or 0), column_index(letters)


def column_of(reference: str) -> int:
    return column_index(reference.rstrip(_DIGITS))


def absolute_range(area: str) -> str:
    """``"A1:F40"`` -> ``"$A$1:$F$40"``; ``"1:1"`` -> ``"$1:$1"``; ``"A:B"`` -> ``"$A:$B"``."""

    def one(part: str) -> str:
        part = part.replace("$", "")
        letters = part.rstrip(_DIGITS)
        digits = part[len(letters):]
        return (f"${letters}" if letters else "") + (f"${digits}" if digits else "")

    return ":".join(one(p) for p in area.split(":"))


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def clean_text(text: str) -> str:
    """Text as Excel stores it: escaped control characters, at most 32767 characters."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text


# A character that cell_text escapes or cleans (markup, a control character, "_x" that may
# start an _xHHHH_ escape): most texts have none and are written as they are.
_NOT_PLAIN = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x")


def cell_text(text: str) -> str:
    """A text cell's ``<t>`` content: :func:`clean_text`, then :func:`xml_escape` (one
    search when neither has anything to do, as for nearly every text)."""
    if len(text) <= MAX_TEXT and not _NOT_PLAIN.search(text):
        return text
    return xml_escape(clean_text(text))


# xml.sax.saxutils' escape and quoteattr, the same replacements in the same order: importing
# xml.sax.saxutils pulls in urllib.request, http.client, ssl and email (~17 ms per click).
_ATTR_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def xml_escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` as entities (and ``entities``), like saxutils.escape."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def xml_quoteattr(data: str, entities: dict[str, str] | None = None) -> str:
    """An attribute value with its quotes, like saxutils.quoteattr."""
    data = xml_escape(data, {**(entities or {}), **_ATTR_ENTITIES})
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'
