"""A workbook's cells as plain values, before parsing: what every reader hands over.

Kept apart from the parser (and its models) so that a reader can be imported without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pohon_xl.model import contract as C


@dataclass
class RawSheet:
    """A sheet's cells as values: ``rows[0]`` is Excel row 1, ``rows[r][0]`` column A. An
    empty cell is None or ``""`` (calamine's empty): the parser reads both alike.

    ``merged`` holds merged ranges as (first_row, first_col, last_row, last_col), 1-based.
    """

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def value(self, row: int, col: int) -> object:
        if row - 1 < len(self.rows):
            cells = self.rows[row - 1]
            if col - 1 < len(cells):
                return cells[col - 1]
        return None


RawWorkbook = dict[str, RawSheet]
S = TypeVar("S")


def find_sheet(raw: Mapping[str, S], name: str) -> S | None:
    """``raw[name]``, else the entry whose name matches it as headers match (case, spaces)."""
    if name in raw:
        return raw[name]
    wanted = C.normalise_header(name)
    return next((s for key, s in raw.items() if C.normalise_header(key) == wanted), None)


CONTRACT_SHEETS = (C.IDENTITAS, C.JABATAN, *(spec.sheet for spec in C.LEVELS), *C.FILLED_SHEETS)


def contract_sheet_names(names: list[str]) -> list[str]:
    """Of a workbook's sheet names, those :func:`parse_workbook` reads (matched as it
    matches them): a reader can leave the others (Petunjuk, a previous run's derived
    sheets, the user's own) unread."""
    by_name = {name: name for name in names}
    found = (find_sheet(by_name, name) for name in CONTRACT_SHEETS)
    return [name for name in found if name is not None]


def level_sheet_names(names: list[str]) -> list[str]:
    """Of a workbook's sheet names, the level sheets' (L1 … L6, matched as the parser does)."""
    by_name = {name: name for name in names}
    found = (find_sheet(by_name, spec.sheet) for spec in C.LEVELS)
    return [name for name in found if name is not None]


def is_contract_workbook(raw: RawWorkbook) -> bool:
    """At least Identitas or one level sheet: otherwise it is some other workbook."""
    names = [C.IDENTITAS] + [spec.sheet for spec in C.LEVELS]
    return any(find_sheet(raw, name) is not None for name in names)
