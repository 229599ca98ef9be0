"""Typed models of a filled workbook: identity, positions and the nodes of each level.

Every value keeps where it came from (sheet, Excel row, column) so that a finding can point
at the cell, and numbers keep the raw text so that a message can quote what the user typed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pohon_xl.model.contract import LEVEL_BY_NUMBER, LevelSpec
from pohon_xl.model.numbers import parse_year


class Model(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid", arbitrary_types_allowed=True)


class Number(Model):
    """A numeric cell: what was in it and what it means (None: empty or not a number)."""

    raw: object = None
    value: float | None = None

    @property
    def empty(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())

    @property
    def invalid(self) -> bool:
        return not self.empty and self.value is None


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
    unknown_year_headers: list[str] = Field(default_factory=list)


class Plan(Model):
    """A whole workbook, read: what the rules check and the derivations turn into sheets."""

    source: str = ""
    identity: Identity = Field(default_factory=Identity)
    positions: list[Position] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    sheets: dict[str, SheetInfo] = Field(default_factory=dict)
    orphan_rows: list[tuple[str, int]] = Field(default_factory=list)  # continuation w/o node

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
