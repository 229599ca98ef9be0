"""Typed models of a filled workbook: identity, positions and the nodes of each level.

Every value keeps where it came from (sheet, Excel row, column) so that a finding can point
at the cell, and numbers keep the raw text so that a message can quote what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from pohon_xl.model.contract import LEVEL_BY_NUMBER, LevelSpec
from math import isfinite

from pohon_xl.model.numbers import parse_number, parse_year

# The models are plain dataclasses: the reader builds them from values it has checked, so a
# validating library (pydantic, before) only cost its import — ~0.17 s of every command, a
# third of a 500-row `validasi` — and never validated anything.

M = TypeVar("M")
_new = object.__new__
_setattr = object.__setattr__


def trusted(cls: type[M], values: dict[str, object]) -> M:
    """``cls(**values)`` for values that name every field of the dataclass ``cls`` (in
    declaration order) and are already of the right types: the reader's hot path (one per
    node and indicator row), without the call. An instance equal to the constructor's."""
    made = _new(cls)
    _setattr(made, "__dict__", values)
    return made


class Number:
    """A numeric cell: what was in it and what it means (None: empty or not a number).

    A small slotted value class: a workbook has one per numeric cell (tens of thousands),
    and the parser builds them from values it has already checked.
    Equal when ``raw`` and ``value`` are equal; pickles (batch workers) like any object.
    """

    __slots__ = ("raw", "value")

    def __init__(self, raw: object = None, value: float | None = None) -> None:
        self.raw = raw
        self.value = value

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Number:
            return NotImplemented
        return self.raw == other.raw and self.value == other.value

    __hash__ = None  # type: ignore[assignment]  # mutable, like the models holding it

    def __repr__(self) -> str:
        return f"Number(raw={self.raw!r}, value={self.value!r})"

    def __getstate__(self) -> tuple[object, float | None]:
        return self.raw, self.value

    def __setstate__(self, state: tuple[object, float | None]) -> None:
        self.raw, self.value = state

    @property
    def empty(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())

    @property
    def invalid(self) -> bool:
        return not self.empty and self.value is None


def text(value: object) -> str:
    """A cell as text: integral floats lose their ``.0`` (IDs and codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value).strip()


def number_of(value: object) -> Number:
    """A cell as a :class:`Number`: the one reading of a numeric cell for every sheet."""
    if value.__class__ is float:  # the usual numeric cell: parse_number's float branch
        return Number(value, float(f"{value:.15g}") if isfinite(value) else None)
    if isinstance(value, str) and not value.strip():
        value = None
    return Number(value, parse_number(value))


@dataclass
class Indicator:
    """One indicator row of a node (a node's first row or a continuation row)."""

    row: int
    name: str = ""
    unit: str = ""
    arah: str = ""
    baseline: Number = field(default_factory=Number)
    targets: dict[int, Number] = field(default_factory=dict)
    budgets: dict[int, Number] = field(default_factory=dict)  # L5 only; first row counts
    aspek: str = ""  # L6 only


@dataclass
class Node:
    """A node of the tree (a sasaran/kondisi) with its indicators."""

    id: str
    level: int
    sheet: str
    row: int  # first Excel row of the node
    parent_id: str = ""
    sasaran: str = ""
    jenis_cascading: str = ""
    owner: str = ""
    collaborators: list[str] = field(default_factory=list)
    keterangan: str = ""
    code: str = ""  # Kode Program / Kegiatan / Subkegiatan
    code_name: str = ""  # Nama Program / Kegiatan / Subkegiatan
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def spec(self) -> LevelSpec:
        return LEVEL_BY_NUMBER[self.level]

    @property
    def rows(self) -> list[int]:
        return [indicator.row for indicator in self.indicators] or [self.row]

    def budget(self, year: int) -> float:
        """The node's budget for a year (the first row's value; 0 when empty or invalid)."""
        if not self.indicators:
            return 0.0
        cell = self.indicators[0].budgets.get(year)
        return cell.value or 0.0 if cell else 0.0


@dataclass
class Position:
    """A row of `Jabatan`: a position that can own performance."""

    row: int
    code: str
    name: str = ""
    kind: str = ""  # Jenis Jabatan
    unit: str = ""
    superior: str = ""  # Kode Jabatan Atasan
    nip: str = ""
    holder: str = ""  # Nama Pemangku


@dataclass
class Identity:
    """The `Identitas` sheet: key -> value, and the row of each key."""

    values: dict[str, object] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value).strip()


@dataclass
class SheetInfo:
    """What the reader learnt about one sheet: where each contract header sits."""

    name: str
    present: bool = True
    columns: dict[str, int] = field(default_factory=dict)  # contract header -> 1-based column
    header_labels: dict[str, str] = field(default_factory=dict)  # contract header -> as typed
    missing_columns: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # from Target <year> headers
    budget_years: list[int] = field(default_factory=list)  # from Anggaran <year> headers
    last_column: int = 0  # rightmost non-empty header column (user columns included)
    # Rightmost column any cell or merged range reaches (the added columns go after it).
    used_column: int = 0
    unknown_year_headers: list[str] = field(default_factory=list)


@dataclass
class FilledRow:
    """A row of a sheet people fill after the plan (`Rencana_Aksi`, `Realisasi`: see
    :mod:`pohon_xl.model.cycle`), keyed by node ID and indicator."""

    row: int  # Excel row
    id: str = ""
    indicator: str = ""
    keterangan: str = ""
    # Every non-empty cell of the row by its header as typed (people's own columns too), so
    # that a re-run which rebuilds the sheet never loses a typed cell.
    cells: dict[str, object] = field(default_factory=dict)


@dataclass
class ActionPlanRow(FilledRow):
    """A row of `Rencana_Aksi`: how an indicator's year is planned per quarter."""

    accumulation: str = ""  # `Cara Akumulasi` as typed
    targets: list[Number] = field(default_factory=list)  # TW I … TW IV
    budgets: list[Number] = field(default_factory=list)  # TW I … TW IV (L5)


@dataclass
class RealisationRow(FilledRow):
    """A row of `Realisasi`: what an indicator reached per quarter, and its evidence."""

    realisations: list[Number] = field(default_factory=list)  # TW I … TW IV
    budget_realisations: list[Number] = field(default_factory=list)  # TW I … TW IV (L5)
    previous_year: Number = field(default_factory=Number)  # `Realisasi Tahun Lalu`
    evidence: str = ""  # `Bukti Dukung`


@dataclass
class FilledSheet:
    """What was read of a sheet people fill: its header row as typed and where the
    contract's headers are."""

    name: str
    headers: list[str] = field(default_factory=list)  # row 1 as typed ("" for an empty cell)
    columns: dict[str, int] = field(default_factory=dict)  # contract header -> 1-based column
    # The last row and the rightmost column any cell or merged range reaches: rows for new
    # nodes go below, the `Status`/`Catatan Validasi` columns right of it.
    last_row: int = 0
    used_column: int = 0


@dataclass
class Plan:
    """A whole workbook, read: what the rules check and the derivations turn into sheets."""

    source: str = ""
    identity: Identity = field(default_factory=Identity)
    positions: list[Position] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    orphan_rows: list[tuple[str, int]] = field(default_factory=list)  # continuation w/o node
    # The sheets people fill after the plan, when present (name -> what was read), and
    # their rows.
    filled_sheets: dict[str, FilledSheet] = field(default_factory=dict)
    action_plan: list[ActionPlanRow] = field(default_factory=list)
    realisation: list[RealisationRow] = field(default_factory=list)

    @property
    def start_year(self) -> int | None:
        return parse_year(self.identity.values.get("Tahun Awal"))

    @property
    def end_year(self) -> int | None:
        return parse_year(self.identity.values.get("Tahun Akhir"))

    @property
    def pk_year(self) -> int | None:
        return parse_year(self.identity.values.get("Tahun PK"))

    @property
    def years(self) -> list[int]:
        """The plan period: from Identitas when valid, else from the L1..L5 headers."""
        start, end = self.start_year, self.end_year
        if start and end and start <= end <= start + 20:
            return list(range(start, end + 1))
        for info in self.sheets.values():
            if info.years:
                return info.years
        return []

    def nodes_on(self, level: int) -> list[Node]:
        return [node for node in self.nodes if node.level == level]
