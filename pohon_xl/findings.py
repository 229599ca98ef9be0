"""Findings are data: a small immutable record per problem, rendered elsewhere."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    GALAT = "Galat"  # error: the tree is wrong; derived documents leave the node out
    PERINGATAN = "Peringatan"  # warning: probably wrong, or weak practice
    INFO = "Info"  # for the planner's attention

    @property
    def rank(self) -> int:
        return {"Galat": 0, "Peringatan": 1, "Info": 2}[self.value]


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: a sheet, and when known an Excel row and a column header."""

    sheet: str = ""
    row: int = 0  # 1-based Excel row; 0 = the sheet as a whole
    column: str = ""  # contract header label, e.g. "Target 2026"; "" = the row as a whole
    column_index: int = 0  # 1-based; 0 when the column is missing or not relevant


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    suggestion: str
    location: Location = field(default_factory=Location)
    node_id: str = ""
    level: int = 0  # tree level (1..6), 0 when not about a level sheet
    source: str = ""  # file the finding belongs to (batch mode)

    def sort_key(self) -> tuple:
        return (self.source, self.level or 99, self.location.sheet, self.location.row,
                self.location.column_index, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "kode": self.code,
            "tingkat": self.severity.value,
            "sheet": self.location.sheet,
            "baris": self.location.row or None,
            "kolom": self.location.column or None,
            "id": self.node_id or None,
            "pesan": self.message,
            "saran": self.suggestion,
            **({"berkas": self.source} if self.source else {}),
        }


@dataclass(frozen=True)
class FindingType:
    """A kind of finding declared as data (derivation and batch checks), for the catalogue."""

    code: str
    severity: Severity
    name: str  # short Indonesian title
    message: str  # str.format template
    suggestion: str

    def make(self, location: Location = Location(), *, node_id: str = "", level: int = 0,
             source: str = "", params: Mapping[str, object] | None = None) -> Finding:
        """A finding of this type; ``params`` fill the placeholders of the message alone."""
        values = params or {}
        return Finding(
            code=self.code,
            severity=self.severity,
            message=self.message.format(**values),
            suggestion=self.suggestion.format(**values),
            location=location,
            node_id=node_id,
            level=level,
            source=source,
        )


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(set(self.findings), key=Finding.sort_key)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.GALAT for f in self.findings)

    @property
    def exit_code(self) -> int:
        return int(self.has_errors)

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def by_level(self) -> dict[int, Counter[Severity]]:
        result: dict[int, Counter[Severity]] = {}
        for finding in self.findings:
            result.setdefault(finding.level, Counter())[finding.severity] += 1
        return result

    def flatten(self, spec: tuple[str, ...] = ("code", "sheet", "row")) -> list[tuple]:
        """A compact list for tests, e.g. ``[("IDN02", "L1_Sasaran_Daerah", 4)]``."""
        getters = {
            "code": lambda f: f.code,
            "severity": lambda f: f.severity.value,
            "sheet": lambda f: f.location.sheet,
            "row": lambda f: f.location.row,
            "column": lambda f: f.location.column,
            "id": lambda f: f.node_id,
        }
        return [tuple(getters[name](f) for name in spec) for f in self.findings]

    def worst_by_row(self) -> dict[tuple[str, int], Severity]:
        worst: dict[tuple[str, int], Severity] = {}
        for f in self.findings:
            key = (f.location.sheet, f.location.row)
            if f.location.row and (key not in worst or f.severity.rank < worst[key].rank):
                worst[key] = f.severity
        return worst

    def node_ids_with_errors(self) -> set[str]:
        return {f.node_id for f in self.findings if f.severity is Severity.GALAT and f.node_id}
