"""Typed models of a filled workbook: identity, positions and the nodes of each level.

Every value keeps where it came from (sheet, Excel row, column) so that a finding can point
at the cell, and numbers keep the raw text so that a message can quote what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MemberDescriptorType
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from pohon_xl.model.contract import LEVEL_BY_NUMBER, LevelSpec
from math import isfinite

from pohon_xl.model.numbers import parse_number, parse_year


class Model(BaseModel):
    # defer_build: a model's validator is built on its first validation, not on import. The
    # reader constructs models from values it has checked (model_construct / ``trusted``),
    # so a command-line run never pays for building validators it does not use.
    model_config = ConfigDict(frozen=False, extra="forbid", arbitrary_types_allowed=True,
                              defer_build=True)


M = TypeVar("M", bound=Model)
_new = object.__new__
_setattr = object.__setattr__


def _slot_setter(name: str) -> Callable[[object, object], None]:
    # BaseModel annotates its slots with their values' types; the class holds their descriptors.
    slot: MemberDescriptorType = BaseModel.__dict__[name]
    return slot.__set__


# The slots of a model, set through their descriptors (no attribute look-up by name).
_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")


_all_fields: dict[type, set[str]] = {}


def trusted(cls: type[M], values: dict[str, object]) -> M:
    """``cls.model_construct(**values)`` for values that name every field of ``cls`` (in
    declaration order) and are already of the right types: the reader's hot path (one per
    node and indicator row). No validation, no defaults, an instance equal to
    model_construct's.

    The models made here share one fields-set, of all the fields (a set per model would
    be most of a large plan's memory): pydantic only ever adds a field's name to it, which
    changes nothing as every field is in it, and copies it for a copy of the model."""
    fields = _all_fields.get(cls)
    if fields is None:
        fields = _all_fields[cls] = set(cls.model_fields)
    model = _new(cls)
    _setattr(model, "__dict__", values)
    _set_fields_set(model, fields)
    _set_extra(model, None)
    _set_private(model, None)
    return model


def constructed(cls: type[M], **values: object) -> M:
    """``cls.model_construct(**values)``, the same instance, without the inspection pydantic
    does of every default factory on every call (``inspect.signature`` of ``dict`` and
    ``list``: most of a small workbook's parse). For models without aliases."""
    fields: dict[str, object] = {}
    for name, info in cls.model_fields.items():
        if name in values:
            fields[name] = values[name]
        elif info.default_factory is not None:
            fields[name] = info.default_factory()  # type: ignore[call-arg]
        else:
            fields[name] = info.default
    model = _new(cls)
    _setattr(model, "__dict__", fields)
    _set_fields_set(model, set(values))
    _set_extra(model, None)
    _set_private(model, None)
    return model


class Number:
    """A numeric cell: what was in it and what it means (None: empty or not a number).

    A small slotted value class rather than a pydantic model: a workbook has one per numeric
    cell (tens of thousands), and the parser builds them from values it has already checked.
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


class Indicator(Model):
    """One indicator row of a node (a node's first row or a continuation row)."""

    row: int
    name: str = ""
    unit: str = ""
    arah: str = ""
    baseline: Number = Field(default_factory=Number)
    targets: dict[int, Number] = Field(default_factory=dict)
    budgets: dict[int, Number] = Field(default_factory=dict)  # L5 only; first row counts
    aspek: str = ""  # L6 only


class Node(Model):
    """A node of the tree (a sasaran/kondisi) with its indicators."""

    id: str
    level: int
    sheet: str
    row: int  # first Excel row of the node
    parent_id: str = ""
    sasaran: str = ""
    jenis_cascading: str = ""
    owner: str = ""
    collaborators: list[str] = Field(default_factory=list)
    keterangan: str = ""
    code: str = ""  # Kode Program / Kegiatan / Subkegiatan
    code_name: str = ""  # Nama Program / Kegiatan / Subkegiatan
    indicators: list[Indicator] = Field(default_factory=list)

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


class Position(Model):
    """A row of `Jabatan`: a position that can own performance."""

    row: int
    code: str
    name: str = ""
    kind: str = ""  # Jenis Jabatan
    unit: str = ""
    superior: str = ""  # Kode Jabatan Atasan
    nip: str = ""
    holder: str = ""  # Nama Pemangku


class Identity(Model):
    """The `Identitas` sheet: key -> value, and the row of each key."""

    values: dict[str, object] = Field(default_factory=dict)
    rows: dict[str, int] = Field(default_factory=dict)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value).strip()


class SheetInfo(Model):
    """What the reader learnt about one sheet: where each contract header sits."""

    name: str
    present: bool = True
    columns: dict[str, int] = Field(default_factory=dict)  # contract header -> 1-based column
    header_labels: dict[str, str] = Field(default_factory=dict)  # contract header -> as typed
    missing_columns: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)  # from Target <year> headers
    budget_years: list[int] = Field(default_factory=list)  # from Anggaran <year> headers
    last_column: int = 0  # rightmost non-empty header column (user columns included)
    # Rightmost column any cell or merged range reaches (the added columns go after it).
    used_column: int = 0
    unknown_year_headers: list[str] = Field(default_factory=list)


class FilledRow(Model):
    """A row of a sheet people fill after the plan (`Rencana_Aksi`, `Realisasi`: see
    :mod:`pohon_xl.model.cycle`), keyed by node ID and indicator."""

    row: int  # Excel row
    id: str = ""
    indicator: str = ""
    keterangan: str = ""
    # Every non-empty cell of the row by its header as typed (people's own columns too), so
    # that a re-run which rebuilds the sheet never loses a typed cell.
    cells: dict[str, object] = Field(default_factory=dict)


class ActionPlanRow(FilledRow):
    """A row of `Rencana_Aksi`: how an indicator's year is planned per quarter."""

    accumulation: str = ""  # `Cara Akumulasi` as typed
    targets: list[Number] = Field(default_factory=list)  # TW I … TW IV
    budgets: list[Number] = Field(default_factory=list)  # TW I … TW IV (L5)


class RealisationRow(FilledRow):
    """A row of `Realisasi`: what an indicator reached per quarter, and its evidence."""

    realisations: list[Number] = Field(default_factory=list)  # TW I … TW IV
    budget_realisations: list[Number] = Field(default_factory=list)  # TW I … TW IV (L5)
    previous_year: Number = Field(default_factory=Number)  # `Realisasi Tahun Lalu`
    evidence: str = ""  # `Bukti Dukung`


class FilledSheet(Model):
    """What was read of a sheet people fill: its header row as typed and where the
    contract's headers are."""

    name: str
    headers: list[str] = Field(default_factory=list)  # row 1 as typed ("" for an empty cell)
    columns: dict[str, int] = Field(default_factory=dict)  # contract header -> 1-based column
    # The last row and the rightmost column any cell or merged range reaches: rows for new
    # nodes go below, the `Status`/`Catatan Validasi` columns right of it.
    last_row: int = 0
    used_column: int = 0


class Plan(Model):
    """A whole workbook, read: what the rules check and the derivations turn into sheets."""

    source: str = ""
    identity: Identity = Field(default_factory=Identity)
    positions: list[Position] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    sheets: dict[str, SheetInfo] = Field(default_factory=dict)
    orphan_rows: list[tuple[str, int]] = Field(default_factory=list)  # continuation w/o node
    # The sheets people fill after the plan, when present (name -> what was read), and
    # their rows.
    filled_sheets: dict[str, FilledSheet] = Field(default_factory=dict)
    action_plan: list[ActionPlanRow] = Field(default_factory=list)
    realisation: list[RealisationRow] = Field(default_factory=list)

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
