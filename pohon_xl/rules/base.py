"""The rule framework: one small class per rule, a registry that refuses duplicate codes.

A rule declares its code, group, severity, an Indonesian message template and a suggestion;
``check`` yields findings through :meth:`Rule.at` / :meth:`Rule.at_node` so that every finding
of a rule has the same shape. ``pohon-xl aturan`` renders the catalogue from these classes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import ClassVar, TypeVar

from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan, Position
from pohon_xl.nomenclature import Nomenclature

GROUPS = {
    "STR": "Struktur",
    "IDN": "Identitas (ID)",
    "TAU": "Tautan pohon",
    "NIL": "Nilai dan target",
    "PEM": "Pemilik kinerja",
    "NOM": "Nomenklatur",
    "ANG": "Anggaran",
    "KUA": "Kualitas rumusan",
    "RAK": "Rencana aksi dan realisasi",
}


def loose_key(text: str) -> str:
    """A code compared loosely: no case, spaces, dashes or underscores (``kabid ll`` ~
    ``KABID-LL``)."""
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch in "./")


def meant(lookup: dict[str, str], typed: str) -> str:
    """`` (maksudnya 'X'?)`` when a loose match exists, else ``""``."""
    match = lookup.get(loose_key(typed))
    return f" (maksudnya '{match}'?)" if match and match != typed else ""


class _Groups:
    """The nodes grouped by `Jenis Cascading` and by owner, in one pass over the tree's
    links: each visit of 100 000 scattered nodes costs about as much as the test made there."""

    def __init__(self, links: list[tuple[Node, Node | None]]) -> None:
        self.by_cascading: dict[str, list[Node]] = {}
        self.by_owner: dict[tuple[str, int], list[tuple[Node, Node | None]]] = {}
        by_cascading, by_owner = self.by_cascading, self.by_owner
        for link in links:
            node = link[0]
            group = by_cascading.get(cascading := node.jenis_cascading)
            if group is None:
                group = by_cascading[cascading] = []
            group.append(node)
            owned = by_owner.get(key := (node.owner, node.level))
            if owned is None:
                owned = by_owner[key] = []
            owned.append(link)


T = TypeVar("T")


@dataclass
class Context:
    """What a rule may look at: the plan, its linked tree and optional reference data."""

    plan: Plan
    tree: Tree
    nomenclature: dict[str, str] | None = None  # official code -> name, when supplied
    options: dict[str, object] = field(default_factory=dict)
    _shared: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    def shared(self, key: str, build: Callable[[Context], T]) -> T:
        """``build(self)``, once per run: an index the rules of one module share (a pass over
        100 000 scattered rows costs about as much for ten tests as for one)."""
        if key not in self._shared:
            self._shared[key] = build(self)
        return self._shared[key]  # type: ignore[return-value]

    def column(self, sheet_key: str, header: str) -> int:
        info = self.plan.sheets.get(sheet_key)
        return info.columns.get(header, 0) if info else 0

    def sheet_name(self, sheet_key: str) -> str:
        info = self.plan.sheets.get(sheet_key)
        return info.name if info else sheet_key

    def has_column(self, sheet_key: str, header: str) -> bool:
        """Whether a present sheet has the column (a missing one is reported once, by STR)."""
        return self.column(sheet_key, header) > 0

    # Lookups built once per run and shared by the rules (keeps every rule one linear pass).

    @cached_property
    def is_opd(self) -> bool:
        """An OPD's workbook (``Perangkat Daerah`` filled) rather than the body-level one."""
        return bool(self.plan.identity.text(C.KEY_PERANGKAT_DAERAH))

    @cached_property
    def by_level(self) -> dict[int, list[Node]]:
        result: dict[int, list[Node]] = {spec.number: [] for spec in C.LEVELS}
        for node in self.plan.nodes:
            result.setdefault(node.level, []).append(node)
        return result

    @cached_property
    def budget_nodes(self) -> list[Node]:
        """Nodes on sheets that have `Anggaran <year>` columns (normally L5 only)."""
        levels = [
            spec.number
            for spec in C.LEVELS
            if (info := self.plan.sheets.get(spec.sheet)) is not None and info.budget_years
        ]
        return [node for level in levels for node in self.by_level.get(level, [])]

    @cached_property
    def _groups(self) -> _Groups:
        return _Groups(self.tree.links)

    @property
    def by_cascading(self) -> dict[str, list[Node]]:
        """`Jenis Cascading` as typed -> its nodes, in order (a handful of values)."""
        return self._groups.by_cascading

    @property
    def by_owner(self) -> dict[tuple[str, int], list[tuple[Node, Node | None]]]:
        """(`Pemilik Kinerja` as typed, level) -> its nodes with their parents, in order."""
        return self._groups.by_owner

    def cascading(self, kind: str) -> list[Node]:
        """The nodes whose `Jenis Cascading` is ``kind`` (case aside), in order."""
        key = kind.casefold()
        groups = [nodes for value, nodes in self.by_cascading.items() if value.casefold() == key]
        if len(groups) == 1:
            return groups[0]
        return [node for node in self.plan.nodes if node.jenis_cascading.casefold() == key]

    def sheet_years(self, level: int) -> list[int]:
        """The period's years that have a `Target <year>` column on the level's sheet, in
        order (L6: only Tahun PK)."""
        info = self.plan.sheets.get(C.LEVEL_BY_NUMBER[level].sheet)
        present = set(info.years) if info else set()
        if C.LEVEL_BY_NUMBER[level].is_individual:
            return [self.pk_year] if self.pk_year in present else []
        return [y for y in sorted(self.years) if y in present]

    @cached_property
    def opd_without_l1(self) -> bool:
        """An OPD workbook whose L2 parents live in the body-level workbook (batch)."""
        return self.is_opd and not self.by_level.get(1)

    @cached_property
    def period(self) -> list[int]:
        """The period from Identitas only (empty when it is missing or not sensible)."""
        start, end = self.plan.start_year, self.plan.end_year
        if start and end and start <= end <= start + 20:
            return list(range(start, end + 1))
        return []

    @cached_property
    def years(self) -> list[int]:
        """The period the values are checked against (Identitas, else the headers)."""
        return self.plan.years

    @cached_property
    def pk_year(self) -> int | None:
        return self.plan.pk_year

    @cached_property
    def positions(self) -> dict[str, Position]:
        """Kode Jabatan -> the first position with that code."""
        return self.tree.positions

    @cached_property
    def positions_casefold(self) -> dict[str, Position]:
        result: dict[str, Position] = {}
        for position in self.plan.positions:
            if position.code:
                result.setdefault(position.code.casefold(), position)
        return result

    @cached_property
    def official(self) -> Nomenclature | None:
        """The supplied nomenclature keyed by normalised code (None when not supplied)."""
        if not self.nomenclature:
            return None
        if isinstance(self.nomenclature, Nomenclature):
            return self.nomenclature
        result = Nomenclature(source="daftar yang diberikan")
        for code, name in self.nomenclature.items():
            result.add(code, name)
        return result

    @cached_property
    def ids_loose(self) -> dict[str, str]:
        """IDs by a loose key (no case, no spaces): to suggest the ID that was meant."""
        result: dict[str, str] = {}
        for node_id in self.tree.by_id:
            result.setdefault(loose_key(node_id), node_id)
        return result

    @cached_property
    def position_codes_loose(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for code in self.positions:
            result.setdefault(loose_key(code), code)
        return result

    @cached_property
    def berbagi_children(self) -> dict[str, list[Node]]:
        """Parent ID -> its children whose Jenis Cascading is Berbagi."""
        result: dict[str, list[Node]] = defaultdict(list)
        parent_of = self.tree.parent_of
        for node in self.cascading(C.BERBAGI):
            if (parent := parent_of[id(node)]) is not None:
                result[parent.id].append(node)
        return result


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
        params: Mapping[str, object] | None = None,
    ) -> Finding:
        """A finding of this rule at a sheet (contract name), row and contract column.

        ``params`` fill the message's placeholders, apart from where the finding points, so
        that a placeholder may be named ``row``, ``column`` or ``level`` too."""
        values = params or {}
        level = level or (C.LEVEL_BY_SHEET[sheet_key].number if sheet_key in C.LEVEL_BY_SHEET else 0)
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=self.message.format(**values),
            suggestion=self.suggestion.format(**values),
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
        self,
        ctx: Context,
        node: Node,
        column: str = "",
        *,
        row: int | None = None,
        severity: Severity | None = None,
        params: Mapping[str, object] | None = None,
    ) -> Finding:
        """A finding on a node's row (its first row unless ``row`` is given); ``{id}`` is the
        node's ID unless ``params`` say otherwise."""
        return self.at(
            ctx,
            node.spec.sheet,
            row if row is not None else node.row,
            column,
            node_id=node.id,
            level=node.level,
            severity=severity,
            params={"id": node.id, **(params or {})},
        )

    def at_identitas(
        self, ctx: Context, key: str, *, params: Mapping[str, object] | None = None
    ) -> Finding:
        """A finding on an `Identitas` key: its row, the value cell (column B)."""
        row = ctx.plan.identity.rows.get(key, 0)
        finding = self.at(ctx, C.IDENTITAS, row, key, params=params)
        return replace(finding, location=replace(finding.location, column_index=2 if row else 0))


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
