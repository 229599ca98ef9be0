"""The rule framework: one small class per rule, a registry that refuses duplicate codes.

A rule declares its code, group, severity, an Indonesian message template and a suggestion;
``check`` yields findings through :meth:`Rule.at` / :meth:`Rule.at_node` so that every finding
of a rule has the same shape. ``pohon-xl aturan`` renders the catalogue from these classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan

GROUPS = {
    "STR": "Struktur",
    "IDN": "Identitas (ID)",
    "TAU": "Tautan pohon",
    "NIL": "Nilai dan target",
    "PEM": "Pemilik kinerja",
    "NOM": "Nomenklatur",
    "ANG": "Anggaran",
    "KUA": "Kualitas rumusan",
}


@dataclass
class Context:
    """What a rule may look at: the plan, its linked tree and optional reference data."""

    plan: Plan
    tree: Tree
    nomenclature: dict[str, str] | None = None  # official code -> name, when supplied
    options: dict[str, object] = field(default_factory=dict)

    def column(self, sheet_key: str, header: str) -> int:
        info = self.plan.sheets.get(sheet_key)
        return info.columns.get(header, 0) if info else 0

    def sheet_name(self, sheet_key: str) -> str:
        info = self.plan.sheets.get(sheet_key)
        return info.name if info else sheet_key


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # short Indonesian title
    severity: ClassVar[Severity]
    message: ClassVar[str]  # str.format template
    suggestion: ClassVar[str]

    @property
    def group(self) -> str:
        return self.code[:3]

    def check(self, ctx: Context) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def at(
        self,
        ctx: Context,
        sheet_key: str,
        row: int = 0,
        column: str = "",
        *,
        node_id: str = "",
        level: int = 0,
        severity: Severity | None = None,
        **params: object,
    ) -> Finding:
        """A finding of this rule at a sheet (contract name), row and contract column."""
        level = level or (C.LEVEL_BY_SHEET[sheet_key].number if sheet_key in C.LEVEL_BY_SHEET else 0)
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=self.message.format(**params),
            suggestion=self.suggestion.format(**params),
            location=Location(
                sheet=ctx.sheet_name(sheet_key),
                row=row,
                column=column,
                column_index=ctx.column(sheet_key, column) if column else 0,
            ),
            node_id=node_id,
            level=level,
        )

    def at_node(
        self, ctx: Context, node: Node, column: str = "", row: int | None = None, **params: object
    ) -> Finding:
        """A finding on a node's row (its first row unless ``row`` is given)."""
        params.setdefault("id", node.id)
        return self.at(
            ctx,
            node.spec.sheet,
            row if row is not None else node.row,
            column,
            node_id=node.id,
            level=node.level,
            **params,
        )


_REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    if rule.code in _REGISTRY:
        raise ValueError(f"duplicate rule code {rule.code}")
    if rule.code[:3] not in GROUPS:
        raise ValueError(f"rule {rule.code} has no known group")
    _REGISTRY[rule.code] = rule
    return rule


def all_rules() -> list[Rule]:
    import pohon_xl.rules  # noqa: F401  (imports every rule module, filling the registry)

    return [_REGISTRY[code]() for code in sorted(_REGISTRY)]


def run_rules(ctx: Context, rules: Iterable[Rule] | None = None) -> Iterator[Finding]:
    for rule in rules if rules is not None else all_rules():
        yield from rule.check(ctx)
